"""主动发现: the monthly visits (重点困难人群巡查记录台账, 附件2), the leads they raise and the monthly report.

A roster household is *due* one visit in every month from the month it was put on the roster until it
leaves; the visit is *done* only by a visit in that month where the person was seen (走访到户不见人不放过);
a due visit not done is *overdue* once the month has ended. A need found on a visit becomes a first
inquiry with channel 主动发现 through ``inquiries.create`` — a lead is exactly a first inquiry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

from window_desk.db.models import Inquiry, Person, WatchHousehold, WatchVisit
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.permissions import requires
from window_desk.services import inquiries
from window_desk.services.discovery_common import (
    PAGE_SIZE,
    STATUSES,
    URGENCIES,
    VISIT_STATES,
    day_field,
    month_bounds,
    page_limit,
    text_field,
    visit_state,
)
from window_desk.services.discovery_roster import (
    RosterEntry,
    assistant_named,
    entries_of,
    roster,
    roster_after,
    roster_query,
    villages,
)
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork


@dataclass(frozen=True)
class VisitInfo:
    id: int
    watch_household_id: int
    visit_date: date
    visitor: str
    seen: bool
    living: str
    needs: str
    action: str
    inquiry_id: int | None

    @property
    def counts(self) -> bool:
        return self.seen


@dataclass(frozen=True)
class DueVisit:
    """One roster household's visit for a month."""

    watch_household_id: int
    village: str
    head_name: str
    address: str
    assistant_id: int | None
    assistant_name: str
    state: str
    visits: tuple[VisitInfo, ...]

    @property
    def state_label(self) -> str:
        return VISIT_STATES[self.state]


@dataclass(frozen=True)
class VillageMonth:
    village: str
    year: int
    month: int
    watched: int
    due: int
    done: int
    unseen: int
    overdue: int
    leads: int
    cases_opened: int


def _visit_info(v: WatchVisit) -> VisitInfo:
    return VisitInfo(v.id, v.watch_household_id, v.visit_date, v.visitor, v.seen, v.living, v.needs, v.action,
                     v.inquiry_id)


@requires("discovery.write")
def record_visit(uow: UnitOfWork, watch_household_id: int, visit_date: date | str, visitor: str, seen: bool, *,
                 living: str = "", needs: str = "", action: str = "") -> VisitInfo:
    """Record one visit. Not seeing the person is recorded but does not count; then the action taken
    (why, and when they will go back) must be written — 走访到户不见人不放过."""
    hh = uow.session.get(WatchHousehold, watch_household_id)
    if hh is None:
        raise NotFound("花名册中没有这一户", field="花名册")
    day = day_field(visit_date, "走访日期")
    if day > today():
        raise UserError("不能晚于今天", field="走访日期")
    if day < hh.since:
        raise UserError(f"早于纳入花名册的日期 {hh.since.isoformat()}", field="走访日期")
    if hh.status != "watching" and hh.status_on is not None and day > hh.status_on:
        raise Conflict(f"这一户已于 {hh.status_on.isoformat()} {STATUSES[hh.status]}", field="走访日期")
    visitor = text_field(visitor, "走访人", required=True, limit=64)
    living = text_field(living, "基本生活状况", required=bool(seen))
    needs = text_field(needs, "救助需求")
    action = text_field(action, "处置情况", required=not seen or bool(needs))
    assistant = assistant_named(uow, hh.village, visitor, create=False)
    row = WatchVisit(watch_household_id=hh.id, visit_date=day, visitor=visitor,
                     assistant_id=assistant.id if assistant else None, seen=bool(seen), living=living, needs=needs,
                     action=action, created_at=now(), created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("discovery.visit", "watch_visit", row.id,
              {"watch_household_id": hh.id, "date": day.isoformat(), "seen": bool(seen), "needs": bool(needs)})
    uow.commit()
    return _visit_info(row)


def visits_of(uow: UnitOfWork, watch_household_id: int) -> list[VisitInfo]:
    return [_visit_info(v) for v in uow.session.scalars(
        select(WatchVisit).where(WatchVisit.watch_household_id == watch_household_id)
        .order_by(WatchVisit.visit_date.desc(), WatchVisit.id.desc()))]


@requires("discovery.write")
def raise_lead(uow: UnitOfWork, visit_id: int, matter: str, urgency: str = "normal") -> int:
    """A need found on a visit becomes a first inquiry (首问登记) with channel ``active_discovery``
    (主动发现), in one step, so it enters the 首问 flow; returns the inquiry id.

    The inquiry is made by ``inquiries.create`` (its checks, due date and its one audit entry): the head
    of the watched household is the visitor (by ID number), the actor the first responder. The visit
    keeps the inquiry's id; one visit raises at most one inquiry.
    """
    visit = uow.session.get(WatchVisit, visit_id, with_for_update=True)
    if visit is None:
        raise NotFound("没有这条走访记录", field="走访记录")
    if visit.inquiry_id is not None:
        raise Conflict(f"这条走访记录已登记为首问（第{visit.inquiry_id}号）", field="走访记录")
    if urgency not in URGENCIES:
        raise UserError(f"未知的紧急程度：{urgency}", field="紧急程度")
    matter = text_field(matter or visit.needs, "求助事项", required=True)
    hh = uow.session.get(WatchHousehold, visit.watch_household_id)
    assert hh is not None
    head = uow.session.get(Person, hh.head_person_id)
    assert head is not None
    new = inquiries.NewInquiry(
        channel="active_discovery",
        matter=f"{matter}（{hh.village}走访发现，{visit.visit_date.isoformat()}，走访人{visit.visitor}）",
        visitor=inquiries.Visitor(head.name, head.id_number, hh.phone, hh.address), urgent=urgency == "urgent")
    inquiry_id = inquiries.create(uow, new, commit=False)
    visit.inquiry_id = inquiry_id
    uow.commit()
    return inquiry_id


def due_condition(first: date, last: date) -> ColumnElement[bool]:
    """SQL form of ``is_due``: on the roster by the month's end and not gone before it ended."""
    return (WatchHousehold.since <= last) & or_(WatchHousehold.status == "watching",
                                                WatchHousehold.status_on.is_(None), WatchHousehold.status_on > last)


def _with_state(uow: UnitOfWork, entries: Sequence[RosterEntry], first: date, last: date,
                on: date) -> list[DueVisit]:
    visits: dict[int, list[VisitInfo]] = {}
    if entries:
        for v in uow.session.scalars(select(WatchVisit).where(
                WatchVisit.watch_household_id.in_([e.id for e in entries]),
                WatchVisit.visit_date >= first, WatchVisit.visit_date <= last).order_by(WatchVisit.visit_date)):
            visits.setdefault(v.watch_household_id, []).append(_visit_info(v))
    out = []
    for e in entries:
        vs = visits.get(e.id, [])
        state = visit_state(True, [v.visit_date for v in vs if v.seen], [v.visit_date for v in vs if not v.seen],
                            last, on)
        assert state is not None
        out.append(DueVisit(e.id, e.village, e.head_name, e.address, e.assistant_id, e.assistant_name, state,
                            tuple(vs)))
    return out


def due_visits(uow: UnitOfWork, year: int, month: int, *, village: str | None = None,
               assistant_id: int | None = None, on: date | None = None) -> list[DueVisit]:
    """Every roster household's visit for the month, with its state (see the module docstring)."""
    first, last = month_bounds(year, month)
    entries = [e for e in roster(uow, village, assistant_id=assistant_id, with_members=False)
               if e.since <= last and (e.status == "watching" or e.status_on is None or e.status_on > last)]
    return _with_state(uow, entries, first, last, on or today())


def due_page(uow: UnitOfWork, year: int, month: int, *, village: str | None = None,
             after: tuple[str, int] | None = None, limit: int = PAGE_SIZE, on: date | None = None) -> list[DueVisit]:
    """One page of the month's due visits in (village, id) order, after the row ``after`` = (village, id)."""
    first, last = month_bounds(year, month)
    query = roster_query(village, None, None, "").where(due_condition(first, last), *roster_after(village, after))
    rows = uow.session.execute(query.order_by(WatchHousehold.village, WatchHousehold.id)
                               .limit(page_limit(limit))).all()
    return _with_state(uow, entries_of(uow, rows, False), first, last, on or today())


def _month_counts(uow: UnitOfWork, first: date, last: date, village: str | None) -> dict[str, tuple[int, int, int]]:
    """Per village: (due, done, visited but not seen) — one grouped query, the rules of ``visit_state``."""
    in_month = (WatchVisit.watch_household_id == WatchHousehold.id, WatchVisit.visit_date >= first,
                WatchVisit.visit_date <= last)
    seen = exists().where(*in_month, WatchVisit.seen.is_(True))
    visited = exists().where(*in_month)
    query = (select(WatchHousehold.village, func.count(WatchHousehold.id), func.sum(case((seen, 1), else_=0)),
                    func.sum(case((and_(~seen, visited), 1), else_=0)))
             .where(due_condition(first, last)).group_by(WatchHousehold.village))
    if village:
        query = query.where(WatchHousehold.village == village)
    return {v: (int(due), int(done or 0), int(unseen or 0)) for v, due, done, unseen in uow.session.execute(query)}


def monthly_report(uow: UnitOfWork, year: int, month: int, *, village: str | None = None,
                   on: date | None = None) -> list[VillageMonth]:
    """Per village: households watched (on the roster in the month), visits due and done (seen), unseen,
    overdue, leads raised (inquiries from visits of the month) and cases opened (inquiries that became cases)."""
    first, last = month_bounds(year, month)
    ended = (on or today()) > last
    counts = _month_counts(uow, first, last, village)
    names = sorted(set(counts) | ({village} if village else set(villages(uow))))
    leads: dict[str, tuple[int, int]] = {}
    for vil, lead_count, case_count in uow.session.execute(
            select(WatchHousehold.village, func.count(WatchVisit.inquiry_id), func.count(Inquiry.case_id))
            .join(WatchVisit, WatchVisit.watch_household_id == WatchHousehold.id)
            .join(Inquiry, Inquiry.id == WatchVisit.inquiry_id)
            .where(WatchVisit.visit_date >= first, WatchVisit.visit_date <= last)
            .group_by(WatchHousehold.village)):
        leads[vil] = (lead_count, case_count)
    out = []
    for name in names:
        due, done, unseen = counts.get(name, (0, 0, 0))
        lead, cases = leads.get(name, (0, 0))
        out.append(VillageMonth(name, year, month, due, due, done, 0 if ended else unseen,
                                due - done if ended else 0, lead, cases))
    return out
