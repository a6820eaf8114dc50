"""The case register (个案台账): finding cases, a page at a time, without reading the whole register.

Every search starts from an indexed column of ``persons`` — the ID number (unique index), or a *range*
on the name or the pinyin initials (``name >= '王秀' AND name < '王私'``: the ordinary binary index,
unlike ``LIKE``, which SQLite compares case-insensitively and so cannot use it) — then goes through
``members.person_id`` to the households and through ``cases.household_id`` to the cases.

A single surname (one Chinese character) matches a tenth of all people: its page in the register's date
order comes straight off ``case_name_keys`` (first character, application date, case id), one index
range read in page order. Other texts that match very many people leave the matching households too
many to list; then the cases are walked in the page's order on the sort index and each is checked
against the people's index, which finds a page after reading about ``limit × cases ÷ matches`` rows —
few, because matches are dense. Counts are exact when the matches are few, else "at least N" (``CountResult``).

Pages are keyset-paginated on (sort key, id), so the thousandth page costs what the first does; cases
without a due date come after the dated ones. ID numbers leave here masked; showing one in full is a
separate, logged action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, tuple_

from window_desk import idnumber, vocab
from window_desk.db.models import Case, CaseNameKey, Member, Person
from window_desk.errors import NotFound, UserError
from window_desk.permissions import requires
from window_desk.services.register_case import (  # one case, opened: re-exported
    CLOSE_OUTCOMES,
    OPEN_STATUSES,
    CaseDetail,
    case_detail,
    close_case,
)
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork
from window_desk.vocab import CASE_STATUSES, TIERS

_ID_IN_TEXT = re.compile(r"\d{14}")  # a run long enough to be (most of) an ID number
_INITIALS = re.compile(r"[A-Za-z]{1,16}")
# Households matched by a search above this many are walked from the cases' side (see the module doc).
DENSE = 5000
COUNT_CAP = 10_000
SORTS = {"date": Case.application_date, "deadline": Case.deadline, "tier": Case.tier, "status": Case.status}


@dataclass(frozen=True)
class CaseFilter:
    query: str = ""
    status: str | None = None
    tier: str | None = None
    overdue_only: bool = False
    clerk: str | None = None
    day: date | None = None
    sort: str = "date"
    descending: bool = True


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: its last row's sort key (None: in the undated tail) and id."""

    key: Any
    id: int


@dataclass(frozen=True, slots=True)
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
    clerk: str = ""
    # The member the search matched when it is not the applicant: "李娟(子女)".
    matched: str = ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.sort_key("date"), self.id)

    def sort_key(self, sort: str) -> Any:
        return {"date": self.application_date, "deadline": self.deadline, "tier": self.tier,
                "status": self.status}[sort]

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "application_date": self.application_date.isoformat(),
            "applicant": self.applicant_name,
            "id_number": self.applicant_id_masked,
            "members": self.members,
            "matched_member": self.matched or None,
            "tier": self.tier,
            "tier_label": TIERS.get(self.tier or "none", ""),
            "status": self.status,
            "status_label": CASE_STATUSES.get(self.status, self.status),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "overdue": self.overdue,
            "matter": self.matter,
        }


@dataclass(frozen=True)
class CountResult:
    n: int
    at_least: bool = False

    def text(self) -> str:
        return f"≥ {self.n}" if self.at_least else str(self.n)


# --- matching people ---------------------------------------------------------------------------


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range the column's index can answer."""
    last = prefix[-1]
    upper = prefix[:-1] + chr(ord(last) + 1) if ord(last) < 0x10FFFF else None
    if upper is None:
        return column >= prefix
    return and_(column >= prefix, column < upper)


def person_match(query: str) -> ColumnElement[bool] | None:
    """The condition on ``persons`` for a search text: a full ID number, pinyin initials, or a name prefix."""
    text = query.strip()
    if not text:
        return None
    check = idnumber.check(text)
    if check.valid:
        return Person.id_number == check.id_number
    if _INITIALS.fullmatch(text):
        return _prefix_range(Person.name_initials, text.lower())
    return _prefix_range(Person.name, text)


def _matched_households(uow: UnitOfWork, match: ColumnElement[bool]) -> list[int] | None:
    """The households whose members match, if at most DENSE of them; None when there are more."""
    stmt = (select(Member.household_id).join(Person, Person.id == Member.person_id).where(match)
            .distinct().limit(DENSE + 1))
    ids = list(uow.session.scalars(stmt))
    return None if len(ids) > DENSE else ids


# --- the surname keys ----------------------------------------------------------------------------


def surname_of(query: str) -> str | None:
    """The one character a single-surname search is for (not a letter, digit or part of an ID number)."""
    text = query.strip()
    return text if len(text) == 1 and not text.isascii() else None


def add_name_keys(uow: UnitOfWork, case_id: int, application_date: date, names: list[str]) -> None:
    """The ``case_name_keys`` rows of a new case: each distinct first character of its members' names."""
    for first in sorted({n.strip()[:1] for n in names if n.strip()}):
        uow.session.add(CaseNameKey(name_first=first, application_date=application_date, case_id=case_id))


def resync_name_keys(uow: UnitOfWork, person_id: int, old_name: str, new_name: str) -> None:
    """A person's name changed: the keys of every case they are a member of follow."""
    if old_name.strip()[:1] == new_name.strip()[:1]:
        return
    session = uow.session
    cases = session.execute(select(Case.id, Case.application_date, Case.household_id)
                            .join(Member, Member.household_id == Case.household_id)
                            .where(Member.person_id == person_id)).all()
    for case_id, day, household_id in cases:
        names = session.execute(select(Member.person_id, Person.name).join(Person, Person.id == Member.person_id)
                                .where(Member.household_id == household_id)).all()

        def firsts(own: str, names: Any = names) -> set[str]:
            return {(own if pid == person_id else n).strip()[:1] for pid, n in names} - {""}

        before, after = firsts(old_name), firsts(new_name)
        for first in before - after:
            key = session.get(CaseNameKey, (first, day, case_id))
            if key is not None:
                session.delete(key)
        for first in after - before:
            session.add(CaseNameKey(name_first=first, application_date=day, case_id=case_id))
    session.flush()


def _surname_ids(uow: UnitOfWork, flt: CaseFilter, first: str, after: Cursor | None, limit: int) -> list[int]:
    """A page of a single-surname search in date order, read off ``case_name_keys`` in index order."""
    stmt = select(CaseNameKey.case_id).where(CaseNameKey.name_first == first)
    filters = _filters(flt)
    if filters:
        stmt = stmt.join(Case, Case.id == CaseNameKey.case_id).where(*filters)
    if after is not None:
        pair = tuple_(CaseNameKey.application_date, CaseNameKey.case_id)
        mark = tuple_(after.key, after.id)  # type: ignore[arg-type]
        stmt = stmt.where(pair < mark if flt.descending else pair > mark)
    if flt.descending:
        order = (CaseNameKey.application_date.desc(), CaseNameKey.case_id.desc())
    else:
        order = (CaseNameKey.application_date.asc(), CaseNameKey.case_id.asc())
    return list(uow.session.scalars(stmt.order_by(*order).limit(limit)))


# --- filtering and paging ------------------------------------------------------------------------


def _check(flt: CaseFilter) -> None:
    if flt.status and flt.status not in CASE_STATUSES:
        raise UserError("未知的状态", field="状态")
    if flt.tier and flt.tier not in TIERS:
        raise UserError("未知的类别", field="类别")
    if flt.sort not in SORTS:
        raise UserError("未知的排序列", field="排序")


def _filters(flt: CaseFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.status:
        where.append(Case.status == flt.status)
    if flt.tier:
        where.append(Case.tier == flt.tier)
    if flt.overdue_only:
        where.append(and_(Case.deadline < today(), Case.status.in_(OPEN_STATUSES)))
    if flt.clerk:
        where.append(Case.created_by == flt.clerk)
    if flt.day:
        where.append(Case.application_date == flt.day)
    return where


def _scope(uow: UnitOfWork, flt: CaseFilter) -> tuple[list[ColumnElement[bool]], bool]:
    """The WHERE clauses for the filter; the flag says whether the search matched nothing at all."""
    where = _filters(flt)
    match = person_match(flt.query)
    if match is not None:
        households = _matched_households(uow, match)
        if households is None:
            member = select(Member.id).join(Person, Person.id == Member.person_id).where(
                Member.household_id == Case.household_id, match)
            where.append(exists(member))
        elif not households:
            return where, True
        else:
            # The same people again, as a subquery: a long list of bound ids costs more to send than to find.
            where.append(Case.household_id.in_(
                select(Member.household_id).join(Person, Person.id == Member.person_id).where(match)))
    return where, False


def _page_ids(uow: UnitOfWork, flt: CaseFilter, where: list[ColumnElement[bool]], after: Cursor | None,
              limit: int) -> list[int]:
    key = SORTS[flt.sort]
    desc = flt.descending
    ids: list[int] = []
    # Segment 1: rows with a sort key, in (key, id) order; segment 2: rows without one, by id.
    in_tail = after is not None and after.key is None
    if not in_tail:
        cond = [key.is_not(None), *where]
        if after is not None:
            pair, mark = tuple_(key, Case.id), tuple_(after.key, after.id)  # type: ignore[arg-type]
            cond.append(pair < mark if desc else pair > mark)
        order = (key.desc(), Case.id.desc()) if desc else (key.asc(), Case.id.asc())
        ids = list(uow.session.scalars(select(Case.id).where(*cond).order_by(*order).limit(limit)))
    if len(ids) < limit and flt.sort != "date":
        cond = [key.is_(None), *where]
        if in_tail:
            assert after is not None
            cond.append(Case.id < after.id if desc else Case.id > after.id)
        order_id = Case.id.desc() if desc else Case.id.asc()
        ids += list(uow.session.scalars(select(Case.id).where(*cond).order_by(order_id).limit(limit - len(ids))))
    return ids


def find_cases(uow: UnitOfWork, flt: CaseFilter, *, after: Cursor | None = None, limit: int = 100) -> list[CaseRow]:
    """One page of matching cases in the filter's order, continuing after ``after``."""
    if not 1 <= limit <= 10_000:
        raise UserError("每页条数应在 1 到 10000 之间", field="--limit")
    _check(flt)
    first = surname_of(flt.query)
    if first is not None and flt.sort == "date":
        return rows_for(uow, _surname_ids(uow, flt, first, after, limit), flt.query)
    where, nothing = _scope(uow, flt)
    if nothing:
        return []
    ids = _page_ids(uow, flt, where, after, limit)
    return rows_for(uow, ids, flt.query)


def rows_for(uow: UnitOfWork, ids: list[int], query: str = "") -> list[CaseRow]:
    """The rows for these case ids, in this order (the member matched by ``query`` named where not the applicant)."""
    if not ids:
        return []
    # Plain columns, not ORM objects: a page makes few Python objects, so the collector rarely runs.
    rows = {r.id: r for r in uow.session.execute(
        select(Case.id, Case.number, Case.application_date, Case.household_id, Case.applicant_person_id, Case.tier,
               Case.status, Case.deadline, Case.matter, Case.created_by, Person.name, Person.id_number)
        .join(Person, Person.id == Case.applicant_person_id).where(Case.id.in_(ids))).all()}
    households = {r.household_id for r in rows.values()}
    counts = dict(uow.session.execute(
        select(Member.household_id, func.count()).where(Member.household_id.in_(households))
        .group_by(Member.household_id)).all())
    matched: dict[int, tuple[int, str]] = {}
    match = person_match(query)
    if match is not None:
        for household_id, person_id, relation, name in uow.session.execute(
            select(Member.household_id, Member.person_id, Member.relation, Person.name)
            .join(Person, Person.id == Member.person_id)
            .where(Member.household_id.in_(households), match).order_by(Member.seq)
        ).all():
            matched.setdefault(household_id, (person_id, f"{name}({vocab.RELATIONS.get(relation, relation)})"))
    day = today()
    out = []
    for case_id in ids:
        case = rows[case_id]
        hit = matched.get(case.household_id)
        out.append(CaseRow(
            id=case.id, number=case.number, application_date=case.application_date, applicant_name=case.name,
            applicant_id_masked=idnumber.mask(case.id_number), members=counts.get(case.household_id, 0),
            tier=case.tier, status=case.status, deadline=case.deadline, matter=case.matter,
            overdue=bool(case.deadline and case.deadline < day and case.status in OPEN_STATUSES),
            clerk=case.created_by,
            matched=hit[1] if hit and hit[0] != case.applicant_person_id else "",
        ))
    return out


def cursor_after(row: CaseRow, flt: CaseFilter) -> Cursor:
    return Cursor(row.sort_key(flt.sort), row.id)


def count_cases(uow: UnitOfWork, flt: CaseFilter, cap: int = COUNT_CAP) -> CountResult:
    """How many cases match: exact up to ``cap``, else "at least ``cap``" (never reads more than cap rows)."""
    _check(flt)
    first = surname_of(flt.query)
    if first is not None:
        stmt = select(CaseNameKey.case_id).where(CaseNameKey.name_first == first)
        filters = _filters(flt)
        if filters:
            stmt = stmt.join(Case, Case.id == CaseNameKey.case_id).where(*filters)
        n = uow.session.scalar(select(func.count()).select_from(stmt.limit(cap + 1).subquery())) or 0
        return CountResult(cap, True) if n > cap else CountResult(n)
    where, nothing = _scope(uow, flt)
    if nothing:
        return CountResult(0)
    sub = select(Case.id).where(*where).limit(cap + 1).subquery()
    n = uow.session.scalar(select(func.count()).select_from(sub)) or 0
    return CountResult(cap, True) if n > cap else CountResult(n)


def clerks(uow: UnitOfWork) -> list[str]:
    """The clerks who have entered cases (for the filter), read off the index by skipping ahead."""
    out: list[str] = []
    last: str | None = None
    while len(out) < 200:
        stmt = select(func.min(Case.created_by))
        if last is not None:
            stmt = stmt.where(Case.created_by > last)
        nxt = uow.session.scalar(stmt)
        if nxt is None:
            break
        out.append(nxt)
        last = nxt
    return out


@requires("person.reveal")
def reveal_id_number(uow: UnitOfWork, case_id: int, reason: str) -> str:
    """The applicant's full ID number, logged: who looked, at which case, why."""
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound("个案不存在", field="个案")
    if len(reason.strip()) < 2:
        raise UserError("请写明查看完整号码的理由", field="理由")
    if _ID_IN_TEXT.search(reason):
        raise UserError("理由中不要写身份证号码", field="理由")
    person = uow.session.get(Person, case.applicant_person_id)
    assert person is not None
    uow.audit("person.unmask", "case", case.id, {"case": case.number, "reason": reason.strip()})
    uow.commit()
    return person.id_number


@requires("person.reveal")
def reveal_member_numbers(uow: UnitOfWork, case_id: int, reason: str) -> list[dict[str, Any]]:
    """The full ID numbers of one case's household members (显示完整号码), logged with the reason.

    The audit entry names the case and the members by internal person id, never the numbers; a reason
    that itself holds an ID number is refused so it cannot carry one into the append-only log.
    """
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound("个案不存在", field="个案")
    why = reason.strip()
    if len(why) < 2:
        raise UserError("请写明查看完整号码的理由（至少两个字）", field="理由")
    if _ID_IN_TEXT.search(why):
        raise UserError("理由中不要写身份证号码", field="理由")
    rows = uow.session.execute(
        select(Member, Person).join(Person, Person.id == Member.person_id)
        .where(Member.household_id == case.household_id).order_by(Member.seq)).all()
    uow.audit("person.unmask", "case", case.id,
              {"case": case.number, "reason": why, "person_ids": [p.id for _m, p in rows]})
    uow.commit()
    return [{"person_id": p.id, "seq": m.seq, "id_number": p.id_number} for m, p in rows]


__all__ = ["CLOSE_OUTCOMES", "OPEN_STATUSES", "CaseDetail", "CaseFilter", "CaseRow", "CountResult", "Cursor", "add_name_keys", "case_detail",
           "close_case", "count_cases", "cursor_after", "find_cases", "resync_name_keys", "reveal_id_number",
           "reveal_member_numbers", "rows_for", "surname_of"]
