"""主动发现: the staff rosters (附件3, 附件4) and each village's watch roster (重点人群花名册, 附件1).

A household is on the roster with its members (ID numbers validated, persons shared with the rest of the
desk), why it is watched, the assistant who visits and since when; its status is ``watching``,
``referred`` (转入救助) or ``removed`` (移出, with a reason). A person is on one watching household at most.
The roster is read a page at a time (keyset on village and id); ``roster_status_of`` and
``history_items`` tell the 受理 history panel who is on a roster or list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, literal, select, tuple_

from window_desk import idnumber, vocab
from window_desk.db.models import (
    DiscoveryStaff,
    MonitoringEntry,
    ObservationEntry,
    Person,
    WatchHousehold,
    WatchMember,
    WatchVisit,
)
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.permissions import requires
from window_desk.services.discovery_common import PAGE_SIZE, STAFF_KINDS, STATUSES, day_field, page_limit, text_field
from window_desk.services.intake import HistoryItem
from window_desk.services.persons import upsert as upsert_person
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork


@dataclass(frozen=True)
class StaffInfo:
    id: int
    kind: str
    village: str
    name: str
    sex: str
    post: str
    phone: str
    since: date | None
    active: bool


@dataclass(frozen=True)
class MemberInfo:
    person_id: int
    name: str
    id_number: str
    relation: str

    @property
    def relation_label(self) -> str:
        return vocab.RELATIONS.get(self.relation, self.relation)


@dataclass(frozen=True)
class RosterEntry:
    id: int
    village: str
    head_person_id: int
    head_name: str
    address: str
    phone: str
    reason: str
    assistant_id: int | None
    assistant_name: str
    since: date
    status: str
    status_reason: str
    status_on: date | None
    members: tuple[MemberInfo, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class RosterStatus:
    """For the 受理 history panel: is anyone of these ID numbers on a roster or list?"""

    id_number: str
    person_id: int
    watch_household_id: int | None
    village: str
    status: str
    since: date | None
    reason: str
    assistant_name: str
    last_visit: date | None
    observation: bool
    monitoring: bool

    def describe(self) -> str:
        parts = []
        if self.watch_household_id is not None:
            seen = f"，最近走访{self.last_visit.isoformat()}" if self.last_visit else "，尚无走访记录"
            parts.append(f"重点人群花名册（{self.village}，{STATUSES.get(self.status, self.status)}，"
                         f"自{self.since.isoformat() if self.since else ''}起，协理员{self.assistant_name or '未定'}{seen}）")
        if self.observation:
            parts.append("救助观察名单")
        if self.monitoring:
            parts.append("低收入人口动态监测")
        return "；".join(parts)


@dataclass(frozen=True)
class MemberIn:
    name: str
    id_number: str
    relation: str = "self"


# --- staff rosters (附件3, 附件4) ----------------------------------------------------------------


def _staff_info(row: DiscoveryStaff) -> StaffInfo:
    return StaffInfo(row.id, row.kind, row.village, row.name, row.sex, row.post, row.phone, row.since, row.active)


@requires("discovery.write")
def add_staff(uow: UnitOfWork, kind: str, name: str, *, village: str = "", sex: str = "", post: str = "",
              phone: str = "", since: date | str | None = None) -> StaffInfo:
    if kind not in STAFF_KINDS:
        raise UserError(f"未知的名册：{kind}", field="名册")
    row = _new_staff(uow, kind, text_field(name, "姓名", required=True, limit=64),
                    text_field(village, "村（社区）", limit=64), text_field(sex, "性别", limit=4),
                    text_field(post, "职务", limit=64), text_field(phone, "联系电话", limit=32),
                    day_field(since, "任职时间") if since else None)
    uow.commit()
    return _staff_info(row)


def _new_staff(uow: UnitOfWork, kind: str, name: str, village: str, sex: str = "", post: str = "",
              phone: str = "", since: date | None = None) -> DiscoveryStaff:
    """Rows out, no commit: a step of ``add_staff`` and of the roster import (which check the role)."""
    row = DiscoveryStaff(kind=kind, village=village, name=name, sex=sex, post=post, phone=phone, since=since,
                         active=True, created_at=now(), created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("discovery.staff_add", "discovery_staff", row.id, {"kind": kind, "village": village})
    return row


def staff(uow: UnitOfWork, kind: str, village: str | None = None) -> list[StaffInfo]:
    query = select(DiscoveryStaff).where(DiscoveryStaff.kind == kind)
    if village:
        query = query.where(DiscoveryStaff.village == village)
    return [_staff_info(r) for r in uow.session.scalars(query.order_by(DiscoveryStaff.village, DiscoveryStaff.name,
                                                                         DiscoveryStaff.id))]


def assistant_named(uow: UnitOfWork, village: str, name: str, *, create: bool) -> DiscoveryStaff | None:
    row = uow.session.scalar(select(DiscoveryStaff).where(
        DiscoveryStaff.kind == "assistant", DiscoveryStaff.village == village, DiscoveryStaff.name == name,
        DiscoveryStaff.active.is_(True)).order_by(DiscoveryStaff.id))
    if row is None and create:
        row = _new_staff(uow, "assistant", name, village)
    return row


# --- the watch roster (附件1) ---------------------------------------------------------------------


def _members(uow: UnitOfWork, members: Sequence[MemberIn]) -> list[tuple[Person, str]]:
    persons: list[tuple[Person, str]] = []
    seen: set[str] = set()
    for i, m in enumerate(members, 1):
        name = text_field(m.name, f"成员{i} 姓名", required=True, limit=64)
        check = idnumber.require(m.id_number, f"成员{i} 身份证号码")
        if check.id_number in seen:
            raise UserError("同一户中重复", field=f"成员{i} 身份证号码")
        seen.add(str(check.id_number))
        if m.relation not in vocab.RELATIONS:
            raise UserError(f"未知的关系：{m.relation}", field=f"成员{i} 与户主关系")
        persons.append((upsert_person(uow, str(check.id_number), name, check.sex, check.birth_date), m.relation))
    if not persons:
        raise UserError("至少登记一名家庭成员", field="家庭成员")
    return persons


def _refuse_if_watched(uow: UnitOfWork, person_ids: list[int], but: int | None = None) -> None:
    query = select(WatchHousehold.id).join(WatchMember).where(WatchMember.person_id.in_(person_ids),
                                                               WatchHousehold.status == "watching")
    if but is not None:
        query = query.where(WatchHousehold.id != but)
    existing = uow.session.scalar(query)
    if existing is not None:
        raise Conflict(f"已在重点人群花名册中（第{existing}户）", field="家庭成员")


def _new_household(uow: UnitOfWork, village: str, members: Sequence[MemberIn], reason: str, since: date,
                  assistant: DiscoveryStaff | None, address: str = "", phone: str = "") -> WatchHousehold:
    """Validated input in, rows out (no commit): shared by ``add_household`` and the import."""
    persons = _members(uow, members)
    head = persons[0][0]
    _refuse_if_watched(uow, [p.id for p, _ in persons])
    row = WatchHousehold(village=village, address=address, phone=phone, reason=reason, since=since,
                         assistant_id=assistant.id if assistant else None, status="watching", status_reason="",
                         head_person_id=head.id, created_at=now(), created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    for seq, (person, relation) in enumerate(persons, 1):
        uow.session.add(WatchMember(watch_household_id=row.id, person_id=person.id, seq=seq, relation=relation))
    uow.audit("discovery.roster_add", "watch_household", row.id,
              {"village": village, "persons": [p.id for p, _ in persons], "assistant_id": row.assistant_id,
               "since": since.isoformat()})
    return row


@requires("discovery.write")
def add_household(uow: UnitOfWork, village: str, members: Sequence[MemberIn], reason: str, *,
                  since: date | str | None = None, assistant_id: int | None = None, address: str = "",
                  phone: str = "") -> int:
    """Put a household on a village's roster; returns its id. Nothing is saved on bad input."""
    village = text_field(village, "村（社区）", required=True, limit=64)
    reason = text_field(reason, "纳入原因", required=True)
    day = day_field(since, "纳入时间") if since else today()
    if day > today():
        raise UserError("不能晚于今天", field="纳入时间")
    assistant = None
    if assistant_id is not None:
        assistant = uow.session.get(DiscoveryStaff, assistant_id)
        if assistant is None or assistant.kind != "assistant":
            raise NotFound("没有这名协理员", field="协理员")
    row = _new_household(uow, village, members, reason, day, assistant,
                        text_field(address, "家庭住址", limit=200), text_field(phone, "联系电话", limit=32))
    uow.commit()
    return row.id


@requires("discovery.write")
def set_status(uow: UnitOfWork, watch_household_id: int, status: str, reason: str = "",
               on: date | str | None = None) -> RosterEntry:
    """Change a roster household's status: ``referred`` (转入救助), ``removed`` (移出: a reason is
    required) or back to ``watching`` (关注: watched again from ``on``, which becomes its ``since``)."""
    if status not in STATUSES:
        raise UserError(f"未知的状态：{status}", field="状态")
    row = uow.session.get(WatchHousehold, watch_household_id, with_for_update=True)
    if row is None:
        raise NotFound("花名册中没有这一户", field="花名册")
    if row.status == status:
        raise Conflict(f"这一户已经是“{STATUSES[status]}”", field="状态")
    day = day_field(on, "日期") if on else today()
    if day > today():
        raise UserError("不能晚于今天", field="日期")
    if day < row.since:
        raise UserError("不能早于纳入时间", field="日期")
    reason = text_field(reason, "移出原因" if status == "removed" else "原因", required=status == "removed")
    before = row.status
    if status == "watching":
        if row.status_on is not None and day < row.status_on:
            raise UserError(f"不能早于{STATUSES[row.status]}的日期 {row.status_on.isoformat()}", field="日期")
        _refuse_if_watched(uow, [m.person_id for m in row.members], but=row.id)
        row.since, row.status_on = day, None
    else:
        row.status_on = day
    row.status, row.status_reason = status, reason
    uow.audit("discovery.roster_status", "watch_household", row.id,
              {"from": before, "status": status, "on": day.isoformat()})
    uow.commit()
    return roster(uow, ids=[row.id])[0]


def villages(uow: UnitOfWork) -> list[str]:
    rows = uow.session.scalars(select(WatchHousehold.village).distinct().order_by(WatchHousehold.village))
    extra = uow.session.scalars(select(DiscoveryStaff.village).where(DiscoveryStaff.kind == "assistant",
                                                                     DiscoveryStaff.village != "").distinct())
    return sorted(set(rows) | set(extra))


def roster_query(village: str | None, status: str | None, assistant_id: int | None, text: str) -> Select:  # type: ignore[type-arg]
    query = (select(WatchHousehold, Person.name, DiscoveryStaff.name)
             .join(Person, Person.id == WatchHousehold.head_person_id)
             .outerjoin(DiscoveryStaff, DiscoveryStaff.id == WatchHousehold.assistant_id))
    if village:
        query = query.where(WatchHousehold.village == village)
    if status:
        query = query.where(WatchHousehold.status == status)
    if assistant_id is not None:
        query = query.where(WatchHousehold.assistant_id == assistant_id)
    if text.strip():
        query = query.where(Person.name.contains(text.strip()))
    return query


def entries_of(uow: UnitOfWork, rows: Sequence[tuple[WatchHousehold, str, str | None]],
             with_members: bool) -> list[RosterEntry]:
    members: dict[int, list[MemberInfo]] = {}
    if with_members and rows:
        for m, person in uow.session.execute(
                select(WatchMember, Person).join(Person, Person.id == WatchMember.person_id)
                .where(WatchMember.watch_household_id.in_([r[0].id for r in rows])).order_by(WatchMember.seq)):
            members.setdefault(m.watch_household_id, []).append(
                MemberInfo(person.id, person.name, person.id_number, m.relation))
    return [RosterEntry(h.id, h.village, h.head_person_id, head, h.address, h.phone, h.reason, h.assistant_id,
                        assistant or "", h.since, h.status, h.status_reason, h.status_on,
                        tuple(members.get(h.id, ()))) for h, head, assistant in rows]


def roster(uow: UnitOfWork, village: str | None = None, *, status: str | None = None,
           assistant_id: int | None = None, ids: Iterable[int] | None = None, text: str = "",
           with_members: bool = True) -> list[RosterEntry]:
    """The whole roster, filtered (for the exports and the visit sheets; the page reads ``roster_page``)."""
    query = roster_query(village, status, assistant_id, text)
    if ids is not None:
        query = query.where(WatchHousehold.id.in_(list(ids)))
    rows = uow.session.execute(query.order_by(WatchHousehold.village, WatchHousehold.id)).all()
    return entries_of(uow, rows, with_members)


def roster_after(village: str | None, after: tuple[str, int] | None) -> list[object]:
    """The keyset condition after the last row shown (village, id)."""
    if after is None:
        return []
    last_village, last_id = after
    if village:
        return [WatchHousehold.id > last_id]
    return [tuple_(WatchHousehold.village, WatchHousehold.id) > tuple_(literal(last_village), literal(last_id))]


def roster_page(uow: UnitOfWork, village: str | None = None, *, status: str | None = None, text: str = "",
                after: tuple[str, int] | None = None, limit: int = PAGE_SIZE) -> list[RosterEntry]:
    """One page of the roster in (village, id) order, after the row ``after`` = (village, id)."""
    query = roster_query(village, status, None, text).where(*roster_after(village, after))
    rows = uow.session.execute(query.order_by(WatchHousehold.village, WatchHousehold.id)
                               .limit(page_limit(limit))).all()
    return entries_of(uow, rows, True)


# --- the 受理 history panel ----------------------------------------------------------------------


def _statuses(uow: UnitOfWork, numbers: dict[int, str]) -> list[RosterStatus]:
    """One query per list for all these people {person id: ID number}."""
    pids = list(numbers)
    households: dict[int, tuple[WatchHousehold, str | None]] = {}
    for person_id, hh, assistant in uow.session.execute(
            select(WatchMember.person_id, WatchHousehold, DiscoveryStaff.name)
            .join(WatchHousehold, WatchHousehold.id == WatchMember.watch_household_id)
            .outerjoin(DiscoveryStaff, DiscoveryStaff.id == WatchHousehold.assistant_id)
            .where(WatchMember.person_id.in_(pids))
            .order_by((WatchHousehold.status == "watching").asc(), WatchHousehold.id)):
        households[person_id] = (hh, assistant)  # the last wins: watching, then the newest
    # the status is filtered here, not in SQL: with it SQLite (no statistics) reads every open entry by the
    # status index instead of these few people's by person_id
    observed = {pid for pid, status in uow.session.execute(select(ObservationEntry.person_id, ObservationEntry.status)
                                                           .where(ObservationEntry.person_id.in_(pids)))
                if status == "open"}
    monitored = {pid for pid, status in uow.session.execute(select(MonitoringEntry.person_id, MonitoringEntry.status)
                                                            .where(MonitoringEntry.person_id.in_(pids)))
                 if status == "active"}
    hh_ids = [hh.id for hh, _ in households.values()]
    last_seen = dict(uow.session.execute(
        select(WatchVisit.watch_household_id, func.max(WatchVisit.visit_date))
        .where(WatchVisit.watch_household_id.in_(hh_ids), WatchVisit.seen.is_(True))
        .group_by(WatchVisit.watch_household_id)).all()) if hh_ids else {}
    out = []
    for person_id, number in numbers.items():
        found = households.get(person_id)
        if found is None and person_id not in observed and person_id not in monitored:
            continue
        hh, assistant = found if found else (None, None)
        out.append(RosterStatus(number, person_id, hh.id if hh else None, hh.village if hh else "",
                                hh.status if hh else "", hh.since if hh else None, hh.reason if hh else "",
                                assistant or "", last_seen.get(hh.id) if hh else None, person_id in observed,
                                person_id in monitored))
    return out


def roster_status_of(uow: UnitOfWork, id_numbers: Iterable[str]) -> list[RosterStatus]:
    """For the 受理 history panel: each of these ID numbers that is on a roster, the observation list or
    the monitoring list, with one line (``describe()``) to show. Unknown numbers are left out."""
    numbers = sorted({str(n).strip().upper() for n in id_numbers if n})
    if not numbers:
        return []
    people = dict(uow.session.execute(select(Person.id, Person.id_number)
                                      .where(Person.id_number.in_(numbers))).all())
    return sorted(_statuses(uow, people), key=lambda s: numbers.index(s.id_number))


def history_items(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    """The history panel's source (``intake.register_history_source``): one line per person found."""
    items = []
    for s in _statuses(uow, {pid: p.id_number for pid, p in people.items()})[:limit]:
        p = people[s.person_id]
        day = s.since or today()
        items.append(HistoryItem(p.id_number, p.name, "discovery", day, f"主动发现：{s.describe()}",
                                 open=s.status == "watching" or s.observation))
    return items
