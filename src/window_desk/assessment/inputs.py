"""Reading the household JSON of §2: every field checked, bad input named by its path."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from window_desk import idnumber, vocab
from window_desk.assessment.model import (
    FEN,
    FIRST_DAY,
    LAST_DAY,
    MAX_AMOUNT,
    Assets,
    Disability,
    Household,
    Income,
    Member,
    RigidExpenses,
)
from window_desk.errors import UserError

_HOUSEHOLD_KEYS = ("application_date", "area", "current_benefits", "members", "assets", "rigid_expenses",
                   "housing", "events")
_HOUSEHOLD_REQUIRED = ("application_date", "area", "members", "housing")
_MEMBER_KEYS = ("id_number", "name", "relation", "labor_capacity", "self_care", "disability", "health",
                "schooling", "employed", "income", "supporter_capable")
_MEMBER_REQUIRED = ("id_number", "name", "relation", "labor_capacity", "self_care", "health", "employed",
                    "supporter_capable")
_MEMBER_LABELS = {
    "id_number": "身份证号码", "name": "姓名", "relation": "与申请人关系", "labor_capacity": "劳动能力",
    "self_care": "生活自理能力", "disability": "残疾情况", "health": "健康状况", "schooling": "在学情况",
    "employed": "是否就业", "income": "收入", "supporter_capable": "有无有能力的法定义务人",
}
_TOP_LABELS = {
    "application_date": "申请日期", "area": "城乡类别", "current_benefits": "已享受的救助", "members": "家庭成员",
    "assets": "家庭财产", "rigid_expenses": "刚性支出", "housing": "住房状况", "events": "急难情形",
}
_RIGID_LABELS = {k: f"{v}支出" for k, v in vocab.RIGID_EXPENSES.items()}
_NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _fail(path: str, problem: str, label: str) -> UserError:
    return UserError(f"{problem}({label})" if label else problem, field=path)


def _enum_text(allowed: Mapping[Any, str]) -> str:
    return "、".join(f"{k}({v})" for k, v in allowed.items())


def _table(value: object, path: str, label: str, keys: Sequence[str], required: Sequence[str] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "应为 JSON 对象 {…}", label)
    for key in value:
        if key not in keys:
            raise _fail(f"{path}.{key}" if path else str(key), f"未知字段(允许:{'、'.join(keys)})", label)
    for key in required:
        if key not in value:
            raise _fail(f"{path}.{key}" if path else key, "缺少必填字段", label)
    return value


def _enum(value: object, path: str, label: str, allowed: Mapping[Any, str]) -> Any:
    if not isinstance(value, str) or value not in allowed:
        raise _fail(path, f"无效的取值 {value!r},应为 {_enum_text(allowed)}", label)
    return value


def _boolean(value: object, path: str, label: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "应为 true 或 false", label)
    return value


def _count(value: object, path: str, label: str) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, "应为整数", label)
    if value < 0:
        raise _fail(path, "不能为负数", label)
    if value > 1000:
        raise _fail(path, "数量过大", label)
    return value


def _money(value: object, path: str, label: str) -> Decimal:
    """A non-negative amount with at most two decimals, from Decimal, int or a numeric string."""
    if isinstance(value, float):
        raise _fail(path, "金额须为十进制数(读取 JSON 时请用 parse_float=Decimal),不能是二进制浮点数", label)
    if isinstance(value, bool):
        raise _fail(path, "应为金额(数字)", label)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        number = Decimal(value.strip())
    else:
        raise _fail(path, "应为金额(数字)", label)
    if not number.is_finite():
        raise _fail(path, "不是有效的金额", label)
    if number < 0:
        raise _fail(path, "不能为负数", label)
    if number > MAX_AMOUNT:
        raise _fail(path, "金额过大", label)
    try:
        rounded = number.quantize(FEN)
    except InvalidOperation:  # pragma: no cover - bounded above
        raise _fail(path, "不是有效的金额", label) from None
    if rounded != number:
        raise _fail(path, "金额最多两位小数(精确到分)", label)
    return rounded


def _money_table(value: object, path: str, label: str, key_labels: Mapping[str, str]) -> dict[str, Decimal]:
    """A table of amounts; ``key_labels`` gives the Chinese label of each allowed key."""
    table = _table(value, path, label, tuple(key_labels))
    return {key: _money(table[key], f"{path}.{key}", key_labels[key]) for key in key_labels if key in table}


def _day(value: object, path: str, label: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise _fail(path, f"不是真实的日期 {value!r}", label) from None
    else:
        raise _fail(path, f"应为日期 YYYY-MM-DD,实际为 {value!r}", label)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail(path, f"日期 {day.isoformat()} 不在 {FIRST_DAY.year}—{LAST_DAY.year} 年之间", label)
    return day


def _codes(value: object, path: str, label: str, allowed: Mapping[str, str]) -> frozenset[str]:
    if not isinstance(value, list):
        raise _fail(path, "应为列表 […]", label)
    return frozenset(_enum(item, f"{path}[{i}]", label, allowed) for i, item in enumerate(value))


def _member(raw: object, i: int, on: date) -> Member:
    path = f"members[{i}]"
    who = f"第{i + 1}位成员"
    m = _table(raw, path, who, _MEMBER_KEYS, _MEMBER_REQUIRED)
    name = m["name"]
    if not isinstance(name, str) or not name.strip():
        raise _fail(f"{path}.name", "姓名不能为空", who)
    who = f"第{i + 1}位成员{name.strip()}"

    def label(key: str) -> str:
        return f"{who}的{_MEMBER_LABELS[key]}"

    check = idnumber.check(m["id_number"], today=date.max)
    if not isinstance(m["id_number"], str) or not check.valid:
        raise _fail(f"{path}.id_number", f"身份证号码无效:{check.error or '应为文字'}", label("id_number"))
    assert check.id_number is not None and check.birth_date is not None
    if check.birth_date > on:
        raise _fail(f"{path}.id_number", f"出生日期 {check.birth_date.isoformat()} 晚于申请日期 {on.isoformat()}",
                    label("id_number"))

    disability = None
    if m.get("disability") is not None:
        d = _table(m["disability"], f"{path}.disability", label("disability"), ("grade", "kind"), ("grade", "kind"))
        grade = d["grade"]
        if isinstance(grade, Decimal) and grade == grade.to_integral_value():
            grade = int(grade)
        if isinstance(grade, bool) or grade not in (1, 2, 3, 4):
            raise _fail(f"{path}.disability.grade", f"残疾等级应为 1、2、3、4 之一,实际为 {grade!r}",
                        label("disability"))
        disability = Disability(int(grade), _enum(d["kind"], f"{path}.disability.kind", label("disability"),
                                                  vocab.DISABILITY_KINDS))

    schooling = m.get("schooling")
    if schooling is not None:
        _enum(schooling, f"{path}.schooling", label("schooling"), vocab.SCHOOLING)

    income = Income(**_money_table(m.get("income", {}), f"{path}.income", label("income"),
                                   {k: f"{who}的{v}" for k, v in vocab.INCOME_KINDS.items()}))
    return Member(
        id_number=check.id_number,
        name=name.strip(),
        relation=_enum(m["relation"], f"{path}.relation", label("relation"), vocab.RELATIONS),
        labor_capacity=_enum(m["labor_capacity"], f"{path}.labor_capacity", label("labor_capacity"),
                             vocab.LABOR_CAPACITY),
        self_care=_enum(m["self_care"], f"{path}.self_care", label("self_care"), vocab.SELF_CARE),
        disability=disability,
        health=_enum(m["health"], f"{path}.health", label("health"), vocab.HEALTH),
        schooling=schooling,
        employed=_boolean(m["employed"], f"{path}.employed", label("employed")),
        income=income,
        supporter_capable=_boolean(m["supporter_capable"], f"{path}.supporter_capable", label("supporter_capable")),
        birth_date=check.birth_date,
    )


def household_from_json(obj: object) -> Household:
    """Validate the household JSON of §2 (money as Decimal, int or numeric string).

    Raises ``UserError`` for the first problem found, its ``field`` the JSON path
    (``members[2].income.wage``) and its message Chinese naming the field.
    Absent lists mean none, absent amounts 0; everything that decides
    eligibility by a yes/no or a category must be given.
    """
    h = _table(obj, "", "申请家庭", _HOUSEHOLD_KEYS, _HOUSEHOLD_REQUIRED)
    day = _day(h["application_date"], "application_date", _TOP_LABELS["application_date"])
    area = _enum(h["area"], "area", _TOP_LABELS["area"], vocab.AREAS)
    raw_members = h["members"]
    if not isinstance(raw_members, list):
        raise _fail("members", "应为列表 […]", _TOP_LABELS["members"])
    if not raw_members:
        raise _fail("members", "至少需要一名家庭成员(申请人)", _TOP_LABELS["members"])
    members = tuple(_member(raw, i, day) for i, raw in enumerate(raw_members))
    seen: dict[str, int] = {}
    for i, member in enumerate(members):
        if member.id_number in seen:
            raise _fail(f"members[{i}].id_number", f"与 members[{seen[member.id_number]}] 的身份证号码相同",
                        f"第{i + 1}位成员{member.name}")
        seen[member.id_number] = i
        if (member.relation == "self") != (i == 0):
            problem = "第一位成员应为申请人本人(relation 为 self)" if i == 0 else "只有第一位成员(申请人)的关系是 self"
            raise _fail(f"members[{i}].relation", problem, f"第{i + 1}位成员{member.name}")

    assets_raw = _table(h.get("assets", {}), "assets", _TOP_LABELS["assets"], tuple(vocab.ASSET_KINDS))
    assets = Assets(
        deposits=_money(assets_raw.get("deposits", 0), "assets.deposits", vocab.ASSET_KINDS["deposits"]),
        non_essential_vehicles=_count(assets_raw.get("non_essential_vehicles", 0), "assets.non_essential_vehicles",
                                      vocab.ASSET_KINDS["non_essential_vehicles"]),
        extra_houses=_count(assets_raw.get("extra_houses", 0), "assets.extra_houses",
                            vocab.ASSET_KINDS["extra_houses"]),
    )
    rigid = RigidExpenses(**_money_table(h.get("rigid_expenses", {}), "rigid_expenses", _TOP_LABELS["rigid_expenses"],
                                         _RIGID_LABELS))
    return Household(
        application_date=day,
        area=area,
        members=members,
        current_benefits=_codes(h.get("current_benefits", []), "current_benefits", _TOP_LABELS["current_benefits"],
                                vocab.BENEFITS),
        assets=assets,
        rigid_expenses=rigid,
        housing=_enum(h["housing"], "housing", _TOP_LABELS["housing"], vocab.HOUSING),
        events=_codes(h.get("events", []), "events", _TOP_LABELS["events"], vocab.EVENTS),
    )


# --- small helpers ---------------------------------------------------------------------------
