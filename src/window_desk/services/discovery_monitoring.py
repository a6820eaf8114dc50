"""主动发现: low-income dynamic monitoring (低收入人口动态监测, seed 000 §3).

The list holds households whose assessment carried ``dynamic_monitoring``, with their per-capita income;
``monitoring_warnings`` (and its paged form ``monitoring_page``) compares it with the 低保 standard and the
low-income line (``low_income_multiplier`` × 低保) of the period in force on a day and of every later
period already in the policy, and flags a re-check date that has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from window_desk import vocab
from window_desk.db.models import Assessment, Case, Household, MonitoringEntry, Person
from window_desk.errors import NotFound, UserError
from window_desk.permissions import requires
from window_desk.policy import Policy
from window_desk.services import assessment_store
from window_desk.services.discovery_common import (
    MONITOR_STATES,
    PAGE_SIZE,
    RECHECK_MONTHS,
    add_months,
    day_field,
    monitor_state,
    page_limit,
)
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork


@dataclass(frozen=True)
class MonitoringWarning:
    entry_id: int
    person_id: int
    name: str
    area: str
    per_capita_income: Decimal
    dibao: Decimal
    low_income_line: Decimal
    state: str  # under the period in force on the day
    baseline_state: str  # under the period in force when assessed
    recheck_date: date
    recheck_due: bool
    upcoming: tuple[tuple[date, str, Decimal], ...] = ()  # (period start, state then, 低保 then)

    @property
    def warnings(self) -> tuple[str, ...]:
        out = []
        if self.state != self.baseline_state and self.state != "low_income":
            out.append(f"按现行标准{MONITOR_STATES[self.state]}")
        for start, state, dibao in self.upcoming:
            if state != "low_income":
                out.append(f"自{start.isoformat()}起（低保标准{dibao}元）将{MONITOR_STATES[state]}")
        if self.recheck_due:
            out.append(f"复核日期{self.recheck_date.isoformat()}已到")
        return tuple(out)

    @property
    def warned(self) -> bool:
        return bool(self.warnings)


def sync_monitoring(uow: UnitOfWork, low: int, high: int) -> int:
    """Add every case numbered in (``low``, ``high``] whose latest assessment is flagged ``dynamic_monitoring``
    (a step of ``discovery_sync``, which checks the role and commits); the entries and their audit entries
    go in one statement each."""
    rows: list[MonitoringEntry] = []
    latest = (select(Assessment.case_id, func.max(Assessment.id).label("aid"))
              .where(Assessment.case_id > low, Assessment.case_id <= high)
              .group_by(Assessment.case_id).subquery())
    candidates = uow.session.execute(
        select(Case, Assessment, Household.area).join(latest, latest.c.case_id == Case.id)
        .join(Assessment, Assessment.id == latest.c.aid).join(Household, Household.id == Case.household_id)
        .outerjoin(MonitoringEntry, MonitoringEntry.case_id == Case.id)
        .where(Case.id > low, Case.id <= high,
               Case.tier.in_(("low_income", "dibao", "observation", "expenditure", "emergency")),
               MonitoringEntry.id.is_(None))).all()
    for case, assessment, area in candidates:
        # Slim rows (format 2 and later) keep the proposal only: its flags say who is monitored, and the
        # per-capita income is recomputed from the stored input and policy, as the case view does.
        slim = (assessment.format or 1) >= 2
        flags = assessment_store.stored_proposal(assessment).get("flags") if slim else (assessment.result or {}).get("flags")
        if "dynamic_monitoring" not in (flags or []):
            continue
        result = assessment_store.full_result(uow, assessment) if slim else (assessment.result or {})
        per_capita = result.get("per_capita_income")
        if per_capita is None:
            continue
        rows.append(_entry_row(uow, case.applicant_person_id, case.id, area, int(result.get("household_size") or 1),
                               Decimal(str(per_capita)), case.application_date))
    uow.session.add_all(rows)
    uow.session.flush()
    uow.audit_many([("discovery.monitoring_add", "monitoring_entry", row.id,
                     {"case_id": row.case_id, "person_id": row.person_id}) for row in rows])
    return len(rows)


def _entry_row(uow: UnitOfWork, person_id: int, case_id: int | None, area: str, size: int,
               per_capita: Decimal, assessed_on: date) -> MonitoringEntry:
    return MonitoringEntry(person_id=person_id, case_id=case_id, area=area, household_size=size,
                           per_capita_income=per_capita.quantize(Decimal("0.01")), assessed_on=assessed_on,
                           recheck_date=add_months(assessed_on, RECHECK_MONTHS), status="active", closed_reason="",
                           created_at=now(), created_by=uow.actor.label)


def _new_entry(uow: UnitOfWork, person_id: int, case_id: int | None, area: str, size: int,
               per_capita: Decimal, assessed_on: date) -> MonitoringEntry:
    row = _entry_row(uow, person_id, case_id, area, size, per_capita, assessed_on)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("discovery.monitoring_add", "monitoring_entry", row.id, {"case_id": case_id, "person_id": person_id})
    return row


@requires("discovery.write")
def add_monitoring(uow: UnitOfWork, person_id: int, area: str, household_size: int, per_capita_income: Decimal | str,
                   assessed_on: date | str, *, case_id: int | None = None) -> int:
    """Put a household on the monitoring list by hand (e.g. from another department's data); its id."""
    if area not in vocab.AREAS:
        raise UserError(f"未知的城乡类别：{area}", field="城乡")
    if uow.session.get(Person, person_id) is None:
        raise NotFound("没有这个人", field="人员")
    try:
        income = Decimal(str(per_capita_income))
    except ArithmeticError:
        raise UserError(f"不是有效的金额：{per_capita_income}", field="人均收入") from None
    if not income.is_finite() or income < 0:
        raise UserError(f"不是有效的金额：{per_capita_income}", field="人均收入")
    if household_size < 1:
        raise UserError("至少为1人", field="家庭人口")
    row = _new_entry(uow, person_id, case_id, area, household_size, income, day_field(assessed_on, "核算日期"))
    uow.commit()
    return row.id


def _warning(row: MonitoringEntry, name: str, policy: Policy, on: date) -> MonitoringWarning:
    period = policy.period_on(on)
    pc = Decimal(row.per_capita_income)
    dibao = period.standards.dibao(row.area)
    mult = period.rules.low_income_multiplier
    try:
        base = policy.period_on(row.assessed_on)
    except UserError:
        base = period
    baseline = monitor_state(pc, base.standards.dibao(row.area), base.rules.low_income_multiplier)
    upcoming = tuple((p.effective_from, monitor_state(pc, p.standards.dibao(row.area), p.rules.low_income_multiplier),
                      p.standards.dibao(row.area)) for p in policy.periods if p.effective_from > on)
    return MonitoringWarning(row.id, row.person_id, name, row.area, pc, dibao,
                             (dibao * mult).quantize(Decimal("0.01")), monitor_state(pc, dibao, mult), baseline,
                             row.recheck_date, row.recheck_date <= on, upcoming)


def monitoring_page(uow: UnitOfWork, policy: Policy, on: date | None = None, *, after: int | None = None,
                    limit: int = PAGE_SIZE) -> list[MonitoringWarning]:
    """One page of the active monitored households (by id, after the entry id ``after``) with their
    warnings: ``warned`` tells who now (or from a coming period) falls below 低保 or out of low income,
    or whose re-check date has come."""
    on = on or today()
    policy.period_on(on)  # no period in force: refused before reading
    query = (select(MonitoringEntry, Person.name).join(Person, Person.id == MonitoringEntry.person_id)
             .where(MonitoringEntry.status == "active"))
    if after is not None:
        query = query.where(MonitoringEntry.id > after)
    rows = uow.session.execute(query.order_by(MonitoringEntry.id).limit(page_limit(limit))).all()
    return [_warning(row, name, policy, on) for row, name in rows]


def monitoring_warnings(uow: UnitOfWork, policy: Policy, on: date | None = None) -> list[MonitoringWarning]:
    """Every active monitored household with its warnings (the report and the tests; the page pages)."""
    out: list[MonitoringWarning] = []
    while True:
        page = monitoring_page(uow, policy, on, after=out[-1].entry_id if out else None, limit=500)
        out.extend(page)
        if len(page) < 500:
            return out
