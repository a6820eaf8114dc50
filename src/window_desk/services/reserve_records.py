"""Prepayments as plain data, and the reading of them: the 待审批 list, one by id, the paid ones of a
day, the overdue paperwork, a person's history, and the twelve-month look-up of the once-a-year rule.

``reserve`` re-exports every public name here; the workflow that writes prepayments lives there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select

from window_desk import idnumber, vocab
from window_desk.db.models import Case, Member, Person, Prepayment, ReserveEntry
from window_desk.errors import NotFound
from window_desk.money import ZERO, fmt, to_money
from window_desk.services.reserve_ledger import _office
from window_desk.timeutil import format_local
from window_desk.uow import UnitOfWork

STATUSES = {"pending": "待审批", "paid": "已发放", "rejected": "未批准", "returned": "已全额退回"}
CAUSES = {code: vocab.EVENTS[code] for code in
          ("disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death")}
OPEN_CASE_STATUSES = ("draft", "accepted", "missing_materials")


@dataclass(frozen=True)
class PrepaymentInfo:
    id: int
    office: str
    case_id: int | None
    case_number: str
    inquiry_id: int | None
    person_id: int
    person_name: str
    cause: str
    amount: Decimal
    suggested: Decimal | None
    reason: str
    status: str
    approval_needed: tuple[str, ...]
    override_reason: str
    requested_by: str
    requested_by_name: str
    requested_at: datetime
    approver_name: str
    decided_at: datetime | None
    paid_on: date | None
    paperwork_due: date | None
    paperwork_done: bool
    voucher_number: str
    document_id: int | None
    returned: Decimal = ZERO

    @property
    def cause_label(self) -> str:
        return CAUSES.get(self.cause, self.cause)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def describe(self) -> str:
        """One line for a history list (the intake page's 历史记录)."""
        when = self.paid_on.isoformat() if self.paid_on else format_local(self.requested_at)[:10]
        voucher = f"，凭证{self.voucher_number}" if self.voucher_number else ""
        back = f"，已退回{fmt(self.returned)}元" if self.returned else ""
        return (f"先行救助（{self.cause_label}）¥{fmt(self.amount)}，{self.status_label}{voucher}{back}"
                f"（{when}）")


def _info(uow: UnitOfWork, p: Prepayment) -> PrepaymentInfo:
    return _infos(uow, [p])[0]


def _infos(uow: UnitOfWork, rows: list[Prepayment]) -> list[PrepaymentInfo]:
    """Many at once: persons, cases and returns in three queries, not three per row."""
    if not rows:
        return []
    persons = dict(uow.session.execute(select(Person.id, Person.name).where(
        Person.id.in_({r.person_id for r in rows}))).all())
    case_ids = {r.case_id for r in rows if r.case_id}
    cases = dict(uow.session.execute(select(Case.id, Case.number).where(Case.id.in_(case_ids))).all()) if case_ids else {}
    returned: dict[int, Decimal] = {}
    for pid, amount in uow.session.execute(
        select(ReserveEntry.prepayment_id, func.sum(ReserveEntry.amount))
        .where(ReserveEntry.prepayment_id.in_({r.id for r in rows}), ReserveEntry.kind == "return")
        .group_by(ReserveEntry.prepayment_id)
    ).all():
        returned[pid] = amount if isinstance(amount, Decimal) else Decimal(int(amount or 0)) / 100
    return [_make_info(p, persons.get(p.person_id, ""), cases.get(p.case_id, "") if p.case_id else "",
                       returned.get(p.id, ZERO)) for p in rows]


def _make_info(p: Prepayment, person_name: str, case_number: str, returned: Decimal) -> PrepaymentInfo:
    return PrepaymentInfo(
        id=p.id, office=p.office, case_id=p.case_id, case_number=case_number, inquiry_id=p.inquiry_id,
        person_id=p.person_id, person_name=person_name, cause=p.cause, amount=p.amount,
        suggested=p.suggested, reason=p.reason, status=p.status,
        approval_needed=tuple(x for x in p.approval_needed.split(",") if x), override_reason=p.override_reason,
        requested_by=p.created_by, requested_by_name=p.requested_by_name, requested_at=p.created_at,
        approver_name=p.approver_name, decided_at=p.decided_at, paid_on=p.paid_on, paperwork_due=p.paperwork_due,
        paperwork_done=p.paperwork_done_at is not None, voucher_number=p.voucher_number, document_id=p.document_id,
        returned=to_money(returned),
    )


def _household_person_ids(uow: UnitOfWork, case: Case | None, person_id: int) -> list[int]:
    if case is None:
        return [person_id]
    ids = list(uow.session.scalars(select(Member.person_id).where(Member.household_id == case.household_id)))
    return ids or [person_id]


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _earlier_same_cause(uow: UnitOfWork, person_ids: list[int], cause: str, day: date,
                        exclude: int | None = None) -> list[Prepayment]:
    """Pending or paid prepayments for ``cause`` to any of these people within twelve months of ``day``."""
    since = _year_before(day)
    stmt = select(Prepayment).where(
        Prepayment.person_id.in_(person_ids), Prepayment.cause == cause,
        # Written as two inequalities so the planner takes the (person, cause, paid_on) index, not status.
        Prepayment.status != "rejected", Prepayment.status != "returned",
        or_(Prepayment.paid_on > since, Prepayment.paid_on.is_(None)),
    )
    if exclude is not None:
        stmt = stmt.where(Prepayment.id != exclude)
    return list(uow.session.scalars(stmt.order_by(Prepayment.id)))


def pending(uow: UnitOfWork, office: str | None = None) -> list[PrepaymentInfo]:
    """The 待审批 list a supervisor sees on login, oldest first."""
    office = _office(uow, office)
    rows = uow.session.scalars(select(Prepayment).where(Prepayment.office == office, Prepayment.status == "pending")
                               .order_by(Prepayment.id))
    return _infos(uow, list(rows))


def get(uow: UnitOfWork, prepayment_id: int) -> PrepaymentInfo:
    row = uow.session.get(Prepayment, prepayment_id)
    if row is None:
        raise NotFound("先行救助记录不存在", field="先行救助")
    return _info(uow, row)


def paperwork_overdue(uow: UnitOfWork, day: date) -> list[PrepaymentInfo]:
    """Paid prepayments whose case file was not completed by the due date (for the register and review).

    Completed means marked so (``complete_paperwork``) or the case decided (closed / rejected).
    """
    rows = uow.session.execute(
        # paperwork_due is set exactly when a prepayment is paid: no status test needed.
        select(Prepayment, Case.status).outerjoin(Case, Case.id == Prepayment.case_id)
        .where(Prepayment.paperwork_done_at.is_(None), Prepayment.paperwork_due < day)
        .order_by(Prepayment.paperwork_due, Prepayment.id)
    ).all()
    return _infos(uow, [p for p, case_status in rows if case_status is None or case_status in OPEN_CASE_STATUSES])


def payments_on(uow: UnitOfWork, day: date) -> list[PrepaymentInfo]:
    """The prepayments paid on ``day`` (for the daily register and review)."""
    rows = uow.session.scalars(select(Prepayment).where(Prepayment.paid_on == day).order_by(Prepayment.paid_at))
    return _infos(uow, list(rows))


def prepayments_of(uow: UnitOfWork, person_ids: list[int] | tuple[int, ...] | set[int]) -> list[PrepaymentInfo]:
    """Every prepayment (any status) to any of these people, newest first (the intake history panel)."""
    ids = list({int(i) for i in person_ids})
    if not ids:
        return []
    rows = uow.session.scalars(select(Prepayment).where(Prepayment.person_id.in_(ids))
                               .order_by(Prepayment.id.desc()))
    return _infos(uow, list(rows))


def prepayments_of_id_numbers(uow: UnitOfWork, id_numbers: list[str]) -> list[PrepaymentInfo]:
    """The same, by ID numbers (what the intake form has while it is typed)."""
    ids = [n for n in {idnumber.normalize(i) for i in id_numbers} if n]
    if not ids:
        return []
    person_ids = list(uow.session.scalars(select(Person.id).where(Person.id_number.in_(ids))))
    return prepayments_of(uow, person_ids)
