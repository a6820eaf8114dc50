"""The township's emergency reserve (临时救助备用金) and the 先行救助 paid from it.

The ledger (``reserve_entries``) has one line per movement of money, per office:
an ``allocation`` in (entered by a supervisor), a ``prepayment`` out (a 先行救助 paid
at the window, with its voucher), a ``return`` in (a recipient found not eligible, an
amount corrected). The balance is the sum of the lines — never a stored figure — and a
payment that would take it below zero is refused.

A prepayment (``prepayments``) is suggested from the assessment's
``temp_emergency.prepay``, never above the policy's ``emergency_prepay_cap``. Above
``prepay_approval_limit``, or when the household had a 急难 prepayment for the same
cause within twelve months (allowed only with a written override reason), it waits
for a supervisor, who approves with their own password; only then is it paid and the
voucher (``prepay_voucher``) issued. After payment the case file must be completed
within ``prepay_paperwork`` working days.

Every ledger line and every decision is an audit entry in the same transaction;
people appear in audit payloads by internal id only.

The ledger is in ``reserve_ledger``, the prepayment records and their reading in ``reserve_records``
(both re-exported here); the prepayment workflow (suggest, record, approve, return) is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from window_desk import idnumber
from window_desk.db.models import (
    Assessment,
    Case,
    Household,
    Inquiry,
    Person,
    Prepayment,
    User,
)
from window_desk.errors import Conflict, NotFound, PermissionDenied, UserError
from window_desk.money import ZERO, fmt, to_money
from window_desk.passwords import verify_password
from window_desk.permissions import requires
from window_desk.policy import Policy
from window_desk.services import assessment_store, documents, settings
from window_desk.services.persons import upsert as upsert_person
from window_desk.services.reserve_ledger import (  # noqa: F401 - re-exported: callers write reserve.balance(...)
    INFLOW,
    KINDS,
    MAX_AMOUNT,
    SUPERVISOR_ROLES,
    Ledger,
    LedgerLine,
    ReserveStatus,
    _add_line,
    _lock,
    _office,
    allocate,
    balance,
    balance_before,
    ledger,
    low_balance_threshold,
    parse_amount,
    recent_lines,
    status,
)
from window_desk.services.reserve_records import (  # noqa: F401 - re-exported: callers write reserve.pending(...)
    CAUSES,
    OPEN_CASE_STATUSES,
    STATUSES,
    PrepaymentInfo,
    _earlier_same_cause,
    _household_person_ids,
    _info,
    get,
    paperwork_overdue,
    payments_on,
    pending,
    prepayments_of,
    prepayments_of_id_numbers,
)
from window_desk.timeutil import format_local, now, today
from window_desk.uow import UnitOfWork
from window_desk.workdays import add_working_days


# --- plain data out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """What the prepayment dialog opens with."""

    case_id: int | None
    case_number: str
    person_id: int | None
    person_name: str
    id_number_masked: str
    causes: tuple[str, ...]
    suggested: Decimal | None
    cap: Decimal
    approval_limit: Decimal
    paperwork_days: int
    balance: Decimal
    earlier: tuple[PrepaymentInfo, ...]


@dataclass(frozen=True)
class PrepaymentResult:
    prepayment: PrepaymentInfo
    pdf: bytes | None  # the voucher, when paid now
    balance: Decimal
    low_balance: bool


# --- helpers -----------------------------------------------------------------------------------


def _policy(uow: UnitOfWork, policy: Policy | None) -> Policy:
    if policy is not None:
        return policy
    from window_desk.services.policy_store import active_policy

    return active_policy(uow).policy


def _temp_emergency(uow: UnitOfWork, case: Case) -> dict[str, Any] | None:
    assessment = uow.session.scalar(select(Assessment).where(Assessment.case_id == case.id)
                                    .order_by(Assessment.id.desc()))
    if assessment is None:
        return None
    stored = assessment_store.stored_result(assessment)  # format 1 whole result or later formats' proposal
    return next((m for m in stored.get("measures", []) if m.get("code") == "temp_emergency"), None)


def _case_causes(uow: UnitOfWork, case: Case) -> tuple[str, ...]:
    household = uow.session.get(Household, case.household_id)
    events = list(household.events) if household is not None else []
    return tuple(e for e in events if e in CAUSES)


# --- allocations -------------------------------------------------------------------------------


# --- prepayments -------------------------------------------------------------------------------


def suggest(uow: UnitOfWork, *, case_id: int | None = None, inquiry_id: int | None = None,
            policy: Policy | None = None, on: date | None = None) -> Suggestion:
    """The suggested amount and the rules that apply, for the dialog to open with."""
    day = on or today()
    period = _policy(uow, policy).period_on(day)
    case = _require_case(uow, case_id) if case_id is not None else None
    inquiry = _require_inquiry(uow, inquiry_id) if inquiry_id is not None else None
    if case is None and inquiry is not None and inquiry.case_id:
        case = uow.session.get(Case, inquiry.case_id)
    person: Person | None = None
    suggested: Decimal | None = None
    causes: tuple[str, ...] = ()
    if case is not None:
        person = uow.session.get(Person, case.applicant_person_id)
        measure = _temp_emergency(uow, case)
        if measure and measure.get("prepay") not in (None, ""):
            suggested = min(to_money(Decimal(str(measure["prepay"]))), period.rules.emergency_prepay_cap)
        causes = _case_causes(uow, case)
    elif inquiry is not None and inquiry.visitor_person_id:
        person = uow.session.get(Person, inquiry.visitor_person_id)
    person_ids = _household_person_ids(uow, case, person.id) if person else []
    earlier = tuple(prepayments_of(uow, person_ids)) if person_ids else ()
    return Suggestion(
        case_id=case.id if case else None, case_number=case.number if case else "",
        person_id=person.id if person else None, person_name=person.name if person else "",
        id_number_masked=idnumber.mask(person.id_number) if person else "", causes=causes, suggested=suggested,
        cap=period.rules.emergency_prepay_cap, approval_limit=period.rules.prepay_approval_limit,
        paperwork_days=period.deadlines.prepay_paperwork, balance=balance(uow), earlier=earlier,
    )


def _require_case(uow: UnitOfWork, case_id: int) -> Case:
    case = uow.session.get(Case, case_id) if isinstance(case_id, int) else None
    if case is None:
        raise NotFound("个案不存在，请核对个案编号", field="个案")
    return case


def _require_inquiry(uow: UnitOfWork, inquiry_id: int) -> Inquiry:
    inquiry = uow.session.get(Inquiry, inquiry_id) if isinstance(inquiry_id, int) else None
    if inquiry is None:
        raise NotFound("首问登记不存在", field="首问登记")
    return inquiry


def find_case(uow: UnitOfWork, number: str) -> int:
    """A case id by its number (for the command line and the dialog's case field)."""
    case = uow.session.scalar(select(Case).where(Case.number == number.strip()))
    if case is None:
        raise NotFound(f"找不到个案 {number.strip()}", field="个案")
    return case.id


def _recipient(uow: UnitOfWork, case: Case | None, inquiry: Inquiry | None, id_number: str, name: str) -> Person:
    """The recipient: the case's applicant, or the person the inquiry names, or the one typed in."""
    if case is not None:
        person = uow.session.get(Person, case.applicant_person_id)
    elif inquiry is not None and inquiry.visitor_person_id:
        person = uow.session.get(Person, inquiry.visitor_person_id)
    else:
        check = idnumber.check(id_number)
        if not check.valid or not check.id_number:
            raise UserError(f"身份证号码无效：{check.error}", field="领取人身份证号")
        if not name.strip():
            raise UserError("请填写领取人姓名", field="领取人姓名")
        person = upsert_person(uow, check.id_number, name.strip(), check.sex, check.birth_date)
    assert person is not None
    return person


def _approval_needed(uow: UnitOfWork, value: Decimal, limit: Decimal, case: Case | None, person: Person,
                     cause: str, day: date, override: str) -> tuple[list[str], str]:
    """Why a supervisor must approve (over the limit, a repeat within twelve months), and the override
    reason kept (a repeat without one is refused; one with no repeat to override is dropped)."""
    needs: list[str] = []
    if value > limit:
        needs.append("amount")
    earlier = _earlier_same_cause(uow, _household_person_ids(uow, case, person.id), cause, day)
    if earlier:
        if len(override) < 4:
            first = earlier[0]
            when = first.paid_on.isoformat() if first.paid_on else "待审批中"
            raise Conflict(f"本户已于{when}因“{CAUSES[cause]}”获得先行救助，十二个月内同一原因只能救助一次；"
                           f"确需再次救助的，请填写理由并由审核人批准", field="致困原因")
        needs.append("repeat")
    elif override:
        override = ""  # no rule to override: the reason would mislead the record
    return needs, override


def _suggested(uow: UnitOfWork, case: Case | None) -> Decimal | None:
    """The assessment's suggested prepayment for the case, if it made one."""
    if case is None:
        return None
    measure = _temp_emergency(uow, case)
    if measure and measure.get("prepay") not in (None, ""):
        return to_money(Decimal(str(measure["prepay"])))
    return None


@requires("prepayment.request")
def record_prepayment(uow: UnitOfWork, *, amount: object, cause: str, reason: str, case_id: int | None = None,
                      inquiry_id: int | None = None, id_number: str = "", name: str = "",
                      override_reason: str = "", policy: Policy | None = None, fonts: Any = None) -> PrepaymentResult:
    """Record a 先行救助 for a case (or an inquiry not yet a case): paid at once with its voucher,
    or left ``pending`` for a supervisor when the amount or a repeat needs approval.

    Refused, with nothing saved: an unknown case, a negative, zero or over-cap amount, an
    unknown cause, no reason, more than the reserve holds, a repeat within twelve months
    without an override reason.
    """
    if case_id is None and inquiry_id is None:
        raise UserError("请先选择个案或首问登记", field="个案")
    case = _require_case(uow, case_id) if case_id is not None else None
    inquiry = _require_inquiry(uow, inquiry_id) if inquiry_id is not None else None
    if case is None and inquiry is not None and inquiry.case_id:
        case = uow.session.get(Case, inquiry.case_id)
    day = today()
    period = _policy(uow, policy).period_on(day)
    value = parse_amount(amount, "先行救助金额")
    cap = period.rules.emergency_prepay_cap
    if value > cap:
        raise UserError(f"不能超过备用金先行救助上限{fmt(cap)}元", field="先行救助金额")
    if cause not in CAUSES:
        raise UserError(f"请选择致困原因（{'、'.join(CAUSES.values())}）", field="致困原因")
    why = (reason or "").strip()
    if len(why) < 4:
        raise UserError("请写明救助事由（至少4个字）", field="救助事由")
    override = (override_reason or "").strip()

    person = _recipient(uow, case, inquiry, id_number, name)

    office = _office(uow, None)
    _lock(uow)
    current = balance(uow, office)
    if value > current:
        raise Conflict(f"备用金余额{fmt(current)}元，不足以支付{fmt(value)}元", field="先行救助金额")

    needs, override = _approval_needed(uow, value, period.rules.prepay_approval_limit, case, person, cause, day,
                                       override)
    suggested = _suggested(uow, case)
    moment = now()
    row = Prepayment(
        office=office, case_id=case.id if case else None, inquiry_id=inquiry.id if inquiry else None,
        person_id=person.id, cause=cause, amount=value, suggested=suggested, reason=why,
        status="pending" if needs else "paid", approval_needed=",".join(needs), override_reason=override,
        requested_by_name=uow.actor.name, approver_name="", decision_note="", voucher_number="",
        created_at=moment, created_by=uow.actor.label,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("prepayment.request", "prepayment", row.id, {
        "case": case.number if case else None, "inquiry": inquiry.id if inquiry else None, "person": person.id,
        "cause": cause, "amount": value, "suggested": suggested, "approval_needed": needs,
        "override_reason": override or None,
    })
    pdf = None
    if not needs:
        pdf = _pay(uow, row, person, case, period.deadlines.prepay_paperwork, fonts)
    uow.commit()
    return _result(uow, row, pdf)


def _result(uow: UnitOfWork, row: Prepayment, pdf: bytes | None) -> PrepaymentResult:
    st = status(uow, row.office)
    return PrepaymentResult(_info(uow, row), pdf, st.balance, st.low)


def _pay(uow: UnitOfWork, row: Prepayment, person: Person, case: Case | None, paperwork_days: int,
         fonts: Any) -> bytes:
    """The ledger line, the voucher and the paperwork clock, in the caller's transaction."""
    current = balance(uow, row.office)
    if row.amount > current:
        raise Conflict(f"备用金余额{fmt(current)}元，不足以支付{fmt(row.amount)}元", field="先行救助金额")
    moment = now()
    day = today()
    data = {
        "office": settings.get(uow, "office_full_name"),
        "person": {"name": person.name, "id_number": person.id_number},
        "amount": fmt(row.amount),
        "reason": row.reason,
        "paid_at": day.isoformat(),
        "payer": f"{settings.get(uow, 'office_full_name')}（临时救助备用金）",
        "clerk": row.requested_by_name,
    }
    if row.approver_name:
        data["approved_by"] = row.approver_name
    issued = documents.issue(uow, "prepay_voucher", data, case_id=case.id if case else None,
                             inquiry_id=row.inquiry_id, office=row.office, fonts=fonts, commit=False)
    due, _note = add_working_days(day, paperwork_days)
    row.status = "paid"
    row.paid_at = moment
    row.paid_on = day
    row.paperwork_due = due
    row.document_id = issued.id
    row.voucher_number = issued.number
    _add_line(uow, row.office, "prepayment", row.amount, day, CAUSES.get(row.cause, row.cause), prepayment_id=row.id)
    uow.audit("prepayment.pay", "prepayment", row.id, {
        "amount": row.amount, "voucher": issued.number, "paperwork_due": due, "approved_by": row.approved_by,
    })
    return issued.pdf


def _approver(uow: UnitOfWork, username: str, password: str) -> User:
    """The supervisor who approves, by their own password. A wrong password counts toward the lockout."""
    from window_desk.services.users import LOCK_MINUTES, MAX_FAILED_LOGINS

    user = uow.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active:
        raise UserError("审批人用户名或密码错误", field="审批人密码")
    moment = now()
    if user.locked_until and user.locked_until > moment:
        raise PermissionDenied(f"审批人账户已锁定至 {format_local(user.locked_until)}", field="审批人密码")
    if not verify_password(user.password_hash, password or ""):
        user.failed_logins += 1
        changes: dict[str, object] = {"failed_logins": user.failed_logins, "purpose": "prepayment approval"}
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = moment + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            changes["locked_until"] = user.locked_until
        uow.audit("user.approval_failed", "user", user.id, changes)
        uow.commit()  # the failure counts even though nothing else is saved
        raise UserError("审批人用户名或密码错误", field="审批人密码")
    if user.role not in SUPERVISOR_ROLES:
        raise PermissionDenied(f"{user.display_name}不是审核人，不能审批先行救助", field="审批人")
    user.failed_logins = 0
    return user


def approve(uow: UnitOfWork, prepayment_id: int, username: str, password: str, note: str = "",
            *, policy: Policy | None = None, fonts: Any = None) -> PrepaymentResult:
    """A supervisor approves a waiting prepayment with their own password; it is paid and the voucher issued."""
    row = _pending(uow, prepayment_id)
    user = _approver(uow, username, password)
    return approve_as(uow, row.id, user, note, policy=policy, fonts=fonts)


@requires("prepayment.request")
def approve_as(uow: UnitOfWork, prepayment_id: int, user: User, note: str = "", *, policy: Policy | None = None,
               fonts: Any = None) -> PrepaymentResult:
    """The approval once the approver is established (``approve`` checks the password first)."""
    row = _pending(uow, prepayment_id)
    if user.role not in SUPERVISOR_ROLES:
        raise PermissionDenied(f"{user.display_name}不是审核人，不能审批先行救助", field="审批人")
    if user.username == row.created_by:
        raise PermissionDenied("经办人不能审批自己录入的先行救助，请由另一位审核人审批", field="审批人")
    if "repeat" in row.approval_needed.split(",") and len((note or "").strip() + row.override_reason) < 4:
        raise UserError("十二个月内重复救助，请写明审批意见", field="审批意见")
    _lock(uow)
    period = _policy(uow, policy).period_on(today())
    if row.amount > period.rules.emergency_prepay_cap:
        raise UserError(f"不能超过备用金先行救助上限{fmt(period.rules.emergency_prepay_cap)}元", field="先行救助金额")
    person = uow.session.get(Person, row.person_id)
    assert person is not None
    case = uow.session.get(Case, row.case_id) if row.case_id else None
    row.approved_by = user.username
    row.approver_name = user.display_name
    row.decided_at = now()
    row.decision_note = (note or "").strip()
    uow.audit("prepayment.approve", "prepayment", row.id, {
        "approver_user_id": user.id, "note": row.decision_note or None, "approval_needed": row.approval_needed,
    })
    pdf = _pay(uow, row, person, case, period.deadlines.prepay_paperwork, fonts)
    uow.commit()
    return _result(uow, row, pdf)


@requires("prepayment.request")
def reject(uow: UnitOfWork, prepayment_id: int, username: str, password: str, note: str) -> PrepaymentInfo:
    """A supervisor declines a waiting prepayment, with a reason; nothing is paid."""
    row = _pending(uow, prepayment_id)
    if len((note or "").strip()) < 2:
        raise UserError("请写明不予批准的理由", field="审批意见")
    user = _approver(uow, username, password)
    row.status = "rejected"
    row.approved_by = user.username
    row.approver_name = user.display_name
    row.decided_at = now()
    row.decision_note = note.strip()
    uow.audit("prepayment.reject", "prepayment", row.id, {"approver_user_id": user.id, "note": row.decision_note})
    uow.commit()
    return _info(uow, row)


def _pending(uow: UnitOfWork, prepayment_id: int) -> Prepayment:
    row = uow.session.get(Prepayment, prepayment_id) if isinstance(prepayment_id, int) else None
    if row is None:
        raise NotFound("先行救助记录不存在", field="先行救助")
    if row.status != "pending":
        raise Conflict(f"该先行救助{STATUSES.get(row.status, row.status)}，不在待审批状态", field="先行救助")
    return row


@requires("prepayment.request")
def record_return(uow: UnitOfWork, prepayment_id: int, amount: object, reason: str,
                  *, day: date | None = None) -> LedgerLine:
    """Money paid out coming back (not eligible after all, an amount corrected): a ledger line in."""
    row = uow.session.get(Prepayment, prepayment_id) if isinstance(prepayment_id, int) else None
    if row is None:
        raise NotFound("先行救助记录不存在", field="先行救助")
    if row.status not in ("paid",):
        raise Conflict(f"该先行救助{STATUSES.get(row.status, row.status)}，不能退回", field="先行救助")
    value = parse_amount(amount, "退回金额")
    why = (reason or "").strip()
    if len(why) < 2:
        raise UserError("请写明退回原因", field="退回原因")
    when = day or today()
    if when > today() or (row.paid_on and when < row.paid_on):
        raise UserError("退回日期应在发放日期与今天之间", field="退回日期")
    _lock(uow)
    info = _info(uow, row)
    left = row.amount - info.returned
    if value > left:
        raise UserError(f"最多可退回{fmt(left)}元（已发放{fmt(row.amount)}元，已退回{fmt(info.returned)}元）",
                        field="退回金额")
    entry = _add_line(uow, row.office, "return", value, when, why, prepayment_id=row.id)
    if value == left:
        row.status = "returned"
        uow.audit("prepayment.returned", "prepayment", row.id, {"returned": row.amount})
    uow.commit()
    case = uow.session.get(Case, row.case_id) if row.case_id else None
    person = uow.session.get(Person, row.person_id)
    return LedgerLine(entry.id, when, "return", value, ZERO, balance(uow, row.office), case.number if case else "",
                      row.voucher_number, person.name if person else "", entry.note, entry.created_by)


@requires("case.write")
def complete_paperwork(uow: UnitOfWork, prepayment_id: int, *, case_id: int | None = None) -> PrepaymentInfo:
    """The case file behind a prepayment is complete (and, for one paid from an inquiry, its case named)."""
    row = uow.session.get(Prepayment, prepayment_id) if isinstance(prepayment_id, int) else None
    if row is None:
        raise NotFound("先行救助记录不存在", field="先行救助")
    if row.status not in ("paid", "returned"):
        raise Conflict("尚未发放的先行救助没有补办材料期限", field="先行救助")
    if case_id is not None:
        _require_case(uow, case_id)
        row.case_id = case_id
    if row.case_id is None:
        raise UserError("请填写补办材料后受理的个案编号", field="个案")
    row.paperwork_done_at = now()
    uow.audit("prepayment.paperwork_done", "prepayment", row.id, {"case_id": row.case_id})
    uow.commit()
    return _info(uow, row)


# --- reading -----------------------------------------------------------------------------------

