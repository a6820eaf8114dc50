"""The household reader, the JSON of §5, manual measures, due dates and departments."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from window_desk.assessment import (
    assess,
    assessment_to_json,
    department_for,
    due_date_for,
    household_from_json,
    manual_measure,
    measure_to_json,
)
from window_desk.errors import UserError
from window_desk.policy import Policy, parse_policy

from .conftest import DEFAULT_TOML, pid

APPLICANT = pid("1980-01-15", 1)
SPOUSE = pid("1982-06-20", 2)
CHILD = pid("2015-09-01", 3)


def member(id_number: str, name: str, relation: str, **extra: Any) -> dict[str, Any]:
    data = {
        "id_number": id_number, "name": name, "relation": relation, "labor_capacity": "full", "self_care": "full",
        "disability": None, "health": "healthy", "schooling": None, "employed": False, "supporter_capable": True,
        "income": {"wage": Decimal("0"), "business": Decimal("0"), "property": Decimal("0"),
                   "transfer": Decimal("0"), "other": Decimal("0"), "exempt": Decimal("0")},
    }
    data.update(extra)
    return data


def household() -> dict[str, Any]:
    return {
        "application_date": "2026-03-02",
        "area": "urban",
        "current_benefits": [],
        "members": [
            member(APPLICANT, "甲", "self", employed=True, income={"wage": Decimal("1000")}),
            member(SPOUSE, "乙", "spouse", employed=True, income={"wage": Decimal("600")}),
            member(CHILD, "丙", "child", schooling="compulsory"),
        ],
        "assets": {"deposits": Decimal("0"), "non_essential_vehicles": 0, "extra_houses": 0},
        "rigid_expenses": {"medical": Decimal("0"), "education": Decimal("0"), "care": Decimal("0"),
                           "housing": Decimal("0")},
        "housing": "adequate",
        "events": [],
    }


@pytest.fixture
def policy(default_policy: Policy) -> Policy:
    return default_policy


def test_output_has_exactly_the_fields_of_section_5(policy: Policy) -> None:
    result = assessment_to_json(assess(household_from_json(household()), policy))
    assert list(result) == ["policy", "standards", "household_size", "remaining_size", "counted_income",
                            "per_capita_income", "rigid_expenses", "per_capita_after_rigid", "assets_ok", "tier",
                            "measures", "flags", "calendar_note"]
    # 742 + 342 = 1084 over 3 → dibao 2580 − 1084 = 1496.00 (row dibao_urban_basic of the table).
    dibao, education = result["measures"]
    assert dibao == {
        "code": "dibao", "name": "最低生活保障", "member_ids": None, "monthly_amount": "1496.00", "department": None,
        "due_date": "2026-03-23", "reason": dibao["reason"],
    }
    assert dibao["reason"].startswith("家庭3人月计算收入合计1084.00元")
    assert "低于城市低保标准860.00元" in dibao["reason"]
    assert list(education) == ["code", "name", "member_ids", "department", "due_date", "reason"]
    assert education["member_ids"] == [CHILD]


def test_money_may_be_int_decimal_or_text_and_absent_means_zero(policy: Policy) -> None:
    data = household()
    data["members"][0]["income"] = {"wage": 1000}
    data["members"][1]["income"] = {"wage": "600.00"}
    del data["members"][2]["income"]
    del data["rigid_expenses"], data["assets"], data["events"], data["current_benefits"]
    a = assess(household_from_json(data), policy)
    assert a.counted_income == Decimal("1084.00")
    assert a.measures[0].monthly_amount == Decimal("1496.00")


def test_id_numbers_are_normalised() -> None:
    data = household()
    data["members"][0]["id_number"] = " " + APPLICANT[:6] + "-" + APPLICANT[6:].lower()
    data["members"][2]["id_number"] = "110101150901003"  # 15-digit legacy number of someone born 1915
    data["members"][2]["schooling"] = None
    h = household_from_json(data)
    assert h.members[0].id_number == APPLICANT
    assert len(h.members[2].id_number) == 18 and h.members[2].birth_date == date(1915, 9, 1)


def _set(path: str, value: Any) -> Any:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if value is DELETE:
            del target[int(last) if last.isdigit() else last]
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return mutate


DELETE = object()

BAD_INPUT = [
    ("negative wage", _set("members[2].income.wage", Decimal("-1")), "members[2].income.wage", ["不能为负数", "丙"]),
    ("three decimals", _set("members[0].income.other", Decimal("1.005")), "members[0].income.other", ["两位小数"]),
    ("float money", _set("members[0].income.other", 1.5), "members[0].income.other", ["浮点数"]),
    ("text that is no amount", _set("assets.deposits", "很多"), "assets.deposits", ["金额"]),
    ("NaN", _set("rigid_expenses.care", Decimal("NaN")), "rigid_expenses.care", ["不是有效的金额"]),
    ("huge", _set("rigid_expenses.care", Decimal("1E+12")), "rigid_expenses.care", ["过大"]),
    ("missing date", _set("application_date", DELETE), "application_date", ["缺少"]),
    ("impossible date", _set("application_date", "2026-02-30"), "application_date", ["不是真实的日期"]),
    ("date far away", _set("application_date", "2201-01-01"), "application_date", ["2100"]),
    ("bad area", _set("area", "city"), "area", ["urban", "rural"]),
    ("no members", _set("members", []), "members", ["至少需要一名"]),
    ("members not a list", _set("members", {}), "members", ["列表"]),
    ("member missing a flag", _set("members[1].employed", DELETE), "members[1].employed", ["缺少"]),
    ("flag not a boolean", _set("members[1].employed", "yes"), "members[1].employed", ["true 或 false"]),
    ("bad check digit", _set("members[1].id_number", SPOUSE[:17] + ("0" if SPOUSE[17] != "0" else "1")),
     "members[1].id_number", ["校验码"]),
    ("id not text", _set("members[1].id_number", 110101), "members[1].id_number", ["身份证号码无效"]),
    ("duplicate id", _set("members[1].id_number", APPLICANT), "members[1].id_number", ["相同"]),
    ("applicant not first", _set("members[0].relation", "spouse"), "members[0].relation", ["申请人本人"]),
    ("two applicants", _set("members[1].relation", "self"), "members[1].relation", ["只有第一位成员"]),
    ("bad relation", _set("members[1].relation", "friend"), "members[1].relation", ["无效的取值"]),
    ("disability grade 5", _set("members[0].disability", {"grade": 5, "kind": "physical"}),
     "members[0].disability.grade", ["1、2、3、4"]),
    ("disability kind", _set("members[0].disability", {"grade": 2, "kind": "leg"}), "members[0].disability.kind",
     ["physical"]),
    ("disability incomplete", _set("members[0].disability", {"grade": 2}), "members[0].disability.kind", ["缺少"]),
    ("schooling", _set("members[2].schooling", "college"), "members[2].schooling", ["compulsory"]),
    ("misspelt member key", _set("members[0].incom", {}), "members[0].incom", ["未知字段"]),
    ("misspelt income key", _set("members[0].income.salary", Decimal(1)), "members[0].income.salary", ["未知字段"]),
    ("unknown top key", _set("address", "x"), "address", ["未知字段"]),
    ("negative vehicles", _set("assets.non_essential_vehicles", -1), "assets.non_essential_vehicles", ["不能为负数"]),
    ("half a house", _set("assets.extra_houses", Decimal("0.5")), "assets.extra_houses", ["整数"]),
    ("unknown event", _set("events", ["flood"]), "events[0]", ["disaster"]),
    ("unknown benefit", _set("current_benefits", ["pension"]), "current_benefits[0]", ["dibao"]),
    ("born after applying", _set("members[2].id_number", pid("2026-03-03", 3)), "members[2].id_number",
     ["晚于申请日期"]),
    ("missing housing", _set("housing", DELETE), "housing", ["缺少"]),
    ("empty name", _set("members[0].name", " "), "members[0].name", ["姓名不能为空"]),
    ("not an object", lambda data: data.clear() or data.update({"x": 1}), "x", ["未知字段"]),
]


@pytest.mark.parametrize(("mutate", "field", "phrases"), [b[1:] for b in BAD_INPUT], ids=[b[0] for b in BAD_INPUT])
def test_bad_input_names_the_field(mutate: Any, field: str, phrases: list[str]) -> None:
    data = household()
    mutate(data)
    with pytest.raises(UserError) as err:
        household_from_json(data)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    for phrase in phrases:
        assert phrase in err.value.message, (phrase, err.value.message)


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(UserError) as err:
        household_from_json([1, 2])
    assert "JSON 对象" in str(err.value)


def test_reading_does_not_change_the_input() -> None:
    data = household()
    before = copy.deepcopy(data)
    household_from_json(data)
    assert data == before


def test_on_date_picks_period_ages_and_start_of_deadlines(policy: Policy) -> None:
    # Other income 800, alone, urban (row first_period_last_day): applied 2022-06-30 → period 1, 830 − 800 = 30.00.
    data = household()
    data["application_date"] = "2022-06-30"
    data["members"] = [member(APPLICANT, "甲", "self", income={"other": Decimal("800")})]
    h = household_from_json(data)
    assert assess(h, policy).measures[0].monthly_amount == Decimal("30.00")
    # Re-assessed as of 2022-07-01: period 2, 860 − 800 = 60.00, due 15 working days after 07-01 → 07-22.
    again = assess(h, policy, on_date=date(2022, 7, 1))
    assert again.effective_from == date(2022, 7, 1)
    assert (again.measures[0].monthly_amount, again.measures[0].due_date) == (Decimal("60.00"), date(2022, 7, 22))
    with pytest.raises(UserError):
        assess(h, policy, on_date=date(2020, 5, 1))


def test_rigid_deduction_corner_where_more_income_raises_dibao(rigid_policy: Policy) -> None:
    """Documented in docs/assessment.md: deduction on, E > I of the rest, a 特困 member's income rises to S."""
    # Rigid period (2026-06-01), urban, S = 860, T = 1420, care_full 150. 甲 46, no income; E = medical 100.
    # 乙 76, no supporter, pension 500 < 860 → 特困 1570.00; rest 甲: I = 0, I − E < 0 → 0 → dibao 860.00.
    data = household()
    data["application_date"] = "2026-06-01"
    data["rigid_expenses"]["medical"] = Decimal("100")
    data["members"] = [member(APPLICANT, "甲", "self"),
                       member(pid("1950-01-10", 2), "乙", "parent", labor_capacity="none", supporter_capable=False,
                              income={"transfer": Decimal("500")})]
    before = assess(household_from_json(data), rigid_policy)
    assert [(m.code, m.monthly_amount) for m in before.measures if m.monthly_amount] == [
        ("tekun", Decimal("1570.00")), ("dibao", Decimal("860.00"))]
    # 乙's pension rises to 860 = S → not 特困; rest of 2: I = 860, I − E = 760 → dibao 1720 − 760 = 960.00.
    data["members"][1]["income"] = {"transfer": Decimal("860")}
    after = assess(household_from_json(data), rigid_policy)
    assert [(m.code, m.monthly_amount) for m in after.measures if m.monthly_amount] == [("dibao", Decimal("960.00"))]


# --- due dates, departments and measures the clerk adds ------------------------------------------


def test_due_dates_and_departments(policy: Policy) -> None:
    period = policy.period_on(date(2026, 3, 2))
    assert due_date_for("dibao", period, date(2026, 3, 2)) == (date(2026, 3, 23), None)
    assert due_date_for("observation", period, date(2026, 3, 2)) == (date(2026, 3, 23), None)
    assert due_date_for("medical", period, date(2026, 3, 2)) == (date(2026, 3, 16), None)
    assert due_date_for("temp_emergency", period, date(2026, 9, 30)) == (date(2026, 10, 1), None)  # calendar days
    day, note = due_date_for("tekun", period, date(2026, 12, 21))
    assert day == date(2027, 1, 11) and note and "2027" in note
    assert department_for("medical", period) == "区医保局"
    assert department_for("dibao", period) is None
    with pytest.raises(UserError):
        due_date_for("pension", period, date(2026, 3, 2))
    with pytest.raises(UserError):
        department_for("pension", period)


def test_department_deadline_of_its_own() -> None:
    text = DEFAULT_TOML.read_text(encoding="utf-8").replace("referral = 10 ", "referral = 10\nmedical = 3 ")
    period = parse_policy(text).period_on(date(2026, 3, 2))
    assert due_date_for("medical", period, date(2026, 3, 2)) == (date(2026, 3, 5), None)
    assert due_date_for("education", period, date(2026, 3, 2)) == (date(2026, 3, 16), None)


def test_manual_measure(policy: Policy) -> None:
    period = policy.period_on(date(2026, 3, 2))
    m = manual_measure("medical", period, date(2026, 3, 2), member_ids=[SPOUSE.lower()], reason="  住院自付费用高  ")
    assert measure_to_json(m) == {"code": "medical", "name": "医疗救助", "member_ids": [SPOUSE], "department": "区医保局",
                                  "due_date": "2026-03-16", "reason": "住院自付费用高"}
    m = manual_measure("temp_emergency", period, date(2026, 3, 2), reason="突发火灾", amount=Decimal("1500"),
                       prepay=Decimal("1500.5"))
    assert measure_to_json(m) == {"code": "temp_emergency", "name": "急难型临时救助", "member_ids": None,
                                  "amount": "1500.00", "prepay": "1500.50", "department": None,
                                  "due_date": "2026-03-03", "reason": "突发火灾"}
    m = manual_measure("dibao_taper", period, date(2026, 12, 21), reason="收入刚超过标准", months=Decimal("6"))
    assert m.months == 6 and m.due_date == date(2027, 1, 11) and m.calendar_note and "2027" in m.calendar_note
    assert manual_measure("tekun", period, date(2026, 3, 2), [APPLICANT], "无人照料", monthly_amount=1570,
                          placement="dispersed").monthly_amount == Decimal("1570.00")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"code": "pension"}, "code"),
    ({"reason": "  "}, "reason"),
    ({"member_ids": ["123"]}, "member_ids[0]"),
    ({"monthly_amount": Decimal("-5")}, "monthly_amount"),
    ({"months": Decimal("1.5")}, "months"),
    ({"placement": "home"}, "placement"),
])
def test_manual_measure_refuses_bad_input(policy: Policy, kwargs: dict[str, Any], field: str) -> None:
    args: dict[str, Any] = {"code": "dibao", "reason": "窗口补充"}
    args.update(kwargs)
    code = args.pop("code")
    with pytest.raises(UserError) as err:
        manual_measure(code, policy.period_on(date(2026, 3, 2)), date(2026, 3, 2), **args)
    assert err.value.field == field
