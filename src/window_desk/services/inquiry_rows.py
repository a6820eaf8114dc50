"""First inquiries as plain data, and the queries that find them: the rows the page and the daily
review show, the filter, the overdue test, and the settings that set the limits.

``inquiries`` re-exports every public name here; the services that record, hand on, close and
print inquiries live there (and read the clock there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select, union

from window_desk import idnumber, vocab
from window_desk.db.models import Handoff, Inquiry, Person
from window_desk.services import settings
from window_desk.timeutil import TZ, to_local
from window_desk.uow import UnitOfWork

CHANNELS = vocab.INQUIRY_CHANNELS
OUTCOMES = vocab.INQUIRY_OUTCOMES
STATUSES = {"open": "办理中", "closed": "已办结"}
HOTLINE_CHANNELS = ("phone_12345", "phone_12349")


def _positive_int(uow: UnitOfWork, key: str) -> int:
    raw = settings.get(uow, key)
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = 0
    if value <= 0:
        return int(settings.DEFAULTS[key][1])
    return value


def urgent_limit_hours(uow: UnitOfWork) -> int:
    """How long a 急难 inquiry may stay open (setting ``inquiry_urgent_hours``, default 24)."""
    return _positive_int(uow, "inquiry_urgent_hours")


def reply_working_days(uow: UnitOfWork) -> int:
    """Working days an ordinary inquiry has until it is due (setting ``inquiry_reply_days``)."""
    return _positive_int(uow, "inquiry_reply_days")


@dataclass(frozen=True)
class Visitor:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class NewInquiry:
    """What the form (or one hotline row) gives. ``first_responder`` empty means the logged-in user;
    otherwise the named person of another office who was asked first."""

    channel: str
    matter: str
    visitor: Visitor = Visitor()
    materials: tuple[str, ...] = ()
    urgent: bool = False
    received_at: datetime | None = None
    first_responder: str = ""
    work_order_no: str = ""


@dataclass(frozen=True)
class HistoryLine:
    kind: str  # handoff | close | reopen
    from_name: str
    to_name: str
    at: datetime
    note: str


@dataclass(frozen=True)
class InquiryRow:
    """One inquiry as lists and the detail panel show it (ID number masked)."""

    id: int
    received_at: datetime
    channel: str
    urgent: bool
    visitor_name: str
    visitor_phone: str
    visitor_address: str
    id_masked: str
    matter: str
    materials: tuple[str, ...]
    first_responder: str
    handled_by: str
    status: str
    outcome: str | None
    outcome_note: str
    department: str
    missing: tuple[str, ...]
    answered_at: datetime | None
    due_date: date | None
    case_id: int | None
    work_order_no: str
    overdue: bool
    elapsed_hours: float
    days_left: int | None
    history: tuple[HistoryLine, ...] = ()

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome or "", "")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "received_at": to_local(self.received_at).isoformat(timespec="seconds"),
            "channel": self.channel, "channel_label": self.channel_label, "urgent": self.urgent,
            "name": self.visitor_name, "id_number": self.id_masked, "phone": self.visitor_phone,
            "address": self.visitor_address, "matter": self.matter, "materials": list(self.materials),
            "first_responder": self.first_responder, "handled_by": self.handled_by, "status": self.status,
            "outcome": self.outcome, "outcome_label": self.outcome_label or None, "department": self.department or None,
            "answered_at": to_local(self.answered_at).isoformat(timespec="seconds") if self.answered_at else None,
            "due_date": self.due_date.isoformat() if self.due_date else None, "days_left": self.days_left,
            "overdue": self.overdue, "case_id": self.case_id, "work_order_no": self.work_order_no or None,
        }


@dataclass(frozen=True)
class InquiryFilter:
    """``query``: a full ID number, a phone number (prefix) or a name (prefix).
    ``today_and_open``: the page's default view — today's inquiries and every open one."""

    query: str = ""
    status: str | None = None
    channel: str | None = None
    urgent: bool | None = None
    overdue_only: bool = False
    day: date | None = None
    today_and_open: bool = False


def _clean(text: object) -> str:
    return str(text or "").strip()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=TZ)
    return start, start + timedelta(days=1)


def _is_overdue(inq: Inquiry, moment: datetime, hours: int) -> bool:
    if inq.status != "open":
        return False
    if inq.urgent:
        return moment - inq.received_at > timedelta(hours=hours)
    return inq.due_date is not None and inq.due_date < to_local(moment).date()


def _row(inq: Inquiry, person: Person | None, moment: datetime, hours: int,
         history: tuple[HistoryLine, ...] = ()) -> InquiryRow:
    end = inq.closed_at if inq.status == "closed" and inq.closed_at else moment
    days_left = None
    if inq.due_date is not None and inq.status == "open":
        days_left = (inq.due_date - to_local(moment).date()).days
    return InquiryRow(
        id=inq.id, received_at=inq.received_at, channel=inq.channel, urgent=inq.urgent,
        visitor_name=inq.visitor_name, visitor_phone=inq.visitor_phone, visitor_address=inq.visitor_address,
        id_masked=idnumber.mask(person.id_number) if person else "", matter=inq.matter,
        materials=tuple(inq.materials or ()), first_responder=inq.first_responder, handled_by=inq.handled_by,
        status=inq.status, outcome=inq.outcome, outcome_note=inq.outcome_note, department=inq.department,
        missing=tuple(inq.missing_items or ()), answered_at=inq.answered_at, due_date=inq.due_date,
        case_id=inq.case_id, work_order_no=inq.work_order_no or "", overdue=_is_overdue(inq, moment, hours),
        elapsed_hours=max((end - inq.received_at).total_seconds() / 3600, 0.0), days_left=days_left,
        history=history,
    )


def _history(uow: UnitOfWork, inquiry_id: int) -> tuple[HistoryLine, ...]:
    rows = uow.session.scalars(select(Handoff).where(Handoff.inquiry_id == inquiry_id).order_by(Handoff.id))
    return tuple(HistoryLine(h.kind, h.from_name, h.to_name, h.at, h.note) for h in rows)


def _prefix(column: Any, text: str) -> Any:
    """``column`` starts with ``text``, as a range the column's index answers (LIKE may not use it)."""
    return and_(column >= text, column < text + "\U0010ffff")


def _overdue_clause(moment: datetime, hours: int) -> Any:
    cutoff = moment - timedelta(hours=hours)
    return and_(Inquiry.status == "open",
                or_(and_(Inquiry.urgent.is_(True), Inquiry.received_at < cutoff),
                    and_(Inquiry.urgent.is_(False), Inquiry.due_date < to_local(moment).date())))


def _filtered(uow: UnitOfWork, flt: InquiryFilter, moment: datetime, hours: int) -> Select[tuple[Inquiry]]:
    stmt = select(Inquiry)
    query = _clean(flt.query)
    if query:
        check = idnumber.check(query)
        if check.valid:
            stmt = stmt.where(Inquiry.visitor_person_id.in_(
                select(Person.id).where(Person.id_number == check.id_number)))
        elif query.replace("-", "").isdigit():
            stmt = stmt.where(_prefix(Inquiry.visitor_phone, query))
        else:
            stmt = stmt.where(_prefix(Inquiry.visitor_name, query))
    if flt.status:
        stmt = stmt.where(Inquiry.status == flt.status)
    if flt.channel:
        stmt = stmt.where(Inquiry.channel == flt.channel)
    if flt.urgent is not None:
        stmt = stmt.where(Inquiry.urgent.is_(flt.urgent))
    if flt.overdue_only:
        stmt = stmt.where(_overdue_clause(moment, hours))
    if flt.day is not None:
        start, end = _day_bounds(flt.day)
        stmt = stmt.where(Inquiry.received_at >= start, Inquiry.received_at < end)
    if flt.today_and_open:
        start, _end = _day_bounds(to_local(moment).date())
        # A UNION of two index searches: SQLite answers this OR with a table scan otherwise.
        stmt = stmt.where(Inquiry.id.in_(union(select(Inquiry.id).where(Inquiry.received_at >= start),
                                               select(Inquiry.id).where(Inquiry.status == "open"))))
    return stmt


def _rows(uow: UnitOfWork, stmt: Select[tuple[Inquiry]], moment: datetime, hours: int) -> list[InquiryRow]:
    found = list(uow.session.scalars(stmt))
    ids = {i.visitor_person_id for i in found if i.visitor_person_id}
    people = {p.id: p for p in uow.session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
    return [_row(i, people.get(i.visitor_person_id or 0), moment, hours) for i in found]


def overdue_statement(moment: datetime, hours: int) -> Select[tuple[Inquiry]]:
    """The overdue query itself (oldest first), for callers that count or join it."""
    return select(Inquiry).where(_overdue_clause(moment, hours)).order_by(Inquiry.received_at, Inquiry.id)


def elapsed_text(hours: float) -> str:
    """已等候 3小时12分 — for the pinned 急难 rows."""
    minutes = int(hours * 60)
    return f"{minutes // 60}小时{minutes % 60:02d}分" if minutes >= 60 else f"{minutes}分钟"
