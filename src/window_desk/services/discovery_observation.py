"""主动发现: the observation list (救助观察).

It holds every case whose tier is ``observation`` (added by ``sync_from_cases``) and every household a
clerk places there, each with the reason it does not qualify and a review date (default ``REVIEW_MONTHS``
after placing or reviewing). Reviewing sets the next date; taking an entry off the list needs a reason
and a supervisor. The page reads it a page at a time (keyset on review date and id).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import literal, select, tuple_

from window_desk.db.models import Case, ObservationEntry, ObservationReview, Person
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.permissions import requires
from window_desk.services.discovery_common import PAGE_SIZE, REVIEW_MONTHS, add_months, day_field, page_limit, text_field
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork


@dataclass(frozen=True)
class ObservationInfo:
    id: int
    person_id: int
    name: str
    case_id: int | None
    case_number: str
    reason: str
    placed_on: date
    review_date: date
    last_reviewed_on: date | None
    status: str
    closed_reason: str

    def review_due(self, on: date) -> bool:
        return self.status == "open" and self.review_date <= on


def _obs_info(row: ObservationEntry, name: str, case_number: str | None) -> ObservationInfo:
    return ObservationInfo(row.id, row.person_id, name, row.case_id, case_number or "", row.reason, row.placed_on,
                           row.review_date, row.last_reviewed_on, row.status, row.closed_reason)


def sync_observation(uow: UnitOfWork, low: int, high: int) -> int:
    """Put every case numbered in (``low``, ``high``] whose tier is ``observation`` on the list if it is not
    there yet (a step of ``discovery_sync``, which checks the role and commits); returns how many. The
    entries and their audit entries go in one statement each."""
    rows = []
    for case in uow.session.scalars(select(Case).outerjoin(ObservationEntry, ObservationEntry.case_id == Case.id)
                                    .where(Case.id > low, Case.id <= high, Case.tier == "observation",
                                           ObservationEntry.id.is_(None))):
        day = case.application_date
        rows.append(ObservationEntry(person_id=case.applicant_person_id, case_id=case.id,
                                     reason=case.decision_reason or "经评估不符合现行救助条件，但基本生活存在实际困难",
                                     placed_on=day, review_date=add_months(day, REVIEW_MONTHS), status="open",
                                     closed_reason="", created_at=now(), created_by=uow.actor.label))
    uow.session.add_all(rows)
    uow.session.flush()
    uow.audit_many([("discovery.observation_add", "observation_entry", row.id, {"case_id": row.case_id, "auto": True})
                    for row in rows])
    return len(rows)


@requires("discovery.write")
def place_on_observation(uow: UnitOfWork, person_id: int, reason: str, *, review_date: date | str | None = None,
                         watch_household_id: int | None = None) -> ObservationInfo:
    """A clerk places a household (by its head's person id) on the observation list, with the reason it
    does not qualify and a review date (default ``REVIEW_MONTHS`` from today)."""
    person = uow.session.get(Person, person_id)
    if person is None:
        raise NotFound("没有这个人", field="人员")
    reason = text_field(reason, "不符合条件的理由", required=True)
    day = today()
    review = day_field(review_date, "复查日期") if review_date else add_months(day, REVIEW_MONTHS)
    if review <= day:
        raise UserError("应晚于今天", field="复查日期")
    if uow.session.scalar(select(ObservationEntry.id).where(ObservationEntry.person_id == person_id,
                                                           ObservationEntry.status == "open")) is not None:
        raise Conflict("已在救助观察名单中", field="人员")
    row = ObservationEntry(person_id=person_id, watch_household_id=watch_household_id, reason=reason, placed_on=day,
                           review_date=review, status="open", closed_reason="", created_at=now(),
                           created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("discovery.observation_add", "observation_entry", row.id,
              {"person_id": person_id, "review_date": review.isoformat()})
    uow.commit()
    return _obs_info(row, person.name, None)


def _open_entry(uow: UnitOfWork, entry_id: int) -> ObservationEntry:
    row = uow.session.get(ObservationEntry, entry_id, with_for_update=True)
    if row is None:
        raise NotFound("观察名单中没有这一条", field="观察名单")
    if row.status != "open":
        raise Conflict("已移出观察名单", field="观察名单")
    return row


@requires("discovery.write")
def review_observation(uow: UnitOfWork, entry_id: int, note: str, *, next_review: date | str | None = None,
                       on: date | None = None) -> ObservationInfo:
    """Record a scheduled review; the next review date defaults to ``REVIEW_MONTHS`` after this one."""
    row = _open_entry(uow, entry_id)
    day = on or today()
    nxt = day_field(next_review, "下次复查日期") if next_review else add_months(day, REVIEW_MONTHS)
    if nxt <= day:
        raise UserError("应晚于本次复查日期", field="下次复查日期")
    note = text_field(note, "复查情况", required=True)
    uow.session.add(ObservationReview(entry_id=row.id, reviewed_on=day, note=note, next_review=nxt,
                                      created_at=now(), created_by=uow.actor.label))
    row.last_reviewed_on = day
    row.review_date = nxt
    uow.audit("discovery.observation_review", "observation_entry", row.id,
              {"reviewed_on": day.isoformat(), "next_review": nxt.isoformat()})
    uow.commit()
    return observation_list(uow, ids=[row.id], status=None)[0]


@requires("discovery.supervise")
def close_observation(uow: UnitOfWork, entry_id: int, reason: str) -> ObservationInfo:
    """Take an entry off the observation list: a supervisor's decision, with a reason."""
    row = _open_entry(uow, entry_id)
    row.closed_reason = text_field(reason, "移出理由", required=True)
    row.status = "closed"
    row.closed_on = today()
    row.closed_by = uow.actor.label
    uow.audit("discovery.observation_close", "observation_entry", row.id, {"closed_on": row.closed_on.isoformat()})
    uow.commit()
    return observation_list(uow, ids=[row.id], status=None)[0]


def _query(status: str | None):  # type: ignore[no-untyped-def]
    query = (select(ObservationEntry, Person.name, Case.number).join(Person, Person.id == ObservationEntry.person_id)
             .outerjoin(Case, Case.id == ObservationEntry.case_id))
    if status:
        query = query.where(ObservationEntry.status == status)
    return query


def observation_list(uow: UnitOfWork, *, status: str | None = "open", due_by: date | None = None,
                     ids: Iterable[int] | None = None) -> list[ObservationInfo]:
    query = _query(status)
    if due_by is not None:
        query = query.where(ObservationEntry.review_date <= due_by)
    if ids is not None:
        query = query.where(ObservationEntry.id.in_(list(ids)))
    return [_obs_info(r, n, c) for r, n, c in uow.session.execute(
        query.order_by(ObservationEntry.review_date, ObservationEntry.id))]


def observation_page(uow: UnitOfWork, *, status: str = "open", after: tuple[date, int] | None = None,
                     limit: int = PAGE_SIZE) -> list[ObservationInfo]:
    """One page of the list in (review date, id) order — the reviews that are due come first — after the
    row ``after`` = (review date, id)."""
    query = _query(status)
    if after is not None:
        last_date, last_id = after
        query = query.where(tuple_(ObservationEntry.review_date, ObservationEntry.id)
                            > tuple_(literal(last_date), literal(last_id)))
    return [_obs_info(r, n, c) for r, n, c in uow.session.execute(
        query.order_by(ObservationEntry.review_date, ObservationEntry.id).limit(page_limit(limit)))]
