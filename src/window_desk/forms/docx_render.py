"""The editable Word (.docx) version of a document, filled from a template.

``render_docx(kind, data)`` opens ``resources/templates/<kind>.docx`` (or the
township's own copy, when ``WINDOW_DESK_TEMPLATE_DIR`` holds a ``<kind>.docx``),
fills its docxtpl placeholders from the document's data and returns the bytes.
The data are the shapes of ``forms render`` (docs: shared spec forms.md) plus
the common ``office``, ``number``, ``date``, ``clerk`` and optional
``case_number``; the caller has validated the required fields, so a missing
optional key (``guardian``, ``approved_by`` …) just prints nothing.

Besides the data, a template sees:

- ``reprint`` — true for a reprint (the templates then print 补打);
- ``title`` — the document's Chinese title, ``kind`` — its code name;
- ``amount_figures`` / ``amount_capitals`` — prepay voucher: 2500.00 / 贰仟伍佰元整;
- ``income_total`` — application: the members' monthly incomes added up;
- ``remedy_text`` — rejection notice: the remedy when it was given as one text
  (``remedy`` itself then is empty), else empty and ``remedy.review_body`` /
  ``remedy.court`` hold the bodies' names;
- ``totals_items`` — daily register: ``[{key, label, value}]`` from ``totals``;
- ``receipt_qr`` — referral slip: the 回执's own QR code (an image; the payload of the PDF's);

and the filters ``cn_date`` (2026-03-09 → 2026年3月9日, 2026-03-09T17:30 →
2026年3月9日 17:30), ``money`` (→ 2500.00), ``capitals`` (→ 贰仟伍佰元整) and
``yesno`` (true → 齐全, false → 不全; ``yesno('是','否')`` for other words).

No Qt here: this runs in the CLI and in worker threads.
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from window_desk.errors import UserError
from window_desk.money import chinese_capitals, fmt, to_money
from window_desk.forms.kinds import KINDS as _SPECS
from window_desk.forms.kinds import date_cn, parse_datetime
from window_desk.paths import resource

TEMPLATE_DIR_ENV = "WINDOW_DESK_TEMPLATE_DIR"

# One source of truth for kinds and titles: the PDF side's table.
TITLES: dict[str, str] = {kind: spec.title for kind, spec in _SPECS.items()}
KINDS = tuple(TITLES)

# Labels of the daily register's totals; an unknown key prints as itself.
TOTAL_LABELS: dict[str, str] = {
    "received": "登记",
    "accepted": "受理",
    "notified_missing": "一次性告知",
    "rejected": "不予受理",
    "referred": "转介",
    "prepaid": "先行救助",
    "consulted": "咨询答复",
    "answered": "咨询答复",
    "handed_off": "转办",
    "pending": "待办",
    "done": "办结",
    "overdue": "超期",
}

COMMON_FIELDS = ("office", "number", "date", "clerk", "case_number")

# Characters XML 1.0 cannot hold, plus \a and \f (docxtpl would turn them into
# paragraph and page breaks). \t and \n stay: they print as a tab and a line break.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$")


# ---------------------------------------------------------------- filters


def cn_date(value: Any) -> str:
    """2026-03-09 → 2026年3月9日; with a time → 2026年3月9日 17:30; anything else unchanged."""
    if value is None or isinstance(value, jinja2.Undefined):
        return ""
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value).strip()
    if parse_datetime(text) is not None:
        return date_cn(text)  # the PDF's reading: with or without seconds, an offset turned to China time
    match = _ISO.match(text)
    if not match:
        return str(value)
    year, month, day, hour, minute = match.groups()
    out = f"{int(year)}年{int(month)}月{int(day)}日"
    if hour is not None:
        out += f" {int(hour):02d}:{minute}"
    return out


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, (bool, jinja2.Undefined)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    try:
        text = str(value).strip().replace(",", "").replace("，", "").lstrip("¥￥")
        if text.endswith("元"):
            text = text[:-1]
        return to_money(Decimal(text))
    except (InvalidOperation, ValueError, TypeError):
        return None


def money_text(value: Any) -> str:
    """An amount with two decimals (2500 → 2500.00); text that is not an amount prints as given."""
    amount = _decimal(value)
    if amount is not None:
        return fmt(amount)
    if value is None or isinstance(value, jinja2.Undefined):
        return ""
    return str(value)


def capitals(value: Any) -> str:
    """An amount in financial capitals (2500 → 贰仟伍佰元整); empty if it is not an amount."""
    amount = _decimal(value)
    if amount is None or amount < 0:
        return ""
    try:
        return chinese_capitals(amount)
    except ValueError:
        return ""


def yesno(value: Any, yes: str = "齐全", no: str = "不全") -> str:
    if isinstance(value, bool):
        return yes if value else no
    if value is None or isinstance(value, jinja2.Undefined) or value == "":
        return ""
    return str(value)


def _environment() -> jinja2.Environment:
    # ChainableUndefined: a missing optional key (and anything under it) prints as nothing.
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=True)
    env.filters.update(cn_date=cn_date, money=money_text, capitals=capitals, yesno=yesno)
    return env


# ---------------------------------------------------------------- context


def _clean(value: Any) -> Any:
    """A deep copy with None → "" and characters Word cannot hold removed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _BAD_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, int, float, Decimal, date)):
        return value
    return _clean(str(value))


def _guardian(value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        return {"name": value}
    return value


def build_context(kind: str, data: Mapping[str, Any], *, reprint: bool = False) -> dict[str, Any]:
    """What the template of ``kind`` sees: the data plus the derived values (see the module doc)."""
    ctx: dict[str, Any] = _clean(copy.deepcopy(dict(data)))
    for key in COMMON_FIELDS:
        ctx.setdefault(key, "")
    ctx["kind"] = kind
    ctx["title"] = TITLES[kind]
    ctx["reprint"] = bool(reprint)

    if kind == "prepay_voucher":
        amount = ctx.get("amount", "")
        ctx["amount_figures"] = money_text(amount)
        ctx["amount_capitals"] = capitals(amount)
    elif kind == "application":
        total = Decimal(0)
        for member in ctx.get("members") or []:
            income = _decimal(member.get("monthly_income")) if isinstance(member, Mapping) else None
            if income is not None:
                total += income
        ctx["income_total"] = fmt(total)
    elif kind == "authorization":
        for member in ctx.get("members") or []:
            if isinstance(member, dict) and "guardian" in member:
                member["guardian"] = _guardian(member["guardian"])
    elif kind == "rejection_notice":
        remedy = ctx.get("remedy")
        if isinstance(remedy, Mapping):
            ctx["remedy_text"] = str(remedy.get("text") or "")
        else:
            ctx["remedy_text"] = str(remedy or "")
            ctx["remedy"] = {}
    elif kind == "daily_register":
        totals = ctx.get("totals")
        if isinstance(totals, Mapping):
            items = [{"key": k, "label": TOTAL_LABELS.get(k, k), "value": v} for k, v in totals.items()]
        elif totals in ("", None):
            items = []
        else:
            items = [{"key": "total", "label": "", "value": totals}]
        ctx["totals_items"] = items
    return ctx


# ---------------------------------------------------------------- rendering


def template_path(kind: str) -> Path:
    """The township's ``<kind>.docx`` from ``WINDOW_DESK_TEMPLATE_DIR`` if it has one, else the shipped one."""
    if kind not in TITLES:
        raise UserError(f"未知的文书种类 {kind}", field="KIND")
    override = os.environ.get(TEMPLATE_DIR_ENV, "").strip()
    if override:
        candidate = Path(override).expanduser() / f"{kind}.docx"
        if candidate.is_file():
            return candidate
    return resource("templates", f"{kind}.docx")


def receipt_qr(template: DocxTemplate, data: Mapping[str, Any]) -> InlineImage:
    """The 回执's own QR code (the PDF's payload: number, case number, content hash), 22 mm square:
    the receipt is cut off and comes back on its own."""
    from window_desk.forms import qr_payload
    from window_desk.forms.draw import qr_png

    payload = qr_payload("referral_slip", {"number": "", **dict(data)})
    return InlineImage(template, image_descriptor=io.BytesIO(qr_png(payload)), width=Mm(22), height=Mm(22))


def render_docx(kind: str, data: Mapping[str, Any], *, reprint: bool = False) -> bytes:
    """The filled Word document of ``kind`` as bytes."""
    path = template_path(kind)
    if not path.is_file():
        raise UserError(f"找不到 Word 模板 {path}", field="模板")
    context = build_context(kind, data, reprint=reprint)
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # noqa: BLE001 - a damaged or non-Word file in the township's folder
        raise UserError(f"Word 模板 {path} 无法打开:{exc}", field="模板") from exc
    if kind == "referral_slip":
        context["receipt_qr"] = receipt_qr(template, data)
    try:
        template.render(context, jinja_env=_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        where = f"第 {exc.lineno} 行附近" if getattr(exc, "lineno", None) else ""
        raise UserError(f"Word 模板 {path.name} 的占位符有误{where}:{exc}", field="模板") from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
