"""The case register (个案台账): finding cases, a page at a time.

Pages are keyset-paginated on the case id (newest first), so the thousandth
page costs what the first does. ID numbers leave here masked; showing one in
full is a separate, logged action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import aliased

from window_desk import idnumber
from window_desk.db.models import Case, Member, Person
from window_desk.errors import NotFound, UserError
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork
from window_desk.vocab import CASE_STATUSES, TIERS

OPEN_STATUSES = ("draft", "accepted", "missing_materials")
_INITIALS = re.compile(r"[A-Za-z]{1,16}")


@dataclass(frozen=True)
class CaseFilter:
    query: str = ""
    status: str | None = None
    tier: str | None = None
    overdue_only: bool = False


@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str
    application_date: date
    applicant_name: str
    applicant_id_masked: str
    members: int
    tier: str | None
    status: str
    deadline: date | None
    matter: str
    overdue: bool

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "application_date": self.application_date.isoformat(),
            "applicant": self.applicant_name,
            "id_number": self.applicant_id_masked,
            "members": self.members,
            "tier": self.tier,
            "tier_label": TIERS.get(self.tier or "none", ""),
            "status": self.status,
            "status_label": CASE_STATUSES.get(self.status, self.status),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "overdue": self.overdue,
            "matter": self.matter,
        }


def _matching(query: str) -> object | None:
    """The WHERE clause for a search text: a full ID number, pinyin initials, or a name prefix."""
    text = query.strip()
    if not text:
        return None
    member = aliased(Member)
    person = aliased(Person)
    in_household = select(member.id).join(person, person.id == member.person_id).where(
        member.household_id == Case.household_id
    )
    check = idnumber.check(text)
    if check.valid:
        return exists(in_household.where(person.id_number == check.id_number))
    if _INITIALS.fullmatch(text):
        return exists(in_household.where(person.name_initials.like(f"{text.lower()}%")))
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return exists(in_household.where(person.name.like(f"{escaped}%", escape="\\")))


def _base(flt: CaseFilter) -> Select[tuple[Case, Person]]:
    stmt = select(Case, Person).join(Person, Person.id == Case.applicant_person_id)
    clause = _matching(flt.query)
    if clause is not None:
        stmt = stmt.where(clause)  # type: ignore[arg-type]
    if flt.status:
        if flt.status not in CASE_STATUSES:
            raise UserError("未知的状态", field="状态")
        stmt = stmt.where(Case.status == flt.status)
    if flt.tier:
        if flt.tier not in TIERS:
            raise UserError("未知的类别", field="类别")
        stmt = stmt.where(Case.tier == flt.tier)
    if flt.overdue_only:
        stmt = stmt.where(and_(Case.deadline < today(), Case.status.in_(OPEN_STATUSES)))
    return stmt


def find_cases(uow: UnitOfWork, flt: CaseFilter, *, after_id: int | None = None, limit: int = 100) -> list[CaseRow]:
    """One page of matching cases, newest first, continuing after ``after_id``."""
    if not 1 <= limit <= 10_000:
        raise UserError("每页条数应在 1 到 10000 之间", field="--limit")
    stmt = _base(flt)
    if after_id is not None:
        stmt = stmt.where(Case.id < after_id)
    rows = uow.session.execute(stmt.order_by(Case.id.desc()).limit(limit)).all()
    counts = dict(
        uow.session.execute(
            select(Member.household_id, func.count()).where(Member.household_id.in_({c.household_id for c, _ in rows}))
            .group_by(Member.household_id)
        ).all()
    ) if rows else {}
    day = today()
    return [
        CaseRow(
            id=case.id, number=case.number, application_date=case.application_date, applicant_name=person.name,
            applicant_id_masked=idnumber.mask(person.id_number), members=counts.get(case.household_id, 0),
            tier=case.tier, status=case.status, deadline=case.deadline, matter=case.matter,
            overdue=bool(case.deadline and case.deadline < day and case.status in OPEN_STATUSES),
        )
        for case, person in rows
    ]


def count_cases(uow: UnitOfWork, flt: CaseFilter) -> int:
    sub = _base(flt).with_only_columns(Case.id).subquery()
    return uow.session.scalar(select(func.count()).select_from(sub)) or 0


def reveal_id_number(uow: UnitOfWork, case_id: int, reason: str) -> str:
    """The applicant's full ID number, logged: who looked, at which case, why."""
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound("个案不存在", field="个案")
    if len(reason.strip()) < 2:
        raise UserError("请写明查看完整号码的理由", field="理由")
    person = uow.session.get(Person, case.applicant_person_id)
    assert person is not None
    uow.audit("person.unmask", "case", case.id, {"case": case.number, "reason": reason.strip()})
    uow.commit()
    return person.id_number


__all__ = ["CaseFilter", "CaseRow", "find_cases", "count_cases", "reveal_id_number"]
