"""The document kinds of forms.md, their data shapes, and validation of a data file.

A shape is a dict of field name → type; a name ending in ``?`` is optional (it may
be missing, ``null`` or empty). Types: ``TEXT`` (non-empty text; a number is read as
its digits), ``DATE`` (``YYYY-MM-DD``), ``DATETIME`` (ISO 8601: ``YYYY-MM-DDTHH:MM``, with or
without ``:SS`` and fractions, with or without an offset ``+08:00``/``Z``, a space instead of ``T``, or
just a date; a time with an offset is printed in China time), ``GUARDIAN`` (a name, or an object
``{name, relation?, id_number?}``), ``ID`` (a valid resident ID number, idcard.md),
``MONEY`` (an amount ≥ 0, as a JSON number or a string like ``"2500.00"``), ``BOOL``,
``INT``, ``COUNTS`` (an object of non-negative integers), a nested shape (an object),
or ``ListOf(shape, min_items)``.

``validate`` raises ``RenderError`` naming the first bad field by its path
(``applicant.name``, ``members[1].id_number``), in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from window_desk import idnumber
from window_desk.timeutil import TZ
from window_desk.forms.fonts import RenderError

CHINA = TZ  # times with an offset are printed in China time

TEXT, DATE, DATETIME, ID, MONEY, BOOL, INT, COUNTS = "text", "date", "datetime", "id", "money", "bool", "int", "counts"
GUARDIAN = "guardian"
GUARDIAN_SHAPE = {"name": TEXT, "relation?": TEXT, "id_number?": ID}


@dataclass(frozen=True)
class ListOf:
    item: Any
    min_items: int = 1


@dataclass(frozen=True)
class FormKind:
    kind: str
    title: str  # the Chinese title printed on the document
    number_word: str  # 代字 in the document number, e.g. 救受
    landscape: bool
    shape: dict[str, Any]  # fields beyond the common ones
    required: tuple[str, ...] = field(default=())  # required leaf paths, common ones included

    @property
    def fields(self) -> dict[str, Any]:
        return {**COMMON, **self.shape}


COMMON: dict[str, Any] = {"office": TEXT, "number": TEXT, "date": DATE, "clerk": TEXT, "case_number?": TEXT}

PERSON = {"name": TEXT, "id_number": ID}
CONTACT = {"name": TEXT, "phone": TEXT}

_SHAPES: dict[str, tuple[str, str, bool, dict[str, Any]]] = {
    "authorization": ("家庭经济状况核对授权书", "救授", False, {
        "applicant": PERSON,
        "members": ListOf({"name": TEXT, "relation": TEXT, "id_number": ID,
                           "guardian?": GUARDIAN}),
    }),
    "application": ("社会救助申请书", "救申", False, {
        "applicant": {"name": TEXT, "id_number": ID, "address": TEXT, "phone": TEXT},
        "members": ListOf({"name": TEXT, "relation": TEXT, "id_number": ID, "health": TEXT,
                           "employment": TEXT, "monthly_income": MONEY}),
        "requested": ListOf(TEXT),
        "reason": TEXT,
    }),
    "acceptance_notice": ("受理通知书", "救受", False, {
        "applicant": PERSON, "matter": TEXT, "materials": ListOf(TEXT), "accepted_at": DATE,
        "deadline": DATE, "contact": CONTACT,
    }),
    "missing_materials_notice": ("一次性告知书", "救告", False, {
        "applicant": PERSON, "matter": TEXT, "missing": ListOf(TEXT), "supplement_by": DATE, "contact": CONTACT,
    }),
    "rejection_notice": ("不予受理告知书", "救驳", False, {
        "applicant": PERSON, "matter": TEXT, "reasons": ListOf(TEXT), "basis": TEXT,
        "remedy": {"review_body": TEXT, "court": TEXT},
    }),
    "referral_slip": ("社会救助转介单", "救转", False, {
        "from_office": TEXT, "to_department": TEXT,
        "person": {"name": TEXT, "id_number": ID, "address": TEXT, "phone": TEXT},
        "difficulty": TEXT, "measures": ListOf(TEXT), "referred_at": DATE, "due_date": DATE, "contact": CONTACT,
    }),
    "inquiry_record": ("首问负责登记表", "救首", False, {
        "received_at": DATETIME, "channel": TEXT,
        "visitor": {"name": TEXT, "phone": TEXT, "address": TEXT},
        "matter": TEXT, "materials": ListOf(TEXT, 0), "first_responder": TEXT, "handled_by": TEXT,
        "outcome": TEXT, "handoffs": ListOf({"from": TEXT, "to": TEXT, "at": DATETIME, "note?": TEXT}, 0),
        "answered_at": DATETIME,
    }),
    "prepay_voucher": ("先行救助发放凭证", "救先", False, {
        "person": PERSON, "amount": MONEY, "reason": TEXT, "paid_at": DATE, "payer": TEXT, "approved_by?": TEXT,
    }),
    "daily_register": ("社会救助受理登记台账（日）", "救台", True, {
        "day": DATE,
        "rows": ListOf({"seq": INT, "time": TEXT, "name": TEXT, "id_number?": TEXT, "address?": TEXT,
                        "phone?": TEXT, "category": TEXT, "materials_complete": BOOL, "outcome": TEXT,
                        "referred_to?": TEXT, "due_date?": DATE, "result?": TEXT, "clerk": TEXT,
                        "note?": TEXT}, 0),
        "totals": COUNTS,
        "review?": {"supervisor": TEXT, "reviewed_at?": DATETIME, "comment?": TEXT, "anchor?": TEXT},
        "amendments?": ListOf({"at": TEXT, "by": TEXT, "what": TEXT, "change": TEXT, "reason": TEXT}, 0),
    }),
}


def _leaf_paths(shape: Any, prefix: str) -> list[str]:
    if isinstance(shape, ListOf):
        return _leaf_paths(shape.item, prefix + "[]") if shape.min_items else []
    if isinstance(shape, dict):
        out = []
        for key, sub in shape.items():
            if key.endswith("?"):
                continue
            out += _leaf_paths(sub, f"{prefix}.{key}" if prefix else key)
        return out
    return [prefix]


KINDS: dict[str, FormKind] = {
    kind: FormKind(kind, title, word, landscape, shape, tuple(_leaf_paths({**COMMON, **shape}, "")))
    for kind, (title, word, landscape, shape) in _SHAPES.items()
}


def require_kind(kind: str) -> FormKind:
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        raise RenderError(f"未知的文书种类 {kind}(可用:{'、'.join(KINDS)})", field="KIND")
    return spec


# -- values --------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
                          r"(Z|[+-]\d{2}(?::?\d{2})?)?)?")


def parse_date(value: str) -> date | None:
    m = _DATE_RE.fullmatch(value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_datetime(value: str) -> tuple[date, str] | None:
    """(the date, the time as printed ``HH:MM`` or ``HH:MM:SS`` or ""). A time with an offset
    (``+08:00``, ``-0500``, ``Z``) is turned into China time first; fractions of a second are dropped."""
    m = _DATETIME_RE.fullmatch(value.strip())
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
        if m[4] is None:
            return day, ""
        moment = datetime(day.year, day.month, day.day, int(m[4]), int(m[5]), int(m[6] or 0))
        if m[7]:
            offset = m[7]
            if offset == "Z":
                delta = timedelta(0)
            else:
                sign = -1 if offset[0] == "-" else 1
                digits = offset[1:].replace(":", "")
                hours, minutes = int(digits[:2]), int(digits[2:] or 0)
                if hours > 23 or minutes > 59:
                    return None
                delta = sign * timedelta(hours=hours, minutes=minutes)
            moment = moment.replace(tzinfo=timezone(delta)).astimezone(CHINA)
            day = moment.date()
    except ValueError:
        return None
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    return day, clock + (f":{moment.second:02d}" if m[6] and moment.second else "")


def parse_money(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, float):
            dec = Decimal(repr(value))
        else:
            dec = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not dec.is_finite() or dec < 0 or dec >= Decimal(10) ** 15:
        return None
    return dec


def date_cn(value: str) -> str:
    """``2026-03-09`` → ``2026年3月9日`` (GB/T 9704: Arabic numerals, no leading zeros)."""
    parsed = parse_datetime(str(value))
    if parsed is None:
        return str(value)
    day, clock = parsed
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text} {clock}" if clock else text


def text(value: Any) -> str:
    """A scalar as printed: None → "", Decimal and int as their digits, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _check(shape: Any, value: Any, path: str) -> None:
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise RenderError(f"字段 {path} 应为对象(JSON {{…}})", field=path)
        for key, sub in shape.items():
            optional = key.endswith("?")
            name = key.rstrip("?")
            sub_path = f"{path}.{name}" if path else name
            item = value.get(name)
            if _missing(item) and not (isinstance(sub, ListOf) and sub.min_items == 0 and item == []):
                if optional or (isinstance(sub, ListOf) and sub.min_items == 0 and item is None):
                    continue
                if isinstance(sub, ListOf) and item == []:
                    raise RenderError(f"字段 {sub_path} 至少应有 {sub.min_items} 项", field=sub_path)
                raise RenderError(f"缺少必填字段 {sub_path}", field=sub_path)
            _check(sub, item, sub_path)
        return
    if isinstance(shape, ListOf):
        if not isinstance(value, list):
            raise RenderError(f"字段 {path} 应为列表(JSON […])", field=path)
        if len(value) < shape.min_items:
            raise RenderError(f"字段 {path} 至少应有 {shape.min_items} 项", field=path)
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if _missing(item):
                raise RenderError(f"缺少必填字段 {item_path}", field=item_path)
            _check(shape.item, item, item_path)
        return
    _check_scalar(shape, value, path)


def _check_scalar(kind: str, value: Any, path: str) -> None:
    if kind == GUARDIAN:
        if isinstance(value, dict):
            _check(GUARDIAN_SHAPE, value, path)
            return
        if not isinstance(value, str):
            raise RenderError(f"字段 {path} 应为监护人姓名，或 {{name, relation, id_number}} 对象", field=path)
        return
    if isinstance(value, (dict, list)):
        raise RenderError(f"字段 {path} 应为单个值,不能是{'对象' if isinstance(value, dict) else '列表'}", field=path)
    if kind == BOOL:
        if not isinstance(value, bool):
            raise RenderError(f"字段 {path} 应为 true 或 false", field=path)
        return
    if kind == COUNTS:
        raise RenderError(f"字段 {path} 应为对象(各项件数)", field=path)
    if isinstance(value, bool):
        raise RenderError(f"字段 {path} 不能是 true/false", field=path)
    if kind == TEXT:
        if not isinstance(value, (str, int, Decimal, float)):
            raise RenderError(f"字段 {path} 应为文字", field=path)
        return
    if kind == INT:
        if not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
            raise RenderError(f"字段 {path} 应为整数:{value}", field=path)
        return
    if kind == MONEY:
        if parse_money(value) is None:
            raise RenderError(f"字段 {path} 不是有效的金额:{value}", field=path)
        return
    if not isinstance(value, str):
        raise RenderError(f"字段 {path} 应为文字", field=path)
    if kind == DATE:
        if parse_date(value) is None:
            raise RenderError(f"字段 {path} 不是有效的日期(应为 YYYY-MM-DD):{value}", field=path)
    elif kind == DATETIME:
        if parse_datetime(value) is None:
            raise RenderError(f"字段 {path} 不是有效的时间（应为 ISO 8601，如 2026-11-24T09:15 或 "
                              f"2026-11-24T09:15:00+08:00）：{value}", field=path)
    elif kind == ID:
        result = idnumber.check(value)
        if not result.valid:
            raise RenderError(f"字段 {path} 身份证号码无效:{result.error}", field=path)


def _check_counts(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise RenderError(f"字段 {path} 应为对象(各项件数)", field=path)
    for key, count in value.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise RenderError(f"字段 {path}.{key} 应为非负整数:{count}", field=f"{path}.{key}")


def validate(kind: str, data: Any) -> FormKind:
    """Check ``data`` against the shape of ``kind``; raise ``RenderError`` naming the first bad field."""
    spec = require_kind(kind)
    if not isinstance(data, dict):
        raise RenderError("文书数据应为 JSON 对象", field="data")
    shape = spec.fields
    counts = [k for k, v in shape.items() if v == COUNTS]
    _check({k: v for k, v in shape.items() if v != COUNTS}, data, "")
    for key in counts:
        name = key.rstrip("?")
        if name not in data or data[name] is None:
            if key.endswith("?"):
                continue
            raise RenderError(f"缺少必填字段 {name}", field=name)
        _check_counts(data[name], name)
    if kind == "prepay_voucher" and parse_money(data["amount"]) == 0:
        raise RenderError("字段 amount 发放金额不能为零", field="amount")
    return spec


def _fullwidth_leaves(value: Any) -> Any:
    from window_desk.punct import to_fullwidth

    if isinstance(value, str):
        return to_fullwidth(value)
    if isinstance(value, dict):
        return {k: _fullwidth_leaves(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fullwidth_leaves(v) for v in value]
    return value


def normalise(kind: str, data: Any) -> Any:
    """The data as it is printed (PDF and Word alike): a guardian given as a name becomes ``{name}``,
    and half-width , : ; ! ? ( ) next to Chinese text (assessment reasons, health notes…) become
    full-width. Idempotent; anything that is not a dict comes back as it is (validate reports it)."""
    if not isinstance(data, dict):
        return data
    out = _fullwidth_leaves(data)
    if kind == "authorization" and isinstance(out.get("members"), list):
        for member in out["members"]:
            if isinstance(member, dict) and isinstance(member.get("guardian"), str):
                name = member["guardian"].strip()
                member["guardian"] = {"name": name} if name else None
    return out
