"""主动发现 (seed 004, seed 000 §3): the watch roster, monthly visits, the observation list,
low-income dynamic monitoring, the staff rosters and the quarterly spot check.

Rules kept here (pure helpers first, then the services):

- A household on the roster of a village is *due* one visit in every month from the month it was
  put on the roster (``since``) until it leaves the roster (referred or removed); leaving within a
  month lifts that month's visit. The visit is *done* only by a visit in that month where the
  person was seen: "走访到户不见人不放过" — a visit without seeing the person is recorded but does
  not count. A due visit not done is *overdue* once the month has ended.
- The observation list (救助观察) holds every case whose tier is ``observation`` (added by
  ``sync_from_cases``) and every household a clerk places there, each with the reason it does not
  qualify and a review date (default ``REVIEW_MONTHS`` after placing or reviewing). Reviewing sets
  the next date; taking an entry off the list needs a reason and a supervisor.
- Low-income monitoring holds households whose assessment carried ``dynamic_monitoring``, with
  their per-capita income; ``monitoring_warnings`` compares it with the 低保 standard and the
  low-income line (``low_income_multiplier`` × 低保) of the period in force on a day and of every
  later period already in the policy, and flags a re-check date that has come.
- Spot checks are drawn by a supervisor: a ``random.Random`` seeded with the quarter and the seed,
  over the sorted ids of the quarter's new cases and visits, so the same draw gives the same sample.

Every change is audited in the same transaction; people appear in audit payloads by internal id only.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from window_desk import idnumber, vocab
from window_desk.db.models import (
    Assessment,
    Case,
    DiscoveryStaff,
    Household,
    Inquiry,
    MonitoringEntry,
    ObservationEntry,
    ObservationReview,
    Person,
    SpotCheck,
    SpotCheckItem,
    WatchHousehold,
    WatchMember,
    WatchVisit,
)
from window_desk.errors import Conflict, NotFound, PermissionDenied, UserError
from window_desk.policy import Policy
from window_desk.services.persons import upsert as upsert_person
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork

REVIEW_MONTHS = 3  # observation entries are reviewed every quarter
RECHECK_MONTHS = 12  # monitored households are re-checked yearly
WRITER_ROLES = frozenset({"clerk", "supervisor", "admin"})
SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})
STATUSES = {"watching": "关注中", "referred": "已转入救助", "removed": "已移出"}
STAFF_KINDS = {"assistant": "社会救助协理员", "info_group": "困难救助信息采集组"}
VISIT_STATES = {"done": "已走访", "unseen": "未见人", "pending": "待走访", "overdue": "逾期未走访"}
MONITOR_STATES = {"below_dibao": "低于低保标准", "low_income": "低收入", "out": "超出低收入标准"}
URGENCIES = {"normal": "一般", "urgent": "紧急"}
CHECK_RESULTS = {"ok": "无问题", "problem": "发现问题"}
MAX_TEXT = 2000


# --- pure helpers ------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise UserError(f"不是有效的月份：{year}-{month:02d}", field="月份")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def parse_month(text: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11); UserError naming 月份 otherwise."""
    try:
        year_s, month_s = str(text).strip().split("-")
        year, month = int(year_s), int(month_s)
    except ValueError:
        raise UserError(f"不是有效的月份（应为 YYYY-MM）：{text}", field="月份") from None
    month_bounds(year, month)
    return year, month


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_due(since: date, status: str, status_on: date | None, first: date, last: date) -> bool:
    """Whether a roster household owes a visit in the month ``first``..``last``."""
    if since > last:
        return False
    return not (status != "watching" and status_on is not None and status_on <= last)


def visit_state(due: bool, seen_dates: Sequence[date], unseen_dates: Sequence[date], last: date,
                on: date) -> str | None:
    """``done`` / ``unseen`` (visited, not seen: not done) / ``pending`` / ``overdue``; None when not due."""
    if not due:
        return None
    if seen_dates:
        return "done"
    if on > last:
        return "overdue"
    return "unseen" if unseen_dates else "pending"


def quarter_bounds(quarter: str) -> tuple[date, date]:
    """``2026Q4`` → the first and last day of the quarter."""
    text = str(quarter).strip().upper()
    try:
        year_s, q_s = text.split("Q")
        year, q = int(year_s), int(q_s)
        if not 1 <= q <= 4:
            raise ValueError
    except ValueError:
        raise UserError(f"不是有效的季度（应为 YYYYQn，例如 2026Q4）：{quarter}", field="季度") from None
    first, _ = month_bounds(year, 3 * q - 2)
    _, last = month_bounds(year, 3 * q)
    return first, last


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def monitor_state(per_capita: Decimal, dibao: Decimal, multiplier: Decimal) -> str:
    if per_capita < dibao:
        return "below_dibao"
    if per_capita >= dibao * multiplier:
        return "out"
    return "low_income"


def _text(value: object, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise UserError("必须填写", field=field)
    if len(text) > limit:
        raise UserError(f"不能超过 {limit} 个字", field=field)
    return text


def _day(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(f"不是有效的日期（应为 YYYY-MM-DD）：{value}", field=field) from None


def _require(uow: UnitOfWork, roles: frozenset[str], what: str) -> None:
    if uow.actor.role not in roles:
        raise PermissionDenied(f"只有{'审核人或管理员' if roles == SUPERVISOR_ROLES else '工作人员'}可以{what}",
                               field="权限")


# --- plain data out ----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class SpotItemInfo:
    id: int
    kind: str
    ref_id: int
    label: str
    result: str | None
    note: str
    checked_by: str | None


@dataclass(frozen=True)
class SpotCheckInfo:
    id: int
    quarter: str
    seed: int
    drawn_by: str
    items: tuple[SpotItemInfo, ...] = field(default_factory=tuple)


# --- staff rosters (附件3, 附件4) ----------------------------------------------------------------


def _staff_info(row: DiscoveryStaff) -> StaffInfo:
    return StaffInfo(row.id, row.kind, row.village, row.name, row.sex, row.post, row.phone, row.since, row.active)


def add_staff(uow: UnitOfWork, kind: str, name: str, *, village: str = "", sex: str = "", post: str = "",
              phone: str = "", since: date | str | None = None) -> StaffInfo:
    _require(uow, WRITER_ROLES, "登记协理员或信息采集组成员")
    if kind not in STAFF_KINDS:
        raise UserError(f"未知的名册：{kind}", field="名册")
    row = _new_staff(uow, kind, _text(name, "姓名", required=True, limit=64), _text(village, "村（社区）", limit=64),
                     _text(sex, "性别", limit=4), _text(post, "职务", limit=64), _text(phone, "联系电话", limit=32),
                     _day(since, "任职时间") if since else None)
    uow.commit()
    return _staff_info(row)


def _new_staff(uow: UnitOfWork, kind: str, name: str, village: str, sex: str = "", post: str = "",
               phone: str = "", since: date | None = None) -> DiscoveryStaff:
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


@dataclass(frozen=True)
class MemberIn:
    name: str
    id_number: str
    relation: str = "self"


def _add_household(uow: UnitOfWork, village: str, members: Sequence[MemberIn], reason: str, since: date,
                   assistant: DiscoveryStaff | None, address: str = "", phone: str = "") -> WatchHousehold:
    """Validated input in, rows out (no commit): shared by the desk and the import."""
    persons: list[tuple[Person, str]] = []
    seen: set[str] = set()
    for i, m in enumerate(members, 1):
        name = _text(m.name, f"成员{i} 姓名", required=True, limit=64)
        check = idnumber.require(m.id_number, f"成员{i} 身份证号码")
        if check.id_number in seen:
            raise UserError("同一户中重复", field=f"成员{i} 身份证号码")
        seen.add(str(check.id_number))
        if m.relation not in vocab.RELATIONS:
            raise UserError(f"未知的关系：{m.relation}", field=f"成员{i} 与户主关系")
        persons.append((upsert_person(uow, str(check.id_number), name, check.sex, check.birth_date), m.relation))
    if not persons:
        raise UserError("至少登记一名家庭成员", field="家庭成员")
    head = persons[0][0]
    existing = uow.session.scalar(select(WatchHousehold.id).join(WatchMember).where(
        WatchMember.person_id.in_([p.id for p, _ in persons]), WatchHousehold.status == "watching"))
    if existing is not None:
        raise Conflict(f"已在重点人群花名册中（第{existing}户）", field="家庭成员")
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


def add_household(uow: UnitOfWork, village: str, members: Sequence[MemberIn], reason: str, *,
                  since: date | str | None = None, assistant_id: int | None = None, address: str = "",
                  phone: str = "") -> int:
    """Put a household on a village's roster; returns its id."""
    _require(uow, WRITER_ROLES, "登记重点人群")
    village = _text(village, "村（社区）", required=True, limit=64)
    reason = _text(reason, "纳入原因", required=True)
    assistant = None
    if assistant_id is not None:
        assistant = uow.session.get(DiscoveryStaff, assistant_id)
        if assistant is None or assistant.kind != "assistant":
            raise NotFound("没有这名协理员", field="协理员")
    row = _add_household(uow, village, members, reason, _day(since, "纳入时间") if since else today(), assistant,
                         _text(address, "家庭住址", limit=200), _text(phone, "联系电话", limit=32))
    uow.commit()
    return row.id


def set_status(uow: UnitOfWork, watch_household_id: int, status: str, reason: str,
               on: date | str | None = None) -> RosterEntry:
    """Mark a roster household referred (转入救助) or removed (移出): a reason is required."""
    _require(uow, WRITER_ROLES, "调整花名册")
    if status not in ("referred", "removed"):
        raise UserError(f"未知的状态：{status}", field="状态")
    row = uow.session.get(WatchHousehold, watch_household_id, with_for_update=True)
    if row is None:
        raise NotFound("花名册中没有这一户", field="花名册")
    if row.status != "watching":
        raise Conflict(f"这一户已经{STATUSES[row.status]}", field="状态")
    row.status_reason = _text(reason, "原因", required=True)
    row.status = status
    row.status_on = _day(on, "日期") if on else today()
    if row.status_on < row.since:
        raise UserError("不能早于纳入时间", field="日期")
    uow.audit("discovery.roster_status", "watch_household", row.id, {"status": status, "on": row.status_on.isoformat()})
    uow.commit()
    return roster(uow, ids=[row.id])[0]


def villages(uow: UnitOfWork) -> list[str]:
    rows = uow.session.scalars(select(WatchHousehold.village).distinct().order_by(WatchHousehold.village))
    extra = uow.session.scalars(select(DiscoveryStaff.village).where(DiscoveryStaff.kind == "assistant",
                                                                     DiscoveryStaff.village != "").distinct())
    return sorted(set(rows) | set(extra))


def roster(uow: UnitOfWork, village: str | None = None, *, status: str | None = None,
           assistant_id: int | None = None, ids: Iterable[int] | None = None, text: str = "",
           with_members: bool = True) -> list[RosterEntry]:
    """The roster, filtered; members included (a village's roster is a few hundred households)."""
    query = (select(WatchHousehold, Person.name, DiscoveryStaff.name)
             .join(Person, Person.id == WatchHousehold.head_person_id)
             .outerjoin(DiscoveryStaff, DiscoveryStaff.id == WatchHousehold.assistant_id))
    if village:
        query = query.where(WatchHousehold.village == village)
    if status:
        query = query.where(WatchHousehold.status == status)
    if assistant_id is not None:
        query = query.where(WatchHousehold.assistant_id == assistant_id)
    if ids is not None:
        query = query.where(WatchHousehold.id.in_(list(ids)))
    if text:
        query = query.where(Person.name.contains(text.strip()))
    rows = uow.session.execute(query.order_by(WatchHousehold.village, WatchHousehold.id)).all()
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


def roster_status_of(uow: UnitOfWork, id_numbers: Iterable[str]) -> list[RosterStatus]:
    """For the 受理 history panel: each of these ID numbers that is on a roster, the observation list or
    the monitoring list, with one line (``describe()``) to show. Unknown numbers are left out."""
    numbers = sorted({str(n).strip().upper() for n in id_numbers if n})
    if not numbers:
        return []
    persons = uow.session.execute(select(Person.id, Person.id_number).where(Person.id_number.in_(numbers))).all()
    out: list[RosterStatus] = []
    for person_id, number in persons:
        hh = uow.session.execute(
            select(WatchHousehold, DiscoveryStaff.name).join(WatchMember)
            .outerjoin(DiscoveryStaff, DiscoveryStaff.id == WatchHousehold.assistant_id)
            .where(WatchMember.person_id == person_id)
            .order_by((WatchHousehold.status == "watching").desc(), WatchHousehold.id.desc())).first()
        obs = uow.session.scalar(select(func.count(ObservationEntry.id)).where(
            ObservationEntry.person_id == person_id, ObservationEntry.status == "open")) or 0
        mon = uow.session.scalar(select(func.count(MonitoringEntry.id)).where(
            MonitoringEntry.person_id == person_id, MonitoringEntry.status == "active")) or 0
        if hh is None and not obs and not mon:
            continue
        last = None
        if hh is not None:
            last = uow.session.scalar(select(func.max(WatchVisit.visit_date)).where(
                WatchVisit.watch_household_id == hh[0].id, WatchVisit.seen.is_(True)))
        out.append(RosterStatus(number, person_id, hh[0].id if hh else None, hh[0].village if hh else "",
                                hh[0].status if hh else "", hh[0].since if hh else None, hh[0].reason if hh else "",
                                (hh[1] or "") if hh else "", last, bool(obs), bool(mon)))
    return sorted(out, key=lambda s: numbers.index(s.id_number))


# --- visits (附件2) --------------------------------------------------------------------------------


def _visit_info(v: WatchVisit) -> VisitInfo:
    return VisitInfo(v.id, v.watch_household_id, v.visit_date, v.visitor, v.seen, v.living, v.needs, v.action,
                     v.inquiry_id)


def record_visit(uow: UnitOfWork, watch_household_id: int, visit_date: date | str, visitor: str, seen: bool, *,
                 living: str = "", needs: str = "", action: str = "") -> VisitInfo:
    """Record one visit. Not seeing the person is recorded but does not count; then the action taken
    (why, and when they will go back) must be written — 走访到户不见人不放过."""
    _require(uow, WRITER_ROLES, "录入走访记录")
    hh = uow.session.get(WatchHousehold, watch_household_id)
    if hh is None:
        raise NotFound("花名册中没有这一户", field="花名册")
    day = _day(visit_date, "走访日期")
    if day > today():
        raise UserError("不能晚于今天", field="走访日期")
    if day < hh.since:
        raise UserError(f"早于纳入花名册的日期 {hh.since.isoformat()}", field="走访日期")
    if hh.status != "watching" and hh.status_on is not None and day > hh.status_on:
        raise Conflict(f"这一户已于 {hh.status_on.isoformat()} {STATUSES[hh.status]}", field="走访日期")
    visitor = _text(visitor, "走访人", required=True, limit=64)
    living = _text(living, "基本生活状况", required=bool(seen))
    needs = _text(needs, "救助需求")
    action = _text(action, "处置情况", required=not seen or bool(needs))
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


def raise_lead(uow: UnitOfWork, visit_id: int, matter: str, urgency: str = "normal") -> int:
    """A need found on a visit becomes a first inquiry (首问登记) with channel ``active_discovery``
    (主动发现), in one step, so it enters the 首问 flow; returns the inquiry id.

    The row is created here directly through the ``Inquiry`` model; when the inquiry service
    (services/inquiries.py) lands, this should call it instead (same fields: the head of the watched
    household as the visitor, the matter, ``urgent`` from ``urgency``, the actor as first responder).
    One visit raises at most one inquiry.
    """
    _require(uow, WRITER_ROLES, "上报救助线索")
    visit = uow.session.get(WatchVisit, visit_id, with_for_update=True)
    if visit is None:
        raise NotFound("没有这条走访记录", field="走访记录")
    if visit.inquiry_id is not None:
        raise Conflict(f"这条走访记录已登记为首问（第{visit.inquiry_id}号）", field="走访记录")
    if urgency not in URGENCIES:
        raise UserError(f"未知的紧急程度：{urgency}", field="紧急程度")
    matter = _text(matter or visit.needs, "求助事项", required=True)
    hh = uow.session.get(WatchHousehold, visit.watch_household_id)
    assert hh is not None
    head = uow.session.get(Person, hh.head_person_id)
    assert head is not None
    inquiry = Inquiry(received_at=now(), channel="active_discovery", visitor_name=head.name,
                      visitor_phone=hh.phone, visitor_address=hh.address, visitor_person_id=head.id,
                      matter=f"{matter}（{hh.village}走访发现，{visit.visit_date.isoformat()}，走访人{visit.visitor}）",
                      materials=[], urgent=urgency == "urgent", first_responder=uow.actor.name,
                      first_responder_user_id=uow.actor.user_id, handled_by="", created_at=now(),
                      created_by=uow.actor.label)
    uow.session.add(inquiry)
    uow.session.flush()
    visit.inquiry_id = inquiry.id
    uow.audit("inquiry.create", "inquiry", inquiry.id,
              {"channel": "active_discovery", "urgent": inquiry.urgent, "visitor_person_id": head.id,
               "watch_visit_id": visit.id})
    uow.commit()
    return inquiry.id


def due_visits(uow: UnitOfWork, year: int, month: int, *, village: str | None = None,
               assistant_id: int | None = None, on: date | None = None) -> list[DueVisit]:
    """Every roster household's visit for the month, with its state (see the module docstring)."""
    first, last = month_bounds(year, month)
    on = on or today()
    entries = [e for e in roster(uow, village, assistant_id=assistant_id, with_members=False)
               if is_due(e.since, e.status, e.status_on, first, last)]
    visits: dict[int, list[VisitInfo]] = {}
    if entries:
        for v in uow.session.scalars(select(WatchVisit).where(
                WatchVisit.visit_date >= first, WatchVisit.visit_date <= last,
                WatchVisit.watch_household_id.in_([e.id for e in entries])).order_by(WatchVisit.visit_date)):
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


def monthly_report(uow: UnitOfWork, year: int, month: int, *, village: str | None = None,
                   on: date | None = None) -> list[VillageMonth]:
    """Per village: households watched (on the roster in the month), visits due and done (seen), unseen,
    overdue, leads raised (inquiries from visits of the month) and cases opened (inquiries that became cases)."""
    first, last = month_bounds(year, month)
    due = due_visits(uow, year, month, village=village, on=on)
    names = sorted({d.village for d in due} | ({village} if village else set(villages(uow))))
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
        rows = [d for d in due if d.village == name]
        lead, cases = leads.get(name, (0, 0))
        out.append(VillageMonth(name, year, month, len(rows), len(rows), sum(d.state == "done" for d in rows),
                                sum(d.state == "unseen" for d in rows), sum(d.state == "overdue" for d in rows),
                                lead, cases))
    return out


# --- the observation list (救助观察) ---------------------------------------------------------------


def _obs_info(row: ObservationEntry, name: str, case_number: str | None) -> ObservationInfo:
    return ObservationInfo(row.id, row.person_id, name, row.case_id, case_number or "", row.reason, row.placed_on,
                           row.review_date, row.last_reviewed_on, row.status, row.closed_reason)


def sync_from_cases(uow: UnitOfWork) -> int:
    """Put every case whose tier is ``observation`` (and every case flagged ``dynamic_monitoring``) on its
    list if it is not there yet; returns how many entries were added. Commits."""
    _require(uow, WRITER_ROLES, "更新观察名单")
    added = 0
    for case in uow.session.scalars(select(Case).outerjoin(ObservationEntry, ObservationEntry.case_id == Case.id)
                                    .where(Case.tier == "observation", ObservationEntry.id.is_(None))):
        day = case.application_date
        row = ObservationEntry(person_id=case.applicant_person_id, case_id=case.id,
                               reason=case.decision_reason or "经评估不符合现行救助条件，但基本生活存在实际困难",
                               placed_on=day, review_date=add_months(day, REVIEW_MONTHS), status="open",
                               closed_reason="", created_at=now(), created_by=uow.actor.label)
        uow.session.add(row)
        uow.session.flush()
        uow.audit("discovery.observation_add", "observation_entry", row.id, {"case_id": case.id, "auto": True})
        added += 1
    added += _sync_monitoring(uow)
    uow.commit()
    return added


def _sync_monitoring(uow: UnitOfWork) -> int:
    added = 0
    latest = (select(Assessment.case_id, func.max(Assessment.id).label("aid"))
              .group_by(Assessment.case_id).subquery())
    rows = uow.session.execute(
        select(Case, Assessment, Household.area).join(latest, latest.c.case_id == Case.id)
        .join(Assessment, Assessment.id == latest.c.aid).join(Household, Household.id == Case.household_id)
        .outerjoin(MonitoringEntry, MonitoringEntry.case_id == Case.id)
        .where(Case.tier.in_(("low_income", "dibao", "observation", "expenditure", "emergency")),
               MonitoringEntry.id.is_(None))).all()
    for case, assessment, area in rows:
        result = assessment.result or {}
        if "dynamic_monitoring" not in (result.get("flags") or []):
            continue
        per_capita = result.get("per_capita_income")
        if per_capita is None:
            continue
        added += _add_monitoring(uow, case.applicant_person_id, case.id, area, int(result.get("household_size") or 1),
                                 Decimal(str(per_capita)), case.application_date)
    return added


def _add_monitoring(uow: UnitOfWork, person_id: int, case_id: int | None, area: str, size: int,
                    per_capita: Decimal, assessed_on: date) -> int:
    row = MonitoringEntry(person_id=person_id, case_id=case_id, area=area, household_size=size,
                          per_capita_income=per_capita.quantize(Decimal("0.01")), assessed_on=assessed_on,
                          recheck_date=add_months(assessed_on, RECHECK_MONTHS), status="active", closed_reason="",
                          created_at=now(), created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("discovery.monitoring_add", "monitoring_entry", row.id, {"case_id": case_id, "person_id": person_id})
    return 1


def add_monitoring(uow: UnitOfWork, person_id: int, area: str, household_size: int, per_capita_income: Decimal | str,
                   assessed_on: date | str, *, case_id: int | None = None) -> int:
    """Put a household on the monitoring list by hand (e.g. from another department's data)."""
    _require(uow, WRITER_ROLES, "纳入动态监测")
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
    _add_monitoring(uow, person_id, case_id, area, household_size, income, _day(assessed_on, "核算日期"))
    uow.commit()
    return int(uow.session.scalar(select(func.max(MonitoringEntry.id))) or 0)


def place_on_observation(uow: UnitOfWork, person_id: int, reason: str, *, review_date: date | str | None = None,
                         watch_household_id: int | None = None) -> ObservationInfo:
    """A clerk places a household (by its head's person id) on the observation list, with the reason it
    does not qualify and a review date (default ``REVIEW_MONTHS`` from today)."""
    _require(uow, WRITER_ROLES, "列入救助观察名单")
    person = uow.session.get(Person, person_id)
    if person is None:
        raise NotFound("没有这个人", field="人员")
    reason = _text(reason, "不符合条件的理由", required=True)
    day = today()
    review = _day(review_date, "复查日期") if review_date else add_months(day, REVIEW_MONTHS)
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


def review_observation(uow: UnitOfWork, entry_id: int, note: str, *, next_review: date | str | None = None,
                       on: date | None = None) -> ObservationInfo:
    """Record a scheduled review; the next review date defaults to ``REVIEW_MONTHS`` after this one."""
    _require(uow, WRITER_ROLES, "复查观察对象")
    row = uow.session.get(ObservationEntry, entry_id, with_for_update=True)
    if row is None:
        raise NotFound("观察名单中没有这一条", field="观察名单")
    if row.status != "open":
        raise Conflict("已移出观察名单", field="观察名单")
    day = on or today()
    nxt = _day(next_review, "下次复查日期") if next_review else add_months(day, REVIEW_MONTHS)
    if nxt <= day:
        raise UserError("应晚于本次复查日期", field="下次复查日期")
    note = _text(note, "复查情况", required=True)
    uow.session.add(ObservationReview(entry_id=row.id, reviewed_on=day, note=note, next_review=nxt,
                                      created_at=now(), created_by=uow.actor.label))
    row.last_reviewed_on = day
    row.review_date = nxt
    uow.audit("discovery.observation_review", "observation_entry", row.id,
              {"reviewed_on": day.isoformat(), "next_review": nxt.isoformat()})
    uow.commit()
    return observation_list(uow, ids=[row.id], status=None)[0]


def close_observation(uow: UnitOfWork, entry_id: int, reason: str) -> ObservationInfo:
    """Take an entry off the observation list: a supervisor's decision, with a reason."""
    _require(uow, SUPERVISOR_ROLES, "移出救助观察名单")
    row = uow.session.get(ObservationEntry, entry_id, with_for_update=True)
    if row is None:
        raise NotFound("观察名单中没有这一条", field="观察名单")
    if row.status != "open":
        raise Conflict("已移出观察名单", field="观察名单")
    row.closed_reason = _text(reason, "移出理由", required=True)
    row.status = "closed"
    row.closed_on = today()
    row.closed_by = uow.actor.label
    uow.audit("discovery.observation_close", "observation_entry", row.id, {"closed_on": row.closed_on.isoformat()})
    uow.commit()
    return observation_list(uow, ids=[row.id], status=None)[0]


def observation_list(uow: UnitOfWork, *, status: str | None = "open", due_by: date | None = None,
                     ids: Iterable[int] | None = None) -> list[ObservationInfo]:
    query = (select(ObservationEntry, Person.name, Case.number).join(Person, Person.id == ObservationEntry.person_id)
             .outerjoin(Case, Case.id == ObservationEntry.case_id))
    if status:
        query = query.where(ObservationEntry.status == status)
    if due_by is not None:
        query = query.where(ObservationEntry.review_date <= due_by)
    if ids is not None:
        query = query.where(ObservationEntry.id.in_(list(ids)))
    return [_obs_info(r, n, c) for r, n, c in uow.session.execute(
        query.order_by(ObservationEntry.review_date, ObservationEntry.id))]


# --- low-income monitoring (低收入人口动态监测) --------------------------------------------------------


def monitoring_warnings(uow: UnitOfWork, policy: Policy, on: date | None = None) -> list[MonitoringWarning]:
    """Every active monitored household against the period in force on ``on`` and every later period in the
    policy; ``warned`` tells who now (or from a coming period) falls below 低保 or out of low income, or whose
    re-check date has come."""
    on = on or today()
    period = policy.period_on(on)
    later = [p for p in policy.periods if p.effective_from > on]
    out = []
    for row, name in uow.session.execute(
            select(MonitoringEntry, Person.name).join(Person, Person.id == MonitoringEntry.person_id)
            .where(MonitoringEntry.status == "active").order_by(MonitoringEntry.id)):
        pc = Decimal(row.per_capita_income)
        dibao = period.standards.dibao(row.area)
        mult = period.rules.low_income_multiplier
        try:
            base = policy.period_on(row.assessed_on)
        except UserError:
            base = period
        baseline = monitor_state(pc, base.standards.dibao(row.area), base.rules.low_income_multiplier)
        upcoming = tuple((p.effective_from, monitor_state(pc, p.standards.dibao(row.area), p.rules.low_income_multiplier),
                          p.standards.dibao(row.area)) for p in later)
        out.append(MonitoringWarning(row.id, row.person_id, name, row.area, pc, dibao, (dibao * mult).quantize(Decimal("0.01")),
                                     monitor_state(pc, dibao, mult), baseline, row.recheck_date,
                                     row.recheck_date <= on, upcoming))
    return out


# --- the quarterly spot check ------------------------------------------------------------------------


def draw_spot_check(uow: UnitOfWork, quarter: str, seed: int, *, cases: int = 5, visits: int = 5) -> SpotCheckInfo:
    """A supervisor draws the quarter's sample: ``cases`` of the cases applied for in the quarter and
    ``visits`` of its visits, by ``random.Random(f"{quarter}:{seed}")`` over the sorted ids — the same
    quarter and seed always give the same sample (and the same draw is refused twice)."""
    _require(uow, SUPERVISOR_ROLES, "抽查")
    first, last = quarter_bounds(quarter)
    quarter = quarter_of(first)
    if cases < 0 or visits < 0 or cases > 1000 or visits > 1000:
        raise UserError("抽查数量应在 0—1000 之间", field="抽查数量")
    if uow.session.scalar(select(SpotCheck.id).where(SpotCheck.quarter == quarter, SpotCheck.seed == seed)):
        raise Conflict(f"{quarter} 已用随机数 {seed} 抽查过", field="随机数")
    case_ids = sorted(uow.session.scalars(select(Case.id).where(Case.application_date >= first,
                                                                Case.application_date <= last,
                                                                Case.status != "draft")))
    visit_ids = sorted(uow.session.scalars(select(WatchVisit.id).where(WatchVisit.visit_date >= first,
                                                                       WatchVisit.visit_date <= last)))
    picked_cases, picked_visits = sample(quarter, seed, case_ids, visit_ids, cases, visits)
    row = SpotCheck(quarter=quarter, seed=seed, drawn_by=uow.actor.label, created_at=now(),
                    created_by=uow.actor.label)
    uow.session.add(row)
    uow.session.flush()
    for kind, ids in (("case", picked_cases), ("visit", picked_visits)):
        for ref in ids:
            uow.session.add(SpotCheckItem(spot_check_id=row.id, kind=kind, ref_id=ref, note=""))
    uow.audit("discovery.spot_draw", "spot_check", row.id,
              {"quarter": quarter, "seed": seed, "cases": picked_cases, "visits": picked_visits})
    uow.commit()
    return spot_check(uow, row.id)


def sample(quarter: str, seed: int, case_ids: Sequence[int], visit_ids: Sequence[int], cases: int,
           visits: int) -> tuple[list[int], list[int]]:
    """The pure draw (reproducible)."""
    rng = random.Random(f"{quarter}:{seed}")
    picked_cases = sorted(rng.sample(list(case_ids), min(cases, len(case_ids))))
    picked_visits = sorted(rng.sample(list(visit_ids), min(visits, len(visit_ids))))
    return picked_cases, picked_visits


def spot_check(uow: UnitOfWork, spot_check_id: int) -> SpotCheckInfo:
    row = uow.session.get(SpotCheck, spot_check_id)
    if row is None:
        raise NotFound("没有这次抽查", field="抽查")
    items = []
    for item in row.items:
        if item.kind == "case":
            number = uow.session.scalar(select(Case.number).where(Case.id == item.ref_id)) or ""
            label = f"个案 {number}"
        else:
            v = uow.session.execute(select(WatchVisit.visit_date, WatchHousehold.village, WatchVisit.visitor)
                                    .join(WatchHousehold).where(WatchVisit.id == item.ref_id)).first()
            label = f"走访 {v[1]} {v[0].isoformat()} {v[2]}" if v else f"走访 #{item.ref_id}"
        items.append(SpotItemInfo(item.id, item.kind, item.ref_id, label, item.result, item.note, item.checked_by))
    return SpotCheckInfo(row.id, row.quarter, row.seed, row.drawn_by, tuple(items))


def spot_checks(uow: UnitOfWork, quarter: str | None = None) -> list[SpotCheckInfo]:
    query = select(SpotCheck.id)
    if quarter:
        query = query.where(SpotCheck.quarter == quarter_of(quarter_bounds(quarter)[0]))
    return [spot_check(uow, i) for i in uow.session.scalars(query.order_by(SpotCheck.id.desc()))]


def record_check(uow: UnitOfWork, item_id: int, result: str, note: str = "") -> SpotItemInfo:
    """The result of checking one sampled item; a problem needs a note saying what was found."""
    _require(uow, SUPERVISOR_ROLES, "录入抽查结果")
    item = uow.session.get(SpotCheckItem, item_id, with_for_update=True)
    if item is None:
        raise NotFound("没有这一抽查项", field="抽查项")
    if result not in CHECK_RESULTS:
        raise UserError(f"未知的抽查结果：{result}", field="抽查结果")
    note = _text(note, "问题说明", required=result == "problem")
    item.result, item.note, item.checked_by, item.checked_at = result, note, uow.actor.label, now()
    uow.audit("discovery.spot_result", "spot_check_item", item.id, {"result": result})
    uow.commit()
    info = spot_check(uow, item.spot_check_id)
    return next(i for i in info.items if i.id == item_id)
