"""Before acceptance: the earlier history of every member (the 受理 history panel, with sources other
parts of the desk register) and the duplicate-assistance check. Part of ``window_desk.services.intake``,
which re-exports every name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from window_desk import idnumber, vocab
from window_desk.db.models import (
    Case,
    Inquiry,
    Member,
    Person,
    Referral,
)
from window_desk.errors import Conflict
from window_desk.services.intake_form import BENEFIT_CODES, OPEN_STATUSES
from window_desk.timeutil import to_local
from window_desk.uow import UnitOfWork


@dataclass(frozen=True)
class DuplicateFinding:
    """A reason to look twice: ``blocking`` ones stop acceptance until a written reason is given."""

    member_index: int
    member_name: str
    case_number: str
    blocking: bool
    text: str


class DuplicateAssistance(Conflict):
    """A member is in another open case or already receives a requested benefit."""

    def __init__(self, findings: list[DuplicateFinding]) -> None:
        super().__init__("可能重复救助:" + ";".join(f.text for f in findings)
                         + "。如确需继续受理,请写明理由(审核人可见)。", field="重复救助核查")
        self.findings = findings


def duplicate_check(uow: UnitOfWork, payload: dict[str, Any], requested: set[str] | None = None) -> list[DuplicateFinding]:
    """Members already in another open case, or already receiving a benefit being requested (blocking);
    a name different from the one on record for the same ID number (a warning)."""
    numbers: dict[str, int] = {}
    for i, m in enumerate(payload.get("members", [])):
        check = idnumber.check(m.get("id_number", ""))
        if check.valid and check.id_number:
            numbers.setdefault(check.id_number, i)
    if not numbers:
        return []
    members = payload["members"]
    people = {p.id: p for p in uow.session.scalars(select(Person).where(Person.id_number.in_(list(numbers))))}
    out: list[DuplicateFinding] = []
    for p in people.values():
        i = numbers[p.id_number]
        typed = str(members[i].get("name", "")).strip()
        if typed and typed != p.name:
            out.append(DuplicateFinding(i, typed, "", False,
                                        f"第{i + 1}位成员身份证号在册姓名为“{p.name}”,与录入的“{typed}”不同,请核对"))
    if not people:
        return out
    wanted = (requested or set()) & BENEFIT_CODES
    rows = uow.session.execute(
        select(Member.person_id, Case.number, Case.status, Case.tier)
        .join(Case, Case.household_id == Member.household_id)
        .where(Member.person_id.in_(list(people)), Case.status.in_([*OPEN_STATUSES, "closed"]))
        .order_by(Case.application_date.desc())
    ).all()
    for person_id, number, status, tier in rows:
        p = people[person_id]
        i = numbers[p.id_number]
        name = str(members[i].get("name", "")).strip() or p.name
        if status in OPEN_STATUSES:
            out.append(DuplicateFinding(i, name, number, True,
                                        f"第{i + 1}位成员{name}已在个案 {number}"
                                        f"({vocab.CASE_STATUSES.get(status, status)})中,该个案尚未办结"))
        elif tier in wanted:
            out.append(DuplicateFinding(i, name, number, True,
                                        f"第{i + 1}位成员{name}已通过个案 {number}享受"
                                        f"{vocab.TIERS.get(tier, tier)},本次又申请同一待遇"))
    return out


# --- history of the people being entered ---------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    id_number: str
    name: str
    kind: str  # "case" | "inquiry" | "benefit" | "referral" | what a registered source adds
    day: date
    text: str
    open: bool = False  # still being worked on (shown first, in red)


HistorySource = Callable[[UnitOfWork, dict[int, Person], int], list[HistoryItem]]
HISTORY_SOURCES: dict[str, HistorySource] = {}
HISTORY_KINDS: dict[str, str] = {}


def register_history_source(kind: str, label: str, source: HistorySource) -> None:
    """Add a kind of row to the history panel (e.g. the reserve fund's prepayments): ``source`` gets the
    unit of work, the people found by ID number {person id: Person} and a row limit, and returns items."""
    HISTORY_SOURCES[kind] = source
    HISTORY_KINDS[kind] = label


def _case_rows(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    items = []
    rows = uow.session.execute(
        select(Member.person_id, Member.relation, Case)
        .join(Case, Case.household_id == Member.household_id)
        .where(Member.person_id.in_(list(people)))
        .order_by(Case.application_date.desc())
        .limit(limit)
    ).all()
    for person_id, relation, case in rows:
        p = people[person_id]
        role = "申请人" if case.applicant_person_id == person_id else f"家庭成员({vocab.RELATIONS.get(relation, relation)})"
        status = vocab.CASE_STATUSES.get(case.status, case.status)
        items.append(HistoryItem(p.id_number, p.name, "case", case.application_date,
                                 f"个案 {case.number}:{role},{status},"
                                 f"类别{vocab.TIERS.get(case.tier or 'none', case.tier or '')};{case.matter}",
                                 open=case.status in OPEN_STATUSES))
        if case.tier in BENEFIT_CODES and case.status in ("accepted", "closed"):
            items.append(HistoryItem(p.id_number, p.name, "benefit", case.application_date,
                                     f"待遇:{vocab.TIERS.get(case.tier, case.tier)}(个案 {case.number},{status})",
                                     open=case.status in OPEN_STATUSES))
    return items


def _inquiry_rows(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    items = []
    for inquiry in uow.session.scalars(
        select(Inquiry).where(Inquiry.visitor_person_id.in_(list(people)))
        .order_by(Inquiry.received_at.desc()).limit(limit)
    ):
        p = people[inquiry.visitor_person_id]  # type: ignore[index]
        outcome = vocab.INQUIRY_OUTCOMES.get(inquiry.outcome or "", "未办结")
        items.append(HistoryItem(p.id_number, p.name, "inquiry", to_local(inquiry.received_at).date(),
                                 f"首问登记:{inquiry.matter}({outcome})", open=inquiry.outcome is None))
    return items


def _referral_rows(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    items = []
    rows = uow.session.execute(
        select(Member.person_id, Referral, Case.number)
        .join(Case, Case.household_id == Member.household_id)
        .join(Referral, Referral.case_id == Case.id)
        .where(Member.person_id.in_(list(people)))
        .order_by(Referral.due_date.desc())
        .limit(limit)
    ).all()
    for person_id, referral, number in rows:
        p = people[person_id]
        status = vocab.REFERRAL_STATUSES.get(referral.status, referral.status)
        items.append(HistoryItem(p.id_number, p.name, "referral", to_local(referral.referred_at).date(),
                                 f"转介:{vocab.MEASURES.get(referral.measure_code, referral.measure_code)} → "
                                 f"{referral.department},{status},期限{referral.due_date:%Y-%m-%d}(个案 {number})",
                                 open=referral.status in ("sent", "received")))
    return items


register_history_source("case", "个案", _case_rows)
register_history_source("benefit", "待遇", lambda uow, people, limit: [])  # rows come with the cases
register_history_source("inquiry", "首问登记", _inquiry_rows)
register_history_source("referral", "转介", _referral_rows)


def history_for(uow: UnitOfWork, id_numbers: list[str], limit: int = 200) -> list[HistoryItem]:
    """Every earlier case, benefit, inquiry and referral of these people (and what registered sources
    add), open ones first, then newest first. Each source is one indexed query."""
    ids = [n for n in {idnumber.normalize(i) for i in id_numbers} if n]
    if not ids:
        return []
    people = {p.id: p for p in uow.session.scalars(select(Person).where(Person.id_number.in_(ids)))}
    if not people:
        return []
    items: list[HistoryItem] = []
    for source in HISTORY_SOURCES.values():
        items.extend(source(uow, people, limit))
    items.sort(key=lambda item: (not item.open, -item.day.toordinal()))
    return items[:limit]
