"""Referral tracking (转介跟踪): from the slip sent to the department until its receipt (回执) returns.

Lifecycle::

    sent (已转出) ──签收──▶ received (已签收) ──办结──▶ done (已办结)
       │                       │
       └────────退回(理由)──────┴──▶ returned (已退回)

The receipt stub comes back on paper with who signed it, when, the result and the
feedback date; the clerk finds its referral by scanning the slip's QR code (a USB
scanner types ``number|case|hash12`` and Enter: ``find_by_code``) or by typing the
slip's number, and enters it (``record_receipt``). The hash in the code is checked
against the slip the window issued, so a foreign or altered paper is refused.

Due dates count working days (``workdays``); a referral is overdue when it is still
open (sent or received) after its due date, as of ``timeutil.today()`` — so tests
freeze the clock by patching ``timeutil.now``.

Every step is audited; a change to a record of a day already signed off goes through
``daily.guard_change`` (an amendment with a reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select

from window_desk import timeutil, vocab, workdays
from window_desk.db.models import Case, Document, Person, Referral
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.permissions import requires
from window_desk.services import daily
from window_desk.uow import UnitOfWork

OPEN = ("sent", "received")
STATUSES = {"sent": "已转出", "received": "已签收", "done": "已办结", "returned": "已退回"}
_SEQ_ONLY = re.compile(r"\d{1,6}")


def is_overdue(status: str, due_date: date, on: date | None = None) -> bool:
    return status in OPEN and due_date < (on or timeutil.today())


@dataclass(frozen=True)
class ReferralRow:
    id: int
    case_id: int
    case_number: str
    person_name: str
    measure_code: str
    measure: str
    department: str
    referred_on: date
    due_date: date
    status: str
    receipt_signer: str
    receipt_at: datetime | None
    result: str
    feedback_at: datetime | None
    return_reason: str
    document_id: int | None
    document_number: str
    overdue: bool
    days_late: int  # working days past the due date (0 when not late)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, vocab.REFERRAL_STATUSES.get(self.status, self.status))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "case": self.case_number, "person": self.person_name, "measure": self.measure,
                "department": self.department, "referred_on": self.referred_on.isoformat(),
                "due_date": self.due_date.isoformat(), "status": self.status, "status_label": self.status_label,
                "overdue": self.overdue, "days_late": self.days_late, "document": self.document_number}


@dataclass(frozen=True)
class ReferralFilter:
    department: str | None = None
    status: str | None = None  # a status code, or "open"
    overdue_only: bool = False


def _row(r: Referral, case_number: str, person: str, doc_number: str | None, on: date) -> ReferralRow:
    overdue = is_overdue(r.status, r.due_date, on)
    return ReferralRow(
        r.id, r.case_id, case_number, person, r.measure_code, vocab.MEASURES.get(r.measure_code, r.measure_code),
        r.department, timeutil.to_local(r.referred_at).date(), r.due_date, r.status, r.receipt_signer, r.receipt_at,
        r.result, r.feedback_at, r.return_reason, r.document_id, doc_number or "", overdue,  # type: ignore[attr-defined]
        daily.workdays_late(r.due_date, on) if overdue else 0,
    )


def _select() -> Select[Any]:
    return (select(Referral, Case.number, Person.name, Document.number)
            .join(Case, Case.id == Referral.case_id)
            .join(Person, Person.id == Case.applicant_person_id)
            .outerjoin(Document, Document.id == Referral.document_id))


def list_referrals(uow: UnitOfWork, flt: ReferralFilter = ReferralFilter(), *,
                   after: tuple[date, int] | None = None, limit: int = 200) -> list[ReferralRow]:
    """A page of referrals, soonest due first (keyset on due date and id, continuing after ``after``)."""
    if not 1 <= limit <= 10_000:
        raise UserError("每页条数应在 1 到 10000 之间", field="limit")
    today = timeutil.today()
    stmt = _select()
    if flt.department:
        stmt = stmt.where(Referral.department == flt.department)
    if flt.status == "open" or flt.overdue_only:
        stmt = stmt.where(Referral.status.in_(OPEN))
    elif flt.status:
        if flt.status not in STATUSES:
            raise UserError("未知的转介状态", field="状态")
        stmt = stmt.where(Referral.status == flt.status)
    if flt.overdue_only:
        stmt = stmt.where(Referral.due_date < today)
    if after is not None:
        due, rid = after
        stmt = stmt.where(or_(Referral.due_date > due, and_(Referral.due_date == due, Referral.id > rid)))
    rows = uow.session.execute(stmt.order_by(Referral.due_date, Referral.id).limit(limit)).all()
    return [_row(r, number, name, doc, today) for r, number, name, doc in rows]


def get(uow: UnitOfWork, referral_id: int) -> ReferralRow:
    row = uow.session.execute(_select().where(Referral.id == referral_id)).first()
    if row is None:
        raise NotFound("转介记录不存在", field="转介")
    r, number, name, doc = row
    return _row(r, number, name, doc, timeutil.today())


@dataclass(frozen=True)
class DepartmentSummary:
    department: str
    open: int
    overdue: int
    done: int
    returned: int
    done_capped: bool = False  # ``done`` is a lower bound: counting stopped at DONE_COUNT_CAP

    @property
    def done_text(self) -> str:
        return f"≥ {self.done}" if self.done_capped else str(self.done)


def by_department(uow: UnitOfWork, *, after: str | None = None, limit: int = 100) -> list[DepartmentSummary]:
    """Per receiving department (for chasing): open, overdue, done and returned referrals — a page of
    departments in name order after ``after``. The names are read off ``ix_referrals_department_status_due``
    by skipping ahead, and the counts are ranges of that index (department, status, due date): the
    referrals table itself is never read."""
    if not 1 <= limit <= 1000:
        raise UserError("每页条数应在 1 到 1000 之间", field="limit")
    names: list[str] = []
    last = after
    while len(names) < limit:
        stmt = select(func.min(Referral.department))
        if last is not None:
            stmt = stmt.where(Referral.department > last)
        nxt = uow.session.scalar(stmt)
        if nxt is None:
            break
        names.append(nxt)
        last = nxt
    if not names:
        return []
    today = timeutil.today()
    counts: dict[str, dict[str, tuple[int, int]]] = {n: {} for n in names}
    # Open and returned referrals are what is chased, and few: counted exactly off the index ranges.
    for department, status, n, late in uow.session.execute(
        select(Referral.department, Referral.status, func.count(),
               func.sum(case((Referral.due_date < today, 1), else_=0)))
        .where(Referral.department.in_(names), Referral.status.in_((*OPEN, "returned")))
        .group_by(Referral.department, Referral.status)
    ):
        counts[department][status] = (int(n), int(late or 0))
    # Done ones pile up for years (most of a county's millions): counted up to a cap, shown as "≥ N".
    done = {d: _capped_done(uow, d) for d in names}

    def of(department: str, status: str, index: int = 0) -> int:
        return counts[department].get(status, (0, 0))[index]

    return [DepartmentSummary(d, sum(of(d, s) for s in OPEN), sum(of(d, s, 1) for s in OPEN),
                              min(done[d], DONE_COUNT_CAP), of(d, "returned"), done[d] > DONE_COUNT_CAP)
            for d in names]


DONE_COUNT_CAP = 10_000


def _capped_done(uow: UnitOfWork, department: str) -> int:
    """Done referrals of one department, counted off the index up to DONE_COUNT_CAP + 1."""
    some = (select(Referral.id).where(Referral.department == department, Referral.status == "done")
            .limit(DONE_COUNT_CAP + 1).subquery())
    return int(uow.session.scalar(select(func.count()).select_from(some)) or 0)


def chasing_order(rows: list[DepartmentSummary]) -> list[DepartmentSummary]:
    """The order the chasing view shows a page in: most overdue first, then most open, then by name."""
    return sorted(rows, key=lambda s: (-s.overdue, -s.open, s.department))


# --- finding a slip by its QR code or number -----------------------------------------------------


def find_by_code(uow: UnitOfWork, code: str) -> ReferralRow:
    """The referral of a slip, from the scanned QR text ``number|case|hash12`` or a typed number.

    A typed number may be the full slip number (示范镇救转〔2026〕0012号) or just its sequence
    (12, this year's). A scanned code must match the slip the window issued: its case and the
    first 12 hex digits of its content hash.
    """
    from window_desk.forms import content_hash

    text = (code or "").strip()
    if not text:
        raise UserError("请扫描转介单上的二维码，或输入转介单编号", field="转介单编号")
    parts = text.split("|")
    if len(parts) == 3:
        number, case_number, digest = (p.strip() for p in parts)
    elif len(parts) == 1:
        number, case_number, digest = text, None, None
    else:
        raise UserError("二维码内容无法识别（应为“编号|个案编号|校验码”）", field="转介单编号")
    stmt = select(Document).where(Document.kind == "referral_slip")
    if _SEQ_ONLY.fullmatch(number):
        stmt = stmt.where(Document.year == timeutil.today().year, Document.seq == int(number))
    else:
        stmt = stmt.where(Document.number == number)
    docs = uow.session.scalars(stmt).all()
    if not docs and digest is not None:
        # A scanner in plain keyboard mode drops the Chinese of the number (示范镇救转〔2026〕0012号 →
        # "20260012"): the year and sequence left are enough, and the hash below still checks the paper.
        digits = "".join(ch for ch in number if ch.isdigit())
        if len(digits) >= 5:
            docs = uow.session.scalars(select(Document).where(
                Document.kind == "referral_slip", Document.year == int(digits[:4]), Document.seq == int(digits[4:]))
            ).all()
    if not docs:
        raise NotFound(f"没有编号为 {number} 的转介单", field="转介单编号")
    if len(docs) > 1:
        raise UserError(f"编号 {number} 对应多张转介单，请输入完整编号", field="转介单编号")
    doc = docs[0]
    if doc.voided:
        raise Conflict(f"{doc.number} 已作废，请使用重新开具的转介单", field="转介单编号")
    if digest is not None:
        expected_case = doc.data.get("case_number") or ""
        ascii_case = "".join(ch for ch in expected_case if ch.isascii())
        if case_number not in (expected_case, ascii_case) or digest.lower() != content_hash(doc.kind, doc.data)[:12]:
            raise Conflict(f"二维码与本窗口开具的 {doc.number} 不符，请核对纸质转介单", field="转介单编号")
    referral_id = uow.session.scalar(select(Referral.id).where(Referral.document_id == doc.id))
    if referral_id is None:
        raise NotFound(f"{doc.number} 不对应任何转介记录（可能已重新开具）", field="转介单编号")
    return get(uow, referral_id)


# --- the lifecycle ---------------------------------------------------------------------------------


def _referral(uow: UnitOfWork, referral_id: int) -> Referral:
    r = uow.session.get(Referral, referral_id)
    if r is None:
        raise NotFound("转介记录不存在", field="转介")
    return r


def _moment(day: date) -> datetime:
    """A date written on the receipt, kept as noon China time of that day (no time is written)."""
    return datetime.combine(day, time(12, 0), timeutil.TZ)


def _check_day(day: date, field_name: str, not_before: date) -> None:
    if day > timeutil.today():
        raise UserError("日期不能晚于今天", field=field_name)
    if day < not_before:
        raise UserError(f"日期不能早于 {not_before.isoformat()}", field=field_name)


@requires("referral.write")
def record_receipt(uow: UnitOfWork, referral_id: int, *, signer: str, received_on: date,
                   result: str = "", feedback_on: date | None = None, reason: str | None = None) -> ReferralRow:
    """Enter the returned receipt: signed (已签收) — and, with a result, done (已办结).

    A referral already signed for can be completed later with its result (signer and date
    as before). Receipts entered on a day already signed off need a ``reason`` (amendment).
    """
    r = _referral(uow, referral_id)
    if r.status not in OPEN:
        raise Conflict(f"该转介已{STATUSES.get(r.status, r.status)}，不能再录入回执", field="转介")
    signer = signer.strip()
    if not signer:
        raise UserError("请填写签收人", field="签收人")
    sent_on = timeutil.to_local(r.referred_at).date()
    _check_day(received_on, "签收时间", sent_on)
    result = result.strip()
    if feedback_on is not None and not result:
        raise UserError("填写了反馈时间，请同时填写办理结果", field="办理结果")
    if result:
        feedback_on = feedback_on or timeutil.today()
        _check_day(feedback_on, "反馈时间", received_on)
    status = "done" if result else "received"
    moment = timeutil.now()
    new: dict[str, Any] = {"status": status, "receipt_signer": signer, "receipt_at": _moment(received_on),
                           "result": result, "feedback_at": _moment(feedback_on) if feedback_on else None}
    changes = {k: (getattr(r, k), v) for k, v in new.items()}
    daily.guard_change(uow, moment.date(), "referral", r.id, changes, reason)
    for k, v in new.items():
        setattr(r, k, v)
    r.receipt_entered_at = moment  # type: ignore[attr-defined]
    r.updated_at = moment  # type: ignore[attr-defined]
    uow.audit("referral.receipt", "referral", r.id, {
        "status": status, "received_on": received_on, "feedback_on": feedback_on, "department": r.department,
        "late": received_on > r.due_date or (feedback_on is not None and feedback_on > r.due_date),
    })
    uow.commit()
    return get(uow, r.id)


@requires("referral.write")
def return_referral(uow: UnitOfWork, referral_id: int, reason: str, *, on: date | None = None,
                    signer: str = "", amend_reason: str | None = None) -> ReferralRow:
    """The department sends the referral back (退回) with its reason."""
    r = _referral(uow, referral_id)
    if r.status not in OPEN:
        raise Conflict(f"该转介已{STATUSES.get(r.status, r.status)}，不能退回", field="转介")
    why = reason.strip()
    if len(why) < 2:
        raise UserError("请填写退回理由", field="退回理由")
    on = on or timeutil.today()
    _check_day(on, "退回日期", timeutil.to_local(r.referred_at).date())
    moment = timeutil.now()
    new: dict[str, Any] = {"status": "returned", "return_reason": why, "feedback_at": _moment(on)}
    if signer.strip():
        new["receipt_signer"] = signer.strip()
    daily.guard_change(uow, moment.date(), "referral", r.id, {k: (getattr(r, k), v) for k, v in new.items()},
                       amend_reason)
    for k, v in new.items():
        setattr(r, k, v)
    r.receipt_entered_at = moment  # type: ignore[attr-defined]
    r.updated_at = moment  # type: ignore[attr-defined]
    uow.audit("referral.return", "referral", r.id, {"department": r.department, "reason": why, "on": on})
    uow.commit()
    return get(uow, r.id)


CORRECTABLE = {
    "department": "接收单位", "due_date": "办理时限", "receipt_signer": "签收人", "receipt_at": "签收时间",
    "result": "办理结果", "feedback_at": "反馈时间", "return_reason": "退回理由",
}
SENT_FIELDS = ("department", "due_date")


@requires("referral.write")
def correct(uow: UnitOfWork, referral_id: int, field: str, value: str, reason: str) -> ReferralRow:
    """Correct one recorded field, always with a reason. What was recorded on a signed day becomes
    an amendment on that day: the department and due date belong to the day it was sent, the
    receipt's fields to the day the receipt was entered."""
    if field not in CORRECTABLE:
        raise UserError(f"不能更正的字段 {field}", field="字段")
    label = CORRECTABLE[field]
    r = _referral(uow, referral_id)
    if len(reason.strip()) < 2:
        raise UserError("请写明更正理由", field="更正理由")
    new: Any = value.strip()
    if field in ("due_date", "receipt_at", "feedback_at"):
        new = daily.parse_day(new, label)
        if field != "due_date":
            _check_day(new, label, timeutil.to_local(r.referred_at).date())
            new = _moment(new)
        elif new < timeutil.to_local(r.referred_at).date():
            raise UserError("办理时限不能早于转出日期", field=label)
    elif field != "result" and not new:
        raise UserError(f"{label}不能为空", field=label)
    if field not in SENT_FIELDS and r.receipt_entered_at is None:  # type: ignore[attr-defined]
        raise Conflict("回执尚未录入，请先录入回执", field=label)
    day = (timeutil.to_local(r.referred_at).date() if field in SENT_FIELDS
           else daily.day_of(r.receipt_entered_at))  # type: ignore[attr-defined]
    old = getattr(r, field)
    daily.guard_change(uow, day, "referral", r.id, {field: (old, new)}, reason)
    setattr(r, field, new)
    r.updated_at = timeutil.now()  # type: ignore[attr-defined]
    uow.audit("referral.correct", "referral", r.id, {"field": field, "reason": reason.strip(), "day": day})
    uow.commit()
    return get(uow, r.id)


@requires("referral.write")
def refer(uow: UnitOfWork, case_id: int, measure_code: str, department: str, working_days: int) -> ReferralRow:
    """A referral added after intake (e.g. to another department after a 退回), due in working days."""
    case_row = uow.session.get(Case, case_id)
    if case_row is None:
        raise NotFound("个案不存在", field="个案")
    if measure_code not in vocab.MEASURES:
        raise UserError("未知的救助措施", field="转介事项")
    if not department.strip():
        raise UserError("请填写接收单位", field="接收单位")
    if not 1 <= working_days <= 90:
        raise UserError("办理时限应为 1 到 90 个工作日", field="办理时限")
    moment = timeutil.now()
    due, note = workdays.add_working_days(moment.date(), working_days)
    r = Referral(case_id=case_id, measure_code=measure_code, department=department.strip(), referred_at=moment,
                 due_date=due, status="sent", created_at=moment, created_by=uow.actor.label)
    uow.session.add(r)
    uow.session.flush()
    uow.audit("referral.create", "referral", r.id, {"case": case_row.number, "code": measure_code,
                                                    "department": r.department, "due_date": due,
                                                    "calendar_note": note})
    uow.commit()
    return get(uow, r.id)


def departments(uow: UnitOfWork) -> list[str]:
    return list(uow.session.scalars(select(Referral.department).distinct().order_by(Referral.department)))
