"""The integrated needs assessment (综合评估), assessment.md §2–§5.

``assess(household, policy)`` is a pure function: no Qt, no database, no clock.
Money is ``Decimal`` throughout; comparisons are made on exact values and only
the figures that are shown or paid are rounded, half up, to the fen. Every
measure carries a Chinese ``reason`` naming the figures used, for the clerk to
read aloud. The readings chosen where the spec leaves room are in
``docs/assessment.md``.

Results never depend on the order of the members: members are visited in the
order of their ID numbers, and ``member_ids`` lists are sorted the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import attrgetter
from typing import Any

from window_desk import idnumber, vocab
from window_desk.idnumber import age_on
from window_desk.errors import UserError
from window_desk.policy import Period, Policy
from window_desk.workdays import add_calendar_days, calendar_note, working_days_after

FEN = Decimal("0.01")
ZERO = Decimal("0")
MONEY_ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000000")  # 10亿元: anything above is a typing mistake
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)

EMERGENCY_EVENTS = ("disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death")
WINDOW_MEASURES = frozenset({"dibao", "dibao_single", "dibao_taper", "tekun", "low_income", "temp_emergency",
                             "temp_expenditure", "observation"})
_SEVERE_MENTAL = frozenset({"intellectual", "mental"})
_INCOME_FIELDS = tuple(vocab.INCOME_KINDS)
_RIGID_FIELDS = tuple(vocab.RIGID_EXPENSES)
_PLACEMENT_LABEL = {"centralized": "集中供养", "dispersed": "分散供养"}
_GRADE_LABEL = {1: "一", 2: "二", 3: "三", 4: "四"}


# --- input (§2) -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Income:
    """元 per month. ``exempt`` is recorded but never counted (收入豁免)."""

    wage: Decimal = MONEY_ZERO
    business: Decimal = MONEY_ZERO
    property: Decimal = MONEY_ZERO
    transfer: Decimal = MONEY_ZERO
    other: Decimal = MONEY_ZERO
    exempt: Decimal = MONEY_ZERO


@dataclass(frozen=True, slots=True)
class Disability:
    grade: int  # 1..4
    kind: str  # vocab.DISABILITY_KINDS


@dataclass(frozen=True, slots=True)
class Member:
    id_number: str  # 18 digits, normalised
    name: str
    relation: str
    labor_capacity: str
    self_care: str
    disability: Disability | None
    health: str
    schooling: str | None
    employed: bool
    income: Income
    supporter_capable: bool
    birth_date: date


@dataclass(frozen=True, slots=True)
class Assets:
    deposits: Decimal = MONEY_ZERO
    non_essential_vehicles: int = 0
    extra_houses: int = 0


@dataclass(frozen=True, slots=True)
class RigidExpenses:
    """Documented monthly 刚性支出, 元."""

    medical: Decimal = MONEY_ZERO
    education: Decimal = MONEY_ZERO
    care: Decimal = MONEY_ZERO
    housing: Decimal = MONEY_ZERO

    @property
    def total(self) -> Decimal:
        return self.medical + self.education + self.care + self.housing


@dataclass(frozen=True, slots=True)
class Household:
    application_date: date
    area: str
    members: tuple[Member, ...]
    current_benefits: frozenset[str] = frozenset()
    assets: Assets = Assets()
    rigid_expenses: RigidExpenses = RigidExpenses()
    housing: str = "adequate"
    events: frozenset[str] = frozenset()


# --- output (§5) ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Measure:
    code: str
    name: str
    member_ids: tuple[str, ...] | None  # None: the whole household
    reason: str
    due_date: date | None = None
    department: str | None = None  # set for referrals only
    monthly_amount: Decimal | None = None  # dibao, dibao_single, tekun
    amount: Decimal | None = None  # one-off: temp_emergency, temp_expenditure
    prepay: Decimal | None = None  # temp_emergency
    months: int | None = None  # dibao_taper
    placement: str | None = None  # tekun: centralized / dispersed
    calendar_note: str | None = None  # due date counted Monday–Friday (not in the JSON of a measure)


@dataclass(frozen=True, slots=True)
class Assessment:
    locality: str
    effective_from: date
    assessed_on: date
    standard_dibao: Decimal
    standard_tekun: Decimal
    household_size: int
    remaining_size: int
    counted_income: Decimal
    per_capita_income: Decimal | None
    rigid_expenses: Decimal
    per_capita_after_rigid: Decimal | None
    assets_ok: bool
    tier: str
    measures: tuple[Measure, ...]
    flags: tuple[str, ...]
    calendar_note: str | None


# --- reading the household JSON -------------------------------------------------------------

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


def _money_text(value: Decimal) -> str:
    """Half up to the fen, as a plain two-decimal string."""
    rounded = value.quantize(FEN, ROUND_HALF_UP)
    return "0.00" if not rounded else str(rounded)


def _round(value: Decimal) -> Decimal:
    rounded = value.quantize(FEN, ROUND_HALF_UP)
    return MONEY_ZERO if not rounded else rounded


def _share(total: Decimal, n: int, places: int = 2) -> Decimal:
    """total ÷ n rounded half up to ``places`` decimals, exactly (no intermediate rounding)."""
    num, den = total.as_integer_ratio()
    scale = 10**places
    quotient, remainder = divmod(abs(num) * scale, den * n)
    if 2 * remainder >= den * n:
        quotient += 1
    return Decimal(-quotient if num < 0 else quotient).scaleb(-places)


def _share_text(total: Decimal, n: int, thresholds: Iterable[Decimal]) -> str:
    """A per-capita figure for a reason; four decimals when two would hide which side of a threshold it is."""
    shown = _share(total, n)
    for threshold in thresholds:
        if shown == threshold and total != threshold * n:
            return str(_share(total, n, 4))
    return str(shown)


def _num(value: Decimal) -> str:
    """A multiplier or ratio without trailing zeros: 2.0 → 2, 1.50 → 1.5."""
    return format(value.normalize(), "f")


def _names(members: Iterable[Member]) -> str:
    return "、".join(m.name for m in members)


def _events_text(events: Iterable[str]) -> str:
    present = set(events)
    return "、".join(label for code, label in vocab.EVENTS.items() if code in present)


def _ids(members: Sequence[Member]) -> tuple[str, ...]:
    return tuple(m.id_number for m in members)


def department_for(code: str, period: Period) -> str | None:
    """The department a measure is referred to; None for the window's own measures."""
    if code not in vocab.MEASURES:
        raise UserError(f"未知的救助措施 {code!r}", field="code")
    return period.departments.for_code(code)


def due_date_for(code: str, period: Period, application_date: date) -> tuple[date, str | None]:
    """The due date of a measure and the ``calendar_note`` when it was counted Monday–Friday.

    Deadlines count working days after the application date (the date itself
    does not count); ``temp_emergency`` counts calendar days.
    """
    if code not in vocab.MEASURES:
        raise UserError(f"未知的救助措施 {code!r}", field="code")
    days = period.deadlines.for_code(code)
    if code == "temp_emergency":
        return add_calendar_days(application_date, days), None
    day, unknown = working_days_after(application_date, days)
    return day, calendar_note(unknown)


# --- the assessment -------------------------------------------------------------------------


class _Due:
    """Due dates of one assessment, remembering the years counted Monday–Friday."""

    __slots__ = ("day", "deadlines", "unknown", "cache")

    def __init__(self, day: date, period: Period) -> None:
        self.day = day
        self.deadlines = period.deadlines
        self.unknown: set[int] = set()
        self.cache: dict[str, date] = {}

    def __call__(self, code: str) -> date:
        found = self.cache.get(code)
        if found is None:
            if code == "temp_emergency":
                found = add_calendar_days(self.day, self.deadlines.temp_emergency)
            else:
                found, unknown = working_days_after(self.day, self.deadlines.for_code(code))
                if unknown:
                    self.unknown.update(unknown)
            self.cache[code] = found
        return found

    def working(self, n: int) -> date:
        found, unknown = working_days_after(self.day, n)
        if unknown:
            self.unknown.update(unknown)
        return found


def assess(household: Household, policy: Policy, on_date: date | None = None) -> Assessment:
    """The assessment of ``household`` under ``policy``; pure.

    ``on_date`` is the day the assessment is made as of — it picks the policy
    period, the ages and the day deadlines count from. It defaults to the
    application date, which is what §2 prescribes; a later date serves a
    re-assessment (复核) of the same household under the standards then in force.
    """
    day = on_date or household.application_date
    if on_date is not None and not FIRST_DAY <= on_date <= LAST_DAY:
        raise UserError(f"评估日期 {on_date.isoformat()} 不在 {FIRST_DAY.year}—{LAST_DAY.year} 年之间", field="on_date")
    period = policy.period_on(day)
    return _assess(household, policy.locality, period, day)


def _assess(household: Household, locality: str, period: Period, day: date) -> Assessment:  # noqa: C901
    standards, rules, departments = period.standards, period.rules, period.departments
    urban = household.area == "urban"
    area = "城市" if urban else "农村"
    S = standards.dibao_urban if urban else standards.dibao_rural
    T = standards.tekun_urban if urban else standards.tekun_rural
    multiplier = rules.low_income_multiplier
    low_line = multiplier * S
    S_text, low_text = _money_text(S), _money_text(low_line)  # as the reasons print them
    elder_age, minor_age = rules.elder_age, rules.minor_age
    deduction_cap = rules.employment_deduction_ratio * S
    due = _Due(day, period)
    events = household.events
    rigid = household.rigid_expenses
    E = rigid.medical + rigid.education + rigid.care + rigid.housing

    members = sorted(household.members, key=attrgetter("id_number"))
    N = len(members)
    assets = household.assets
    assets_ok = (assets.deposits <= rules.deposit_limit_months * S * N
                 and assets.non_essential_vehicles == 0 and assets.extra_houses == 0)

    # §3.1 counted income and age of each member; §3.3 特困 per member.
    ages: dict[str, int] = {}
    counted: dict[str, Decimal] = {}
    measures: list[Measure] = []
    rest: list[Member] = []
    tekun_ids: set[str] = set()
    deducted = ZERO
    exempt = ZERO
    for m in members:
        inc = m.income
        wage = inc.wage
        cut = ZERO
        if m.employed and wage:
            cut = wage if wage < deduction_cap else deduction_cap
            wage -= cut
        own = wage + inc.business + inc.property + inc.transfer + inc.other
        counted[m.id_number] = own
        age = ages[m.id_number] = age_on(m.birth_date, day)
        elder = age >= elder_age
        minor = age < minor_age
        d = m.disability
        severe = d is not None and (d.grade <= 2 or (d.grade == 3 and d.kind in _SEVERE_MENTAL))
        if ((elder or minor or severe) and (elder or minor or m.labor_capacity == "none")
                and own < S and assets_ok and not m.supporter_capable):
            tekun_ids.add(m.id_number)
            measures.append(_tekun_measure(m, age, own, elder, minor, severe, area, S, T, standards, rules, due))
        else:
            rest.append(m)
            deducted += cut  # named in the reasons about the rest's income
            exempt += inc.exempt

    # §3.4 the rest of the household.
    n = len(rest)
    I = sum((counted[m.id_number] for m in rest), ZERO)  # noqa: E741
    dibao = single = low_income = expenditure = False
    flags: list[str] = []
    P: Decimal | None = None
    P_r: Decimal | None = None
    if n:
        I_r = I - E if I > E else ZERO
        I_d = I_r if rules.dibao_deduct_rigid else I
        S_n = S * n
        low_n = low_line * n
        P, P_r = _share(I, n), _share(I_r, n)
        # The income sentence is only written when a measure of §3.5–3.8 needs it.
        basis = "" if I_d >= low_n else _income_basis(
            n, N, I, E, I_d, rules.dibao_deduct_rigid, deducted, exempt, (S, low_line))

        # §3.5 低保: (S − P_d) × n, computed as S × n − I_d so nothing is rounded early.
        if assets_ok and I_d < S_n:
            dibao = True
            amount = _round(S_n - I_d)
            measures.append(Measure(
                "dibao", vocab.MEASURES["dibao"], None,
                f"{basis},低于{area}低保标准{S_text}元,家庭财产符合规定;按{n}人补差:"
                f"{S_text}元×{n}人−{_money_text(I_d)}元={amount}元/月。",
                due_date=due("dibao"), monthly_amount=amount))
        # §3.6 单人保
        if not dibao and assets_ok and I_d < low_n:
            for m in rest:
                d = m.disability
                severe = d is not None and d.grade <= 2
                if severe or m.health == "serious":
                    single = True
                    own = counted[m.id_number]
                    amount = _round(S - own) if own < S else MONEY_ZERO
                    why = (f"持{vocab.DISABILITY_KINDS[d.kind]}{_GRADE_LABEL[d.grade]}级残疾证" if severe and d
                           else "患重病")
                    measures.append(Measure(
                        "dibao_single", vocab.MEASURES["dibao_single"], (m.id_number,),
                        f"{basis},不低于{area}低保标准{S_text}元,整户不符合低保条件,但低于{_num(multiplier)}倍低保标准"
                        f"{low_text}元,家庭财产符合规定;{m.name}{why},按单人保纳入低保:"
                        f"{S_text}元−本人月收入{_money_text(own)}元,每月{amount}元。",
                        due_date=due("dibao_single"), monthly_amount=amount))
        # §3.7 渐退
        if "dibao" in household.current_benefits and not dibao and I_d < low_n:
            why_not = (f"已不低于{area}低保标准{S_text}元" if I_d >= S_n else "但家庭财产超过规定,不再符合低保条件")
            measures.append(Measure(
                "dibao_taper", vocab.MEASURES["dibao_taper"], None,
                f"家庭正在享受低保;{basis},{why_not},仍低于{_num(multiplier)}倍低保标准{low_text}元;"
                f"给予{rules.taper_months}个月渐退期,期内维持原低保待遇。",
                due_date=due("dibao_taper"), months=rules.taper_months))
        # §3.8 低收入
        if not dibao and assets_ok and S_n <= I_d < low_n:
            low_income = True
            flags.append("dynamic_monitoring")
            measures.append(Measure(
                "low_income", vocab.MEASURES["low_income"], None,
                f"{basis},不低于{area}低保标准{S_text}元、低于{_num(multiplier)}倍低保标准{low_text}元,"
                f"家庭财产符合规定,认定为低收入家庭,纳入低收入人口动态监测。",
                due_date=due("low_income")))
        # §3.9 支出型临时救助
        if not dibao and E > 0 and I_r < S_n and I < low_n:
            expenditure = True
            wanted = rules.expenditure_months * E
            cap = rules.temp_max_months * S * n
            amount = _round(wanted if wanted < cap else cap)
            who = "家庭" if n == N else f"除特困人员外的{n}名家庭成员"
            measures.append(Measure(
                "temp_expenditure", vocab.MEASURES["temp_expenditure"], None,
                f"家庭每月刚性支出{_money_text(E)}元({_rigid_text(rigid)}),{who}月计算收入{_money_text(I)}元"
                f"(人均{_share_text(I, n, (low_line,))}元,低于{_num(multiplier)}倍低保标准"
                f"{low_text}元),扣除刚性支出后人均{_share_text(I_r, n, (S,))}元,低于{area}低保标准"
                f"{S_text}元;建议一次性救助{rules.expenditure_months}个月刚性支出{_money_text(wanted)}元,"
                f"以{rules.temp_max_months}个月低保标准×{n}人={_money_text(cap)}元为限,即{amount}元。",
                due_date=due("temp_expenditure"), amount=amount))

    # §3.10 急难
    emergency = False
    hardship = [e for e in EMERGENCY_EVENTS if e in events]
    if hardship:
        emergency = True
        amount = _round(rules.emergency_months * S * N)
        cap = rules.emergency_prepay_cap
        prepay = amount if amount < cap else _round(cap)
        paperwork = due.working(period.deadlines.prepay_paperwork)
        approval = (f"先行救助金额超过{_money_text(rules.prepay_approval_limit)}元,须经审核人审批。"
                    if prepay > rules.prepay_approval_limit else "")
        what = _events_text(hardship)
        measures.append(Measure(
            "temp_emergency", vocab.MEASURES["temp_emergency"], None,
            f"家庭遭遇{what},基本生活陷入困境,属急难情形;建议急难型临时救助{rules.emergency_months}个月×"
            f"{area}低保标准{S_text}元×{N}人={amount}元,先行救助{prepay}元(备用金先行救助上限"
            f"{_money_text(cap)}元),先行救助后{period.deadlines.prepay_paperwork}个工作日内"
            f"({paperwork.isoformat()}前)补齐材料。{approval}",
            due_date=due("temp_emergency"), amount=amount, prepay=prepay))
        measures.append(_referral("social_work", None, f"家庭遭遇{what},转{departments.social_work}"
                                  f"提供心理疏导、精神慰藉等社会工作服务。", departments, due))
    # §3.11 流浪乞讨
    if "homeless" in events:
        measures.append(_referral("vagrant", None, f"生活无着、流浪乞讨,转{departments.vagrant}"
                                  f"提供临时食宿、急病救治、协助返乡等救助。", departments, due))

    # §3.12 专项救助, only for households that got one of the gate measures.
    if tekun_ids or dibao or single or low_income or expenditure or emergency:
        ill = [m for m in members if m.health != "healthy"]
        if ill or rigid.medical > 0:
            parts = []
            if ill:
                parts.append("、".join(f"{m.name}患{vocab.HEALTH[m.health]}" for m in ill))
            if rigid.medical > 0:
                parts.append(f"家庭每月医疗支出{_money_text(rigid.medical)}元")
            measures.append(_referral("medical", _ids(ill) or None,
                                      f"{','.join(parts)},转{departments.medical}办理医疗救助。", departments, due))
        pupils = [m for m in members if m.schooling]
        if pupils:
            text = "、".join(f"{m.name}({vocab.SCHOOLING[m.schooling or '']})" for m in pupils)
            measures.append(_referral("education", _ids(pupils),
                                      f"{text}在学,转{departments.education}办理教育救助。", departments, due))
        if household.housing != "adequate":
            state = "无房" if household.housing == "none" else "住房为危房"
            help_ = "申请公租房或住房租赁补贴" if urban else "申请农村危房改造"
            measures.append(_referral("housing", None, f"家庭{state}({area}),转{departments.housing}{help_}。",
                                      departments, due))
        seekers = [m for m in members
                   if rules.working_age_min <= ages[m.id_number] < rules.working_age_max
                   and m.labor_capacity != "none" and not m.employed and not m.schooling]
        if seekers:
            text = "、".join(f"{m.name}({ages[m.id_number]}岁,{vocab.LABOR_CAPACITY[m.labor_capacity]})"
                            for m in seekers)
            zero = not any(m.employed for m in members)
            extra = ";家庭无人就业,属零就业家庭,请优先帮扶" if zero else ""
            if zero:
                flags.append("zero_employment")
            measures.append(_referral("employment", _ids(seekers),
                                      f"{text}处于劳动年龄、未就业且不在学,转{departments.employment}提供就业援助{extra}。",
                                      departments, due))
        if "disaster" in events:
            measures.append(_referral("disaster", None, f"家庭遭受自然灾害,转{departments.disaster}办理受灾人员救助。",
                                      departments, due))
        disabled = [m for m in members if m.disability is not None and m.id_number not in tekun_ids]
        if disabled:
            text = "、".join(f"{m.name}持{vocab.DISABILITY_KINDS[m.disability.kind]}"  # type: ignore[union-attr]
                            f"{_GRADE_LABEL[m.disability.grade]}级残疾证" for m in disabled)  # type: ignore[union-attr]
            measures.append(_referral("disability_subsidy", _ids(disabled),
                                      f"{text},未纳入特困供养,转{departments.disability_subsidy}申请困难残疾人生活补贴。",
                                      departments, due))
        children = [m for m in members if ages[m.id_number] < minor_age and not m.supporter_capable]
        if children:
            text = "、".join(f"{m.name}({ages[m.id_number]}岁)" for m in children)
            measures.append(_referral("child_welfare", _ids(children),
                                      f"{text}未满{minor_age}周岁且无有能力的抚养人,转{departments.child_welfare}"
                                      f"落实困境儿童基本生活保障。", departments, due))
        if "legal_dispute" in events:
            measures.append(_referral("legal_aid", None, f"家庭涉及法律纠纷,转{departments.legal_aid}申请法律援助。",
                                      departments, due))

    # §3.13 慈善与观察
    if expenditure or emergency:
        kinds = "、".join(k for k, on in (("支出型", expenditure), ("急难型", emergency)) if on)
        measures.append(_referral("charity", None, f"家庭获{kinds}临时救助,转{departments.charity}链接慈善资源,"
                                  f"弥补政府救助的不足。", departments, due))
    elif not assets_ok and events:
        measures.append(_referral("charity", None, f"家庭财产超过规定,不符合政府救助条件,但遭遇{_events_text(events)},"
                                  f"转{departments.charity}寻求慈善救助。", departments, due))
    if not measures:
        difficulties = []
        if events:
            difficulties.append(f"遭遇{_events_text(events)}")
        if E > 0:
            difficulties.append(f"每月刚性支出{_money_text(E)}元")
        if n and I < low_line * n:
            difficulties.append(f"人均收入{_share_text(I, n, (low_line,))}元低于{_num(multiplier)}倍低保标准"
                                f"{low_text}元")
        if difficulties:
            why = "(家庭财产超过规定)" if not assets_ok else ""
            measures.append(Measure(
                "observation", vocab.MEASURES["observation"], None,
                f"家庭暂不符合各项救助条件{why},但{','.join(difficulties)},确有实际困难,纳入救助观察名单,定期回访。",
                due_date=due("observation")))

    # §3.14 tier
    if dibao:
        tier = "dibao"
    elif tekun_ids:
        tier = "tekun"
    elif low_income or single:
        tier = "low_income"
    elif expenditure:
        tier = "expenditure"
    elif emergency:
        tier = "emergency"
    elif measures and measures[-1].code == "observation":
        tier = "observation"
    else:
        tier = "none"

    return Assessment(
        locality=locality,
        effective_from=period.effective_from,
        assessed_on=day,
        standard_dibao=_round(S),
        standard_tekun=_round(T),
        household_size=N,
        remaining_size=n,
        counted_income=_round(I),
        per_capita_income=P,
        rigid_expenses=_round(E),
        per_capita_after_rigid=P_r,
        assets_ok=assets_ok,
        tier=tier,
        measures=tuple(measures),
        flags=tuple(flags),
        calendar_note=calendar_note(due.unknown),
    )


def _tekun_measure(m: Member, age: int, own: Decimal, elder: bool, minor: bool, severe: bool, area: str,
                   S: Decimal, T: Decimal, standards: Any, rules: Any, due: _Due) -> Measure:
    why = []
    if elder:
        why.append(f"年满{rules.elder_age}周岁(现年{age}岁)")
    if minor:
        why.append(f"未满{rules.minor_age}周岁(现年{age}岁)")
    if severe and m.disability is not None:
        why.append(f"持{vocab.DISABILITY_KINDS[m.disability.kind]}{_GRADE_LABEL[m.disability.grade]}级残疾证")
    labor = "无劳动能力" if m.labor_capacity == "none" else "按年龄视为无劳动能力"
    care = standards.care(m.self_care)
    amount = _round(T + care)
    placement = "dispersed" if m.self_care == "full" else "centralized"
    place_why = "" if placement == "dispersed" else f"({vocab.SELF_CARE[m.self_care]}人员纳入集中供养)"
    return Measure(
        "tekun", vocab.MEASURES["tekun"], (m.id_number,),
        f"{m.name}{'、'.join(why)},{labor},本人月收入{_money_text(own)}元低于{area}低保标准{_money_text(S)}元,家庭财产符合规定,"
        f"无有能力的法定赡养、抚养、扶养义务人,符合特困人员条件;按{area}特困人员基本生活标准{_money_text(T)}元加"
        f"{vocab.SELF_CARE[m.self_care]}照料护理标准{_money_text(care)}元,每月{amount}元,建议{_PLACEMENT_LABEL[placement]}{place_why}。",
        due_date=due("tekun"), monthly_amount=amount, placement=placement)


def _referral(code: str, member_ids: tuple[str, ...] | None, reason: str, departments: Any, due: _Due) -> Measure:
    return Measure(code, vocab.MEASURES[code], member_ids, reason, due_date=due(code),
                   department=departments.for_code(code))


def _rigid_text(rigid: RigidExpenses) -> str:
    return "、".join(f"{label}{_money_text(getattr(rigid, key))}元" for key, label in vocab.RIGID_EXPENSES.items()
                    if getattr(rigid, key) > 0)


def _income_basis(n: int, N: int, I: Decimal, E: Decimal, I_d: Decimal, deduct: bool, deducted: Decimal,  # noqa: E741
                  exempt: Decimal, thresholds: tuple[Decimal, ...]) -> str:
    """The household's income as the reasons of §3.5–3.8 state it."""
    who = f"家庭{n}人" if n == N else f"除特困人员外的{n}名家庭成员"
    notes = []
    if deducted:
        notes.append(f"已扣减就业成本{_money_text(deducted)}元")
    if exempt:
        notes.append(f"豁免收入{_money_text(exempt)}元不计入")
    text = f"{who}月计算收入合计{_money_text(I)}元" + (f"({','.join(notes)})" if notes else "")
    if deduct:
        text += f",扣除刚性支出{_money_text(E)}元后为{_money_text(I_d)}元"
    return f"{text},人均{_share_text(I_d, n, thresholds)}元"


# --- a measure the clerk adds by hand --------------------------------------------------------


def _optional_money(value: object, name: str, label: str) -> Decimal | None:
    if value is None:
        return None
    return _money(value, name, label)


def manual_measure(code: str, period: Period, application_date: date, member_ids: Sequence[str] | None = None,
                   reason: str = "", *, monthly_amount: object = None, amount: object = None, prepay: object = None,
                   months: object = None, placement: str | None = None) -> Measure:
    """A measure the clerk adds (§6): department and due date from the period, amounts as given.

    ``reason`` is the clerk's written reason; ``member_ids`` are ID numbers
    (normalised here; 15-digit numbers upgraded), None or empty for the household.
    """
    if code not in vocab.MEASURES:
        raise UserError(f"未知的救助措施 {code!r}", field="code")
    if not isinstance(reason, str) or not reason.strip():
        raise UserError("请写明添加这项措施的理由", field="reason")
    ids: tuple[str, ...] | None = None
    if member_ids:
        normalised = []
        for i, raw in enumerate(member_ids):
            check = idnumber.check(raw, today=date.max)
            if not check.valid or check.id_number is None:
                raise UserError(f"身份证号码无效:{check.error}", field=f"member_ids[{i}]")
            normalised.append(check.id_number)
        ids = tuple(normalised)
    if months is not None:
        months = _count(months, "months", "月数")
    if placement is not None and placement not in _PLACEMENT_LABEL:
        raise UserError(f"供养方式应为 {_enum_text(_PLACEMENT_LABEL)}", field="placement")
    due_date, note = due_date_for(code, period, application_date)
    return Measure(
        code, vocab.MEASURES[code], ids, reason.strip(), due_date=due_date,
        department=department_for(code, period),
        monthly_amount=_optional_money(monthly_amount, "monthly_amount", "每月金额"),
        amount=_optional_money(amount, "amount", "一次性金额"),
        prepay=_optional_money(prepay, "prepay", "先行救助金额"),
        months=months,  # type: ignore[arg-type]
        placement=placement,
        calendar_note=note,
    )


# --- JSON out (§5) ---------------------------------------------------------------------------


def measure_to_json(m: Measure) -> dict[str, Any]:
    out: dict[str, Any] = {"code": m.code, "name": m.name,
                           "member_ids": list(m.member_ids) if m.member_ids is not None else None}
    if m.monthly_amount is not None:
        out["monthly_amount"] = _money_text(m.monthly_amount)
    if m.amount is not None:
        out["amount"] = _money_text(m.amount)
    if m.prepay is not None:
        out["prepay"] = _money_text(m.prepay)
    if m.months is not None:
        out["months"] = m.months
    if m.placement is not None:
        out["placement"] = m.placement
    out["department"] = m.department
    out["due_date"] = m.due_date.isoformat() if m.due_date else None
    out["reason"] = m.reason
    return out


def assessment_to_json(a: Assessment) -> dict[str, Any]:
    """The JSON of §5: amounts as two-decimal strings, dates ISO."""
    return {
        "policy": {"locality": a.locality, "effective_from": a.effective_from.isoformat()},
        "standards": {"dibao": _money_text(a.standard_dibao), "tekun": _money_text(a.standard_tekun)},
        "household_size": a.household_size,
        "remaining_size": a.remaining_size,
        "counted_income": _money_text(a.counted_income),
        "per_capita_income": None if a.per_capita_income is None else _money_text(a.per_capita_income),
        "rigid_expenses": _money_text(a.rigid_expenses),
        "per_capita_after_rigid": None if a.per_capita_after_rigid is None else _money_text(a.per_capita_after_rigid),
        "assets_ok": a.assets_ok,
        "tier": a.tier,
        "measures": [measure_to_json(m) for m in a.measures],
        "flags": list(a.flags),
        "calendar_note": a.calendar_note,
    }


__all__ = [
    "Assessment", "Assets", "Disability", "Household", "Income", "Measure", "Member", "RigidExpenses",
    "assess", "assessment_to_json", "department_for", "due_date_for", "household_from_json", "manual_measure",
    "measure_to_json",
]
