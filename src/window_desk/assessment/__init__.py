"""The integrated needs assessment (综合评估), assessment.md §2–§5.

``assess(household, policy)`` is a pure function: no Qt, no database, no clock.
Money is ``Decimal`` throughout; comparisons are made on exact values and only
the figures that are shown or paid are rounded, half up, to the fen. Every
measure carries a Chinese ``reason`` naming the figures used, for the clerk to
read aloud. The readings chosen where the spec leaves room are in
``docs/assessment.md``.

The package follows §3 of the spec, one module a step:

- ``income``      §3.1–3.4 counted income, asset test, who is tekun, the rest's figures
- ``tekun``       §3.3 特困
- ``household``   §3.5–3.8 低保, 单人保, 渐退, 低收入
- ``temporary``   §3.9–3.11 支出型, 急难型 (先行救助), 流浪乞讨
- ``specialised`` §3.12 专项救助 referrals
- ``charity``     §3.13 慈善, 救助观察
- ``assess`` below: §3.14 the tier, and the composition (``STEPS``)

A step is ``step(ctx, found) -> list[Measure]``: it reads the household's figures (``ctx``) and what
earlier steps found, and returns its measures with their reasons. A new measure is one such function
and one line in ``STEPS`` (docs/assessment.md shows an example).

Results never depend on the order of the members: members are visited in the
order of their ID numbers, and ``member_ids`` lists are sorted the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from window_desk.assessment import charity, household, specialised, temporary, tekun
from window_desk.assessment.deadlines import department_for, due_date_for
from window_desk.assessment.income import Context, context
from window_desk.assessment.inputs import household_from_json
from window_desk.assessment.manual import manual_measure
from window_desk.assessment.model import (
    FIRST_DAY,
    LAST_DAY,
    WINDOW_MEASURES,
    Assessment,
    Assets,
    Disability,
    Household,
    Income,
    Measure,
    Member,
    RigidExpenses,
)
from window_desk.assessment.output import assessment_to_json, measure_to_json
from window_desk.assessment.temporary import EMERGENCY_EVENTS
from window_desk.assessment.text import _round
from window_desk.errors import UserError
from window_desk.policy import Period, Policy
from window_desk.workdays import calendar_note


@dataclass(slots=True)
class Found:
    """What the steps so far proposed, in order."""

    measures: list[Measure] = field(default_factory=list)

    def has(self, *codes: str) -> bool:
        return any(m.code in codes for m in self.measures)


Step = Callable[[Context, Found], list[Measure]]

# The order is the order measures are listed in, and the order rules may rely on (a later step
# reads what an earlier one found, e.g. 单人保 only where 低保 was not proposed).
STEPS: tuple[Step, ...] = (
    tekun.tekun,
    household.dibao,
    household.dibao_single,
    household.dibao_taper,
    household.low_income,
    temporary.temp_expenditure,
    temporary.temp_emergency,
    temporary.vagrant,
    specialised.specialised,
    charity.charity,
    charity.observation,
)

# §3.14: the one word on the register, the first that applies.
TIERS = (
    ("dibao", ("dibao",)),
    ("tekun", ("tekun",)),
    ("low_income", ("low_income", "dibao_single")),
    ("expenditure", ("temp_expenditure",)),
    ("emergency", ("temp_emergency",)),
    ("observation", ("observation",)),
)


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
    return assess_in_period(household, policy.locality, period, day)


def assess_in_period(household: Household, locality: str, period: Period, day: date) -> Assessment:
    ctx = context(household, locality, period, day)
    found = Found()
    for step in STEPS:
        found.measures.extend(step(ctx, found))
    return _finish(ctx, found)


def _finish(ctx: Context, found: Found) -> Assessment:
    tier = next((name for name, codes in TIERS if found.has(*codes)), "none")
    flags = []
    if found.has("low_income"):
        flags.append("dynamic_monitoring")  # 纳入低收入人口动态监测 (§3.8)
    if found.has("employment") and specialised.zero_employment(ctx):
        flags.append("zero_employment")
    r = ctx.rest
    return Assessment(
        locality=ctx.locality,
        effective_from=ctx.period.effective_from,
        assessed_on=ctx.day,
        standard_dibao=_round(ctx.S),
        standard_tekun=_round(ctx.T),
        household_size=ctx.N,
        remaining_size=r.n,
        counted_income=_round(r.I),
        per_capita_income=r.P,
        rigid_expenses=_round(ctx.E),
        per_capita_after_rigid=r.P_r,
        assets_ok=ctx.assets_ok,
        tier=tier,
        measures=tuple(found.measures),
        flags=tuple(flags),
        calendar_note=calendar_note(ctx.due.unknown),
    )


__all__ = [
    "EMERGENCY_EVENTS", "STEPS", "WINDOW_MEASURES", "Assessment", "Assets", "Disability", "Found", "Household",
    "Income", "Measure", "Member", "RigidExpenses", "assess", "assessment_to_json", "department_for",
    "due_date_for", "household_from_json", "manual_measure", "measure_to_json",
]
