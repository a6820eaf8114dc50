"""The supervisor's daily register (每日台账): a day's records, its sign-off, and amendments to a signed day.

A day's register is a list of *sections* (inquiries, accepted cases, referrals sent, …).
Each section comes from a provider, a function ``(uow, day, office) -> Section``; ``PROVIDERS``
lists them in the order they are shown. Another area adds its section with one line, e.g.
the reserve fund's payments::

    daily.PROVIDERS.append(reserve.daily_payments_section)      # or list it in PROVIDERS below

A supervisor signs a day off with a comment (``sign_off``). The sign-off writes an audit
entry and keeps that entry's number and hash on the review row: the chain head printed on
the signed register, so the chain can later be checked against paper (``audit verify
--anchor N:HASH``). A signed day is locked: every service that changes a record belonging
to a day calls ``guard_change`` first; on a locked day that requires a reason and writes one
``Amendment`` per field (who, when, what, from, to, why), shown on that day's register —
never a silent edit.

The days, locks and amendments are in ``daily_lock`` (re-exported here); the sections, the sign-off
and the printed register are here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from window_desk import idnumber, timeutil, vocab, workdays
from window_desk import money as _money
from window_desk.db.models import (
    AuditHead,
    Case,
    DailyReview,
    Household,
    Inquiry,
    Person,
    Referral,
)
from window_desk.errors import Conflict, PermissionDenied, UserError
from window_desk.permissions import requires
from window_desk.services import reserve as _reserve
from window_desk.services.daily_lock import (  # noqa: F401 - re-exported: callers write daily.guard_change(...)
    SUPERVISOR_ROLES,
    AmendmentInfo,
    ReviewInfo,
    _office,
    _review_info,
    amendments_of,
    day_bounds,
    day_of,
    guard_change,
    is_locked,
    parse_day,
    review_of,
)
from window_desk.uow import UnitOfWork

OPEN_REFERRAL = ("sent", "received")
OPEN_CASE = ("draft", "accepted", "missing_materials")


# --- days and locks ----------------------------------------------------------------------------


# --- sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One line of a section: the cells as shown, and the case it opens (if any)."""

    cells: tuple[str, ...]
    case_id: int | None = None
    overdue: bool = False
    ref: str = ""  # entity reference, e.g. "referral:12"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: tuple[str, ...]
    items: tuple[Item, ...]
    total_label: str = "件"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.items)


SectionProvider = Callable[[UnitOfWork, date, str], Section]


def _applicants(uow: UnitOfWork, case_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Case id → (case number, applicant's name): two columns, not two ORM objects a case (a busy
    day's referrals name a couple of thousand cases)."""
    if not case_ids:
        return {}
    rows = uow.session.execute(select(Case.id, Case.number, Person.name)
                               .join(Person, Person.id == Case.applicant_person_id)
                               .where(Case.id.in_(set(case_ids)))).all()
    return {case_id: (number, name) for case_id, number, name in rows}


# What a referral line of the review shows: read as columns, not as ORM objects.
_REFERRAL_LINE = (Referral.id, Referral.case_id, Referral.status, Referral.due_date, Referral.measure_code,
                  Referral.department, Referral.referred_at, Referral.receipt_signer, Referral.result,
                  Referral.return_reason)


def _time(moment: datetime | None) -> str:
    return timeutil.to_local(moment).strftime("%H:%M") if moment else ""


def inquiries_section(uow: UnitOfWork, day: date, office: str) -> Section:
    start, end = day_bounds(day)
    rows = uow.session.scalars(select(Inquiry).where(Inquiry.received_at >= start, Inquiry.received_at < end)
                               .order_by(Inquiry.received_at, Inquiry.id)).all()
    items = tuple(Item((_time(i.received_at), vocab.INQUIRY_CHANNELS.get(i.channel, i.channel), i.visitor_name or "—",
                        i.matter, "急难" if i.urgent else "", i.first_responder,
                        vocab.INQUIRY_OUTCOMES.get(i.outcome or "", "未办结")), i.case_id, ref=f"inquiry:{i.id}")
                  for i in rows)
    return Section("inquiries", "首问登记", ("时间", "渠道", "来访人", "诉求事项", "急难", "首问责任人", "结果"), items)


def _clerk_names(uow: UnitOfWork) -> dict[str, str]:
    """User name → display name (the desk's users are few)."""
    from window_desk.db.models import User

    return dict(uow.session.execute(select(User.username, User.display_name)).all())  # type: ignore[arg-type]


def _cases_section(uow: UnitOfWork, day: date, office: str, statuses: Sequence[str], key: str,
                   title: str) -> Section:
    rows = uow.session.execute(  # columns, not ORM objects: a busy day has thousands of cases
        select(Case.id, Case.number, Case.created_at, Case.tier, Case.matter, Case.status, Case.deadline,
               Case.created_by, Person.name, Person.id_number).join(Person, Person.id == Case.applicant_person_id)
        .where(Case.application_date == day, Case.status.in_(statuses)).order_by(Case.id)
    ).all()
    clerks = _clerk_names(uow)
    items = tuple(Item((c.number, _time(c.created_at), c.name, idnumber.mask(c.id_number),
                        vocab.TIERS.get(c.tier or "none", ""), c.matter,
                        vocab.CASE_STATUSES.get(c.status, c.status), c.deadline.isoformat() if c.deadline else "",
                        clerks.get(c.created_by) or c.created_by), c.id, ref=f"case:{c.id}") for c in rows)
    return Section(key, title, ("个案编号", "时间", "申请人", "身份证号", "类别", "申请事项", "状态", "办理期限", "经办人"),
                   items)


def accepted_section(uow: UnitOfWork, day: date, office: str) -> Section:
    return _cases_section(uow, day, office, ("accepted", "missing_materials", "closed"), "accepted", "受理个案")


def rejected_section(uow: UnitOfWork, day: date, office: str) -> Section:
    return _cases_section(uow, day, office, ("rejected",), "rejected", "不予受理")


REFERRAL_COLUMNS = ("个案编号", "申请人", "转介事项", "接收单位", "转出日期", "办理时限", "状态", "签收人", "办理结果")


def _referral_items(uow: UnitOfWork, referrals: Sequence[Any], on: date) -> tuple[Item, ...]:
    """Review lines of referrals (rows of ``_REFERRAL_LINE`` or Referral objects)."""
    people = _applicants(uow, [r.case_id for r in referrals])
    out = []
    for r in referrals:
        number, name = people[r.case_id]
        overdue = r.status in OPEN_REFERRAL and r.due_date < on
        status = vocab.REFERRAL_STATUSES.get(r.status, r.status) + ("（逾期）" if overdue else "")
        out.append(Item((number, name, vocab.MEASURES.get(r.measure_code, r.measure_code), r.department,
                         timeutil.to_local(r.referred_at).date().isoformat(), r.due_date.isoformat(), status,
                         r.receipt_signer, r.result or r.return_reason), r.case_id, overdue, f"referral:{r.id}"))
    return tuple(out)


def referrals_sent_section(uow: UnitOfWork, day: date, office: str) -> Section:
    start, end = day_bounds(day)
    rows = uow.session.execute(select(*_REFERRAL_LINE).where(Referral.referred_at >= start, Referral.referred_at < end)
                               .order_by(Referral.id)).all()
    return Section("referrals_sent", "转介转出", REFERRAL_COLUMNS, _referral_items(uow, rows, timeutil.today()))


def receipts_section(uow: UnitOfWork, day: date, office: str) -> Section:
    start, end = day_bounds(day)
    entered = Referral.receipt_entered_at  # type: ignore[attr-defined]
    rows = uow.session.execute(select(*_REFERRAL_LINE).where(entered >= start, entered < end)
                               .order_by(entered, Referral.id)).all()
    return Section("receipts", "回执返回", REFERRAL_COLUMNS, _referral_items(uow, rows, timeutil.today()))


def overdue_section(uow: UnitOfWork, day: date, office: str) -> Section:
    """Referrals past their due date and still open at the end of the day (or now, for today),
    and open cases past their deadline."""
    as_of = min(day, timeutil.today())
    rows = uow.session.execute(select(*_REFERRAL_LINE).where(Referral.status.in_(OPEN_REFERRAL),
                                                             Referral.due_date < as_of)
                               .order_by(Referral.due_date, Referral.id)).all()
    items = list(_referral_items(uow, rows, as_of))
    items = [Item(it.cells[:6] + (f"逾期{workdays_late(r.due_date, as_of)}个工作日",) + it.cells[7:], it.case_id, True,
                  it.ref) for it, r in zip(items, rows, strict=True)]
    cases = uow.session.execute(
        select(Case, Person).join(Person, Person.id == Case.applicant_person_id)
        .where(Case.status.in_(OPEN_CASE), Case.deadline < as_of).order_by(Case.deadline, Case.id)
    ).all()
    items += [Item((c.number, p.name, c.matter, "本窗口", c.application_date.isoformat(),
                    c.deadline.isoformat() if c.deadline else "",
                    f"逾期{workdays_late(c.deadline, as_of) if c.deadline else 0}个工作日", "", ""),
                   c.id, True, f"case:{c.id}") for c, p in cases]
    return Section("overdue", "逾期事项", REFERRAL_COLUMNS, tuple(items))


def urgent_open_section(uow: UnitOfWork, day: date, office: str) -> Section:
    """急难 inquiries received by the end of the day and not answered by then."""
    _start, end = day_bounds(day)
    rows = uow.session.scalars(
        select(Inquiry).where(Inquiry.urgent.is_(True), Inquiry.received_at < end,
                              or_(Inquiry.answered_at.is_(None), Inquiry.answered_at >= end))
        .order_by(Inquiry.received_at, Inquiry.id)
    ).all()
    items = tuple(Item((timeutil.format_local(i.received_at), vocab.INQUIRY_CHANNELS.get(i.channel, i.channel),
                        i.visitor_name or "—", i.matter, i.first_responder, i.handled_by), i.case_id, True,
                       f"inquiry:{i.id}") for i in rows)
    return Section("urgent_open", "未办结急难事项", ("登记时间", "渠道", "来访人", "诉求事项", "首问责任人", "承办人"), items)


def workdays_late(due: date, on: date) -> int:
    """Working days after ``due`` up to and including ``on`` (0 when not late)."""
    count = 0
    d = due
    while d < on and count < 10_000:
        d += timedelta(days=1)
        if workdays.is_working_day(d):
            count += 1
    return count


# --- the reserve fund's sections ------------------------------------

_PAYMENT_COLUMNS = ("凭证号", "个案编号", "领款人", "致困原因", "金额(元)", "审批人", "经办人")


def _payment_cells(p: _reserve.PrepaymentInfo) -> tuple[str, ...]:
    return (p.voucher_number, p.case_number, p.person_name, p.cause_label, _money.fmt(p.amount),
            p.approver_name or "无需审批", p.requested_by_name)


def reserve_payments_section(uow: UnitOfWork, day: date, office: str) -> Section:
    """先行救助 paid on the day, with the day's total in 元."""
    rows = [p for p in _reserve.payments_on(uow, day) if p.office == office]
    total = sum((p.amount for p in rows), Decimal(0))
    return Section("prepayments", "先行救助发放", _PAYMENT_COLUMNS,
                   tuple(Item(_payment_cells(p), case_id=p.case_id, ref=f"prepayment:{p.id}") for p in rows),
                   total_label="笔", extra={"amount": _money.fmt(total)})


def reserve_paperwork_section(uow: UnitOfWork, day: date, office: str) -> Section:
    """Prepayments whose case file is past its prepay_paperwork deadline as of the day."""
    rows = [p for p in _reserve.paperwork_overdue(uow, day) if p.office == office]
    return Section("prepay_paperwork", "先行救助补齐材料逾期", (*_PAYMENT_COLUMNS, "补齐期限"),
                   tuple(Item((*_payment_cells(p), p.paperwork_due.isoformat() if p.paperwork_due else ""),
                              case_id=p.case_id, overdue=True, ref=f"prepayment:{p.id}") for p in rows))


# In display order. Other areas add theirs with one line (see the module docstring):
# the reserve fund's payments and the inquiries' own overdue list belong here.
PROVIDERS: list[SectionProvider] = [
    inquiries_section,
    accepted_section,
    rejected_section,
    referrals_sent_section,
    receipts_section,
    overdue_section,
    urgent_open_section,
    reserve_payments_section,
    reserve_paperwork_section,
]


@dataclass(frozen=True)
class DayRegister:
    office: str
    day: date
    sections: tuple[Section, ...]
    review: ReviewInfo | None
    amendments: tuple[AmendmentInfo, ...]

    @property
    def totals(self) -> dict[str, int]:
        return {s.key: s.total for s in self.sections}

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def build_day(uow: UnitOfWork, day: date, office: str | None = None) -> DayRegister:
    office = _office(uow, office)
    sections = tuple(provider(uow, day, office) for provider in PROVIDERS)
    return DayRegister(office, day, sections, review_of(uow, day, office), tuple(amendments_of(uow, day, office)))


@requires("daily.sign")
def sign_off(uow: UnitOfWork, day: date, comment: str, *, office: str | None = None,
             commit: bool = True) -> ReviewInfo:
    """The supervisor signs the day off with a comment; the day is locked from now on."""
    if uow.actor.role not in SUPERVISOR_ROLES:
        raise PermissionDenied("只有审核人可以签字确认每日台账", field="审核人")
    if day > timeutil.today():
        raise UserError("不能签字确认尚未到来的日期", field="日期")
    office = _office(uow, office)
    if review_of(uow, day, office) is not None:
        raise Conflict(f"{day.isoformat()} 的台账已经签字确认，不能重复签字", field="日期")
    text = comment.strip()
    if len(text) < 2:
        raise UserError("请填写审核意见", field="审核意见")
    moment = timeutil.now()
    totals = {s.key: s.total for s in build_day(uow, day, office).sections}
    review = DailyReview(office=office, day=day, supervisor=uow.actor.name, reviewed_at=moment, comment=text,
                         created_at=moment, created_by=uow.actor.label)
    review.supervisor_user_id = uow.actor.user_id  # type: ignore[attr-defined]
    uow.session.add(review)
    uow.session.flush()
    uow.audit("daily.sign_off", "daily_review", review.id,
              {"office": office, "day": day, "comment": text, "totals": totals})
    # The entry just written is the chain head: keep its number and hash as the day's anchor.
    head = uow.session.get(AuditHead, 1)
    assert head is not None
    review.audit_entry_id = head.last_id  # type: ignore[attr-defined]
    review.audit_hash = head.last_hash  # type: ignore[attr-defined]
    uow.session.flush()
    info = _review_info(review)
    if commit:
        uow.commit()
    return info


# --- the printed register (forms.md daily_register) ---------------------------------------------


def register_rows(uow: UnitOfWork, day: date, *, after: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
    """The rows of the printed daily register: every case applied for that day (with its inquiry's
    time when it came through one) and every inquiry of the day that did not become a case."""
    start, end = day_bounds(day)
    # Columns, not ORM objects: a busy day has thousands of cases and referrals, and a row with the
    # case's, applicant's and household's fields serves as all three below.
    cases = uow.session.execute(
        select(Case.id, Case.created_at, Case.tier, Case.matter, Case.status, Case.deadline, Case.created_by,
               Person.name, Person.id_number, Household.address, Household.phone)
        .join(Person, Person.id == Case.applicant_person_id)
        .join(Household, Household.id == Case.household_id).where(Case.application_date == day)
        .order_by(Case.created_at, Case.id)
    ).all()
    case_ids = [c.id for c in cases]
    refs: dict[int, list[Any]] = {}
    if case_ids:
        for r in uow.session.execute(select(Referral.case_id, Referral.status, Referral.due_date, Referral.department)
                                     .where(Referral.case_id.in_(case_ids)).order_by(Referral.id)):
            refs.setdefault(r.case_id, []).append(r)
    inquiries = uow.session.scalars(select(Inquiry).where(Inquiry.received_at >= start, Inquiry.received_at < end)
                                    .order_by(Inquiry.received_at, Inquiry.id)).all()
    inquiry_of_case = {i.case_id: i for i in inquiries if i.case_id is not None}
    clerks = _clerk_names(uow)
    today = timeutil.today()
    entries: list[tuple[datetime, dict[str, Any]]] = []
    for c in cases:
        p = h = c
        inq = inquiry_of_case.get(c.id)
        moment = inq.received_at if inq is not None else c.created_at
        rs = refs.get(c.id, [])
        due = min((r.due_date for r in rs if r.status in OPEN_REFERRAL), default=c.deadline)
        # Referrals as counts by status (the departments are in 转介单位; details on 转介跟踪).
        counts: dict[str, int] = {}
        for r in rs:
            counts[r.status] = counts.get(r.status, 0) + 1
        results = "，".join(f"{vocab.REFERRAL_STATUSES.get(k, k)}{n}项" for k, n in counts.items())
        late = any(r.status in OPEN_REFERRAL and r.due_date < today for r in rs)
        entries.append((moment, {
            "time": _time(moment), "name": p.name, "id_number": idnumber.mask(p.id_number),
            "address": h.address, "phone": h.phone,
            "category": vocab.TIERS.get(c.tier or "none", "") if c.tier and c.tier != "none" else c.matter,
            "materials_complete": c.status != "missing_materials",
            "outcome": vocab.CASE_STATUSES.get(c.status, c.status),
            "referred_to": "、".join(dict.fromkeys(r.department for r in rs)),
            "due_date": due.isoformat() if due else "",
            "result": results or ("审核中" if c.status in OPEN_CASE else vocab.CASE_STATUSES.get(c.status, "")),
            "clerk": clerks.get(c.created_by) or c.created_by, "note": "；".join(x for x in ("转介逾期" if late else "", c.matter if c.tier and c.tier != "none" else "") if x),
            "case_id": c.id,
        }))
    entries += _inquiry_entries(uow, inquiries, set(case_ids))
    entries.sort(key=lambda e: e[0])
    rows = [dict(row, seq=n) for n, (_m, row) in enumerate(entries, 1)]
    rows = rows[after:]
    return rows[:limit] if limit is not None else rows


def _inquiry_entries(uow: UnitOfWork, inquiries: Sequence[Inquiry], on_register: set[int]
                     ) -> list[tuple[datetime, dict[str, Any]]]:
    """The day's inquiries that did not become one of its cases, as register rows."""
    entries: list[tuple[datetime, dict[str, Any]]] = []
    # A visitor who showed an ID card is a person: their number, masked like the applicants'.
    visitor_ids = {i.visitor_person_id for i in inquiries if i.visitor_person_id is not None}
    visitor_numbers = dict(uow.session.execute(select(Person.id, Person.id_number)
                                               .where(Person.id.in_(visitor_ids))).all()) if visitor_ids else {}
    for i in inquiries:
        if i.case_id is not None and i.case_id in on_register:
            continue
        number = visitor_numbers.get(i.visitor_person_id) if i.visitor_person_id is not None else None
        entries.append((i.received_at, {
            "time": _time(i.received_at), "name": i.visitor_name or "—",
            "id_number": idnumber.mask(number) if number else "",
            "address": i.visitor_address, "phone": i.visitor_phone, "category": "首问登记",
            "materials_complete": bool(i.materials), "outcome": vocab.INQUIRY_OUTCOMES.get(i.outcome or "", "未办结"),
            "referred_to": "", "due_date": "", "result": i.outcome_note, "clerk": i.first_responder,
            "note": ("急难　" if i.urgent else "") + i.matter, "case_id": i.case_id,
        }))
    return entries


def form_totals(rows: Sequence[dict[str, Any]], register: DayRegister) -> dict[str, int]:
    """forms.md ``totals``: 登记, 受理, 一次性告知, 不予受理, 转介, 咨询, plus the review's own counts."""
    outcomes = [r["outcome"] for r in rows]
    totals = {
        "received": len(rows),
        "accepted": outcomes.count(vocab.CASE_STATUSES["accepted"]) + outcomes.count(vocab.CASE_STATUSES["closed"]),
        "notified_missing": outcomes.count(vocab.CASE_STATUSES["missing_materials"])
        + outcomes.count(vocab.INQUIRY_OUTCOMES["one_time_notice"]),
        "rejected": outcomes.count(vocab.CASE_STATUSES["rejected"]),
        "referred": register.section("referrals_sent").total,
        "consulted": outcomes.count(vocab.INQUIRY_OUTCOMES["answered"]),
    }
    for key, label in (("receipts", "回执返回"), ("overdue", "逾期"), ("urgent_open", "未办结急难")):
        totals[label] = register.section(key).total
    return totals


def register_data(uow: UnitOfWork, day: date, office: str | None = None, *,
                  register: DayRegister | None = None) -> dict[str, Any]:
    """The ``daily_register`` document data (forms.md) of one day, ready for ``forms.render``."""
    from window_desk.forms import KINDS, format_number
    from window_desk.services import settings

    office = _office(uow, office)
    register = register if register is not None else build_day(uow, day, office)
    rows = register_rows(uow, day)
    data: dict[str, Any] = {
        "office": settings.get(uow, "office_full_name"),
        # The register of a day has one number a year: the day of the year (0001 = 1 January).
        "number": format_number(office, KINDS["daily_register"].number_word, day.year, day.timetuple().tm_yday),
        "date": (register.review.reviewed_at.date() if register.review else timeutil.today()).isoformat(),
        "clerk": uow.actor.name,
        "case_number": "",
        "day": day.isoformat(),
        "rows": [{k: v for k, v in r.items() if k != "case_id"} for r in rows],
        "totals": form_totals(rows, register),
    }
    if register.review is not None:
        review = register.review
        data["review"] = {"supervisor": review.supervisor,
                          "reviewed_at": timeutil.to_local(review.reviewed_at).strftime("%Y-%m-%dT%H:%M"),
                          "comment": review.comment}
        if review.anchor:
            data["review"]["anchor"] = f"第{review.audit_entry_id}条 {review.audit_hash}"
    if register.amendments:
        data["amendments"] = [{"at": timeutil.format_local(a.created_at), "by": a.created_by,
                               "what": f"{a.entity_type}:{a.entity_id}·{a.field}",
                               "change": f"{a.old_value or '（空）'} → {a.new_value or '（空）'}", "reason": a.reason}
                              for a in register.amendments]
    return data


__all__ = ["PROVIDERS", "Section", "Item", "DayRegister", "ReviewInfo", "AmendmentInfo", "SectionProvider",
           "build_day", "sign_off", "guard_change", "is_locked", "review_of", "amendments_of", "register_data",
           "register_rows", "day_bounds", "day_of", "workdays_late"]
