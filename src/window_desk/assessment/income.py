"""§3.1–3.4: counted income, the asset test, who is 特困, and the figures of the rest of the household.

Everything later steps compare against is computed here once, exactly (no rounding: only shown or paid
figures are rounded), and kept in a ``Context`` the steps read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

from window_desk.assessment.deadlines import _Due
from window_desk.assessment.model import ZERO, Household, Member, RigidExpenses
from window_desk.assessment.tekun import qualifies
from window_desk.assessment.text import _income_basis, _money_text, _share
from window_desk.idnumber import age_on
from window_desk.policy import Period


@dataclass(frozen=True, slots=True)
class Rest:
    """§3.4: the members not qualifying for tekun, and their figures (``n == 0``: nobody is left)."""

    members: tuple[Member, ...]
    n: int
    I: Decimal  # noqa: E741 - counted income, the spec's letter
    I_r: Decimal  # max(0, I − E)
    I_d: Decimal  # I_r when dibao_deduct_rigid, else I
    S_n: Decimal  # S × n
    low_n: Decimal  # low_income_multiplier × S × n
    P: Decimal | None
    P_r: Decimal | None
    basis: str  # the income sentence of §3.5–3.8; only written when one of them can apply


@dataclass(frozen=True, slots=True)
class Context:
    household: Household
    locality: str
    period: Period
    day: date
    rules: Any
    standards: Any
    departments: Any
    urban: bool
    area: str  # 城市 / 农村, as reasons say it
    S: Decimal
    T: Decimal
    multiplier: Decimal
    low_line: Decimal
    S_text: str
    low_text: str
    due: _Due
    events: frozenset[str]
    rigid: RigidExpenses
    E: Decimal
    members: tuple[Member, ...]  # in ID-number order, so results never depend on input order
    N: int
    assets_ok: bool
    ages: dict[str, int]
    counted: dict[str, Decimal]
    tekun_ids: frozenset[str]
    rest: Rest


def context(household: Household, locality: str, period: Period, day: date) -> Context:
    standards, rules = period.standards, period.rules
    urban = household.area == "urban"
    S = standards.dibao_urban if urban else standards.dibao_rural
    T = standards.tekun_urban if urban else standards.tekun_rural
    low_line = rules.low_income_multiplier * S
    rigid = household.rigid_expenses
    E = rigid.medical + rigid.education + rigid.care + rigid.housing
    members = tuple(sorted(household.members, key=attrgetter("id_number")))
    N = len(members)
    assets = household.assets
    # §3.2
    assets_ok = (assets.deposits <= rules.deposit_limit_months * S * N
                 and assets.non_essential_vehicles == 0 and assets.extra_houses == 0)

    # §3.1 counted income of each member (employment deduction capped at ratio × S).
    deduction_cap = rules.employment_deduction_ratio * S
    ages: dict[str, int] = {}
    counted: dict[str, Decimal] = {}
    tekun_ids: set[str] = set()
    rest: list[Member] = []
    deducted = exempt = ZERO
    for m in members:
        inc = m.income
        wage = inc.wage
        cut = ZERO
        if m.employed and wage:
            cut = wage if wage < deduction_cap else deduction_cap
            wage -= cut
        own = counted[m.id_number] = wage + inc.business + inc.property + inc.transfer + inc.other
        age = ages[m.id_number] = age_on(m.birth_date, day)
        # §3.3
        if qualifies(m, age, own, S, assets_ok, rules):
            tekun_ids.add(m.id_number)
        else:
            rest.append(m)
            deducted += cut  # named in the reasons about the rest's income
            exempt += inc.exempt

    return Context(
        household=household, locality=locality, period=period, day=day, rules=rules, standards=standards,
        departments=period.departments, urban=urban, area="城市" if urban else "农村", S=S, T=T,
        multiplier=rules.low_income_multiplier, low_line=low_line, S_text=_money_text(S),
        low_text=_money_text(low_line), due=_Due(day, period), events=household.events, rigid=rigid, E=E,
        members=members, N=N, assets_ok=assets_ok, ages=ages, counted=counted, tekun_ids=frozenset(tekun_ids),
        rest=_rest(tuple(rest), N, counted, E, S, low_line, rules.dibao_deduct_rigid, deducted, exempt),
    )


def _rest(members: tuple[Member, ...], N: int, counted: dict[str, Decimal], E: Decimal, S: Decimal,  # noqa: N803
          low_line: Decimal, deduct_rigid: bool, deducted: Decimal, exempt: Decimal) -> Rest:
    """§3.4: P = I ÷ n, P_r = max(0, I − E) ÷ n, P_d = P_r if dibao_deduct_rigid else P."""
    n = len(members)
    I = sum((counted[m.id_number] for m in members), ZERO)  # noqa: E741
    if not n:
        return Rest(members, 0, I, ZERO, ZERO, ZERO, ZERO, None, None, "")
    I_r = I - E if I > E else ZERO
    I_d = I_r if deduct_rigid else I
    low_n = low_line * n
    basis = "" if I_d >= low_n else _income_basis(n, N, I, E, I_d, deduct_rigid, deducted, exempt, (S, low_line))
    return Rest(members, n, I, I_r, I_d, S * n, low_n, _share(I, n), _share(I_r, n), basis)
