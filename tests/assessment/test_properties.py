"""Properties of the assessment that hold for every valid household (Hypothesis)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from window_desk import vocab
from window_desk.assessment import Assessment, Household, assess, assessment_to_json, household_from_json
from window_desk.policy import Policy, load_policy, parse_policy

from .conftest import DEFAULT_TOML, RIGID_PERIOD, pid

DEFAULT = load_policy(DEFAULT_TOML)
# Deduction on from 2021-11-01 already, so every generated date exercises it.
RIGID = parse_policy(DEFAULT_TOML.read_text(encoding="utf-8").replace(
    "dibao_deduct_rigid = false", "dibao_deduct_rigid = true"), "rigid.toml")
LATE_RIGID = parse_policy(DEFAULT_TOML.read_text(encoding="utf-8") + RIGID_PERIOD, "late-rigid.toml")
POLICIES = (DEFAULT, RIGID, LATE_RIGID)

INCOME_FIELDS = ("wage", "business", "property", "transfer", "other")
MONEY_TEXT = re.compile(r"\d+\.\d{2}")

amounts = st.one_of(
    st.just(Decimal("0")),
    st.decimals(min_value=0, max_value=3000, places=2),
    st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2),
)


@st.composite
def members(draw: st.DrawFn, day: date, seq: int) -> dict[str, Any]:
    birth = draw(st.dates(min_value=date(1920, 1, 1), max_value=day))
    disabled = draw(st.booleans())
    return {
        "id_number": pid(birth.isoformat(), seq),
        "name": f"成员{seq}",
        "relation": "self" if seq == 1 else draw(st.sampled_from([r for r in vocab.RELATIONS if r != "self"])),
        "labor_capacity": draw(st.sampled_from(list(vocab.LABOR_CAPACITY))),
        "self_care": draw(st.sampled_from(list(vocab.SELF_CARE))),
        "disability": ({"grade": draw(st.integers(1, 4)), "kind": draw(st.sampled_from(list(vocab.DISABILITY_KINDS)))}
                       if disabled else None),
        "health": draw(st.sampled_from(list(vocab.HEALTH))),
        "schooling": draw(st.sampled_from([None, *vocab.SCHOOLING])),
        "employed": draw(st.booleans()),
        "supporter_capable": draw(st.booleans()),
        "income": {k: draw(amounts) for k in vocab.INCOME_KINDS},
    }


@st.composite
def households(draw: st.DrawFn) -> Household:
    day = draw(st.dates(min_value=date(2021, 11, 1), max_value=date(2030, 12, 31)))
    count = draw(st.integers(1, 7))
    data = {
        "application_date": day.isoformat(),
        "area": draw(st.sampled_from(["urban", "rural"])),
        "current_benefits": draw(st.lists(st.sampled_from(list(vocab.BENEFITS)), unique=True)),
        "members": [draw(members(day, seq)) for seq in range(1, count + 1)],
        "assets": {
            "deposits": draw(amounts),
            "non_essential_vehicles": draw(st.sampled_from([0, 0, 0, 1, 2])),
            "extra_houses": draw(st.sampled_from([0, 0, 0, 1])),
        },
        "rigid_expenses": {k: draw(amounts) for k in vocab.RIGID_EXPENSES},
        "housing": draw(st.sampled_from(list(vocab.HOUSING))),
        "events": draw(st.lists(st.sampled_from(list(vocab.EVENTS)), unique=True)),
    }
    return household_from_json(data)  # a valid household is one the reader accepts


def _dibao(a: Assessment) -> Decimal:
    return sum((m.monthly_amount or Decimal(0) for m in a.measures if m.code == "dibao"), Decimal(0))


def _tekun(a: Assessment) -> tuple[Decimal, frozenset[str]]:
    found = [m for m in a.measures if m.code == "tekun"]
    return (sum((m.monthly_amount or Decimal(0) for m in found), Decimal(0)),
            frozenset(m.member_ids[0] for m in found if m.member_ids))


@settings(max_examples=400)
@given(households(), st.sampled_from(POLICIES))
def test_never_raises_and_output_is_well_formed(household: Household, policy: Policy) -> None:
    result = assessment_to_json(assess(household, policy))
    assert result["tier"] in vocab.TIERS
    assert set(result["flags"]) <= set(vocab.FLAGS)
    assert result["household_size"] == len(household.members)
    assert 0 <= result["remaining_size"] <= result["household_size"]
    assert (result["per_capita_income"] is None) == (result["remaining_size"] == 0)
    ids = {m.id_number for m in household.members}
    for m in result["measures"]:
        assert m["code"] in vocab.MEASURES and m["name"] == vocab.MEASURES[m["code"]]
        assert m["reason"] and re.search(r"[\u4e00-\u9fff]", m["reason"])
        assert m["due_date"] >= household.application_date.isoformat()
        assert (m["department"] is None) == (m["code"] in {"dibao", "dibao_single", "dibao_taper", "tekun",
                                                             "low_income", "temp_emergency", "temp_expenditure",
                                                             "observation"})
        assert m["member_ids"] is None or set(m["member_ids"]) <= ids
        for key in ("monthly_amount", "amount", "prepay"):
            if key in m:
                assert MONEY_TEXT.fullmatch(m[key]), (key, m[key])
    for key in ("counted_income", "rigid_expenses"):
        assert MONEY_TEXT.fullmatch(result[key])
    if result["tier"] == "observation":
        assert [m["code"] for m in result["measures"]] == ["observation"]
    # Only a date past the calendar can produce a note.
    if result["calendar_note"] is not None:
        assert any(m["due_date"] > "2026-12-31" for m in result["measures"])


@settings(max_examples=300)
@given(households(), st.sampled_from(POLICIES), st.data())
def test_member_order_never_changes_the_result(household: Household, policy: Policy, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(household.members))
    other = replace(household, members=tuple(shuffled))
    assert assessment_to_json(assess(other, policy)) == assessment_to_json(assess(household, policy))


@st.composite
def more_income(draw: st.DrawFn) -> tuple[Household, Household]:
    household = draw(households())
    index = draw(st.integers(0, len(household.members) - 1))
    member = household.members[index]
    field = draw(st.sampled_from(INCOME_FIELDS))
    extra = draw(st.decimals(min_value=Decimal("0.01"), max_value=5000, places=2))
    income = replace(member.income, **{field: getattr(member.income, field) + extra})
    changed = list(household.members)
    changed[index] = replace(member, income=income)
    return household, replace(household, members=tuple(changed))


@settings(max_examples=500)
@given(more_income())
def test_more_income_never_raises_the_dibao_amount(pair: tuple[Household, Household]) -> None:
    before, after = pair
    assert _dibao(assess(after, DEFAULT)) <= _dibao(assess(before, DEFAULT))


@settings(max_examples=500)
@given(more_income())
def test_more_income_with_rigid_deduction(pair: tuple[Household, Household]) -> None:
    """With the deduction on, the dibao amount never rises either — except in the one case
    docs/assessment.md describes: income lifts a member out of 特困 into a rest whose rigid
    expenses exceed its income. Even then the household's monthly dibao + 特困 together falls."""
    before, after = pair
    a, b = assess(before, RIGID), assess(after, RIGID)
    if _dibao(b) <= _dibao(a):
        return
    (tekun_a, ids_a), (tekun_b, ids_b) = _tekun(a), _tekun(b)
    assert ids_b < ids_a  # someone left 特困
    assert before.rigid_expenses.total > 0
    assert _dibao(b) + tekun_b < _dibao(a) + tekun_a
