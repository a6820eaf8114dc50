"""The assessment's data: the household in (§2), the measures and the assessment out (§5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


FEN = Decimal("0.01")
ZERO = Decimal("0")
MONEY_ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000000")  # 10亿元: anything above is a typing mistake
FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)

WINDOW_MEASURES = frozenset({"dibao", "dibao_single", "dibao_taper", "tekun", "low_income", "temp_emergency",
                             "temp_expenditure", "observation"})


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


