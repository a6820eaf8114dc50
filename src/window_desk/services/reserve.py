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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, or_, select

from window_desk import idnumber, vocab
from window_desk.db.models import (
    Assessment,
    AuditHead,
    Case,
    Household,
    Inquiry,
    Member,
    Person,
    Prepayment,
    ReserveEntry,
    User,
)
from window_desk.errors import Conflict, NotFound, PermissionDenied, UserError
from window_desk.money import ZERO, fmt, to_money
from window_desk.passwords import verify_password
from window_desk.permissions import requires
from window_desk.policy import Policy
from window_desk.services import documents, settings
from window_desk.services.persons import upsert as upsert_person
from window_desk.timeutil import format_local, now, today
from window_desk.uow import UnitOfWork
from window_desk.workdays import add_working_days

KINDS = {"allocation": "拨入", "prepayment": "先行救助支出", "return": "退回"}
INFLOW = frozenset({"allocation", "return"})
STATUSES = {"pending": "待审批", "paid": "已发放", "rejected": "未批准", "returned": "已全额退回"}
CAUSES = {code: vocab.EVENTS[code] for code in
          ("disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death")}
SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})
OPEN_CASE_STATUSES = ("draft", "accepted", "missing_materials")
MAX_AMOUNT = Decimal("100000000")  # a typo guard for allocations (1 亿元)


# --- plain data out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PrepaymentInfo:
    id: int
    office: str
    case_id: int | None
    case_number: str
    inquiry_id: int | None
    person_id: int
    person_name: str
    cause: str
    amount: Decimal
    suggested: Decimal | None
    reason: str
    status: str
    approval_needed: tuple[str, ...]
    override_reason: str
    requested_by: str
    requested_by_name: str
    requested_at: datetime
    approver_name: str
    decided_at: datetime | None
    paid_on: date | None
    paperwork_due: date | None
    paperwork_done: bool
    voucher_number: str
    document_id: int | None
    returned: Decimal = ZERO

    @property
    def cause_label(self) -> str:
        return CAUSES.get(self.cause, self.cause)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def describe(self) -> str:
        """One line for a history list (the intake page's 历史记录)."""
        when = self.paid_on.isoformat() if self.paid_on else format_local(self.requested_at)[:10]
        voucher = f"，凭证{self.voucher_number}" if self.voucher_number else ""
        back = f"，已退回{fmt(self.returned)}元" if self.returned else ""
        return (f"先行救助（{self.cause_label}）¥{fmt(self.amount)}，{self.status_label}{voucher}{back}"
                f"（{when}）")


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


@dataclass(frozen=True)
class ReserveStatus:
    office: str
    balance: Decimal
    threshold: Decimal
    low: bool
    pending: int

    def warning(self) -> str:
        if not self.low:
            return ""
        return f"临时救助备用金余额{fmt(self.balance)}元，已低于预警线{fmt(self.threshold)}元，请及时申请拨付。"


@dataclass(frozen=True)
class LedgerLine:
    id: int
    entry_date: date
    kind: str
    amount_in: Decimal
    amount_out: Decimal
    balance: Decimal
    case_number: str
    voucher_number: str
    person_name: str
    note: str
    created_by: str

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Ledger:
    office: str
    start: date
    end: date
    opening: Decimal
    closing: Decimal
    total_in: Decimal
    total_out: Decimal
    lines: tuple[LedgerLine, ...] = field(default_factory=tuple)


# --- helpers -----------------------------------------------------------------------------------


def parse_amount(value: object, label: str, *, allow_zero: bool = False) -> Decimal:
    """An amount typed or passed in, as Decimal 元; refused naming ``label``."""
    if isinstance(value, float) or isinstance(value, bool):
        raise UserError("金额应为精确的数字", field=label)
    try:
        text = str(value).strip().replace(",", "").lstrip("¥￥") if not isinstance(value, Decimal) else value
        amount = Decimal(text) if not isinstance(text, Decimal) else text
    except InvalidOperation:
        raise UserError(f"不是有效的金额：{value}", field=label) from None
    if not amount.is_finite():
        raise UserError(f"不是有效的金额：{value}", field=label)
    if amount != amount.quantize(Decimal("0.01")):
        raise UserError("金额最多两位小数（到分）", field=label)
    if amount < 0:
        raise UserError("金额不能为负数", field=label)
    if amount == 0 and not allow_zero:
        raise UserError("金额应大于0", field=label)
    if amount > MAX_AMOUNT:
        raise UserError("金额过大，请核对", field=label)
    return to_money(amount)


def _office(uow: UnitOfWork, office: str | None) -> str:
    return office or str(settings.get(uow, "office_name"))


def _lock(uow: UnitOfWork) -> None:
    """Serialise ledger writers: check-then-write of the balance must not interleave.

    The audit chain's head row is what every writer locks anyway; taking it first makes
    the balance read and the new line one step (SQLite writers are serialised already).
    """
    uow.session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()


def balance(uow: UnitOfWork, office: str | None = None, *, before: date | None = None,
            through: date | None = None) -> Decimal:
    """The sum of the ledger lines of ``office`` (optionally those before / through a date)."""
    office = _office(uow, office)
    stmt = select(ReserveEntry.kind, func.sum(ReserveEntry.amount)).where(ReserveEntry.office == office)
    if before is not None:
        stmt = stmt.where(ReserveEntry.entry_date < before)
    if through is not None:
        stmt = stmt.where(ReserveEntry.entry_date <= through)
    total = ZERO
    for kind, amount in uow.session.execute(stmt.group_by(ReserveEntry.kind)).all():
        amount = amount if isinstance(amount, Decimal) else Decimal(int(amount or 0)) / 100
        total += amount if kind in INFLOW else -amount
    return to_money(total)


def low_balance_threshold(uow: UnitOfWork) -> Decimal:
    try:
        return to_money(Decimal(str(settings.get(uow, "reserve_low_balance") or "0")))
    except (InvalidOperation, ValueError):
        return ZERO


def status(uow: UnitOfWork, office: str | None = None) -> ReserveStatus:
    office = _office(uow, office)
    current = balance(uow, office)
    threshold = low_balance_threshold(uow)
    waiting = uow.session.scalar(select(func.count()).select_from(Prepayment).where(
        Prepayment.office == office, Prepayment.status == "pending")) or 0
    return ReserveStatus(office, current, threshold, current < threshold, waiting)


def _add_line(uow: UnitOfWork, office: str, kind: str, amount: Decimal, day: date, note: str,
              prepayment_id: int | None = None) -> ReserveEntry:
    entry = ReserveEntry(office=office, entry_date=day, kind=kind, amount=amount, prepayment_id=prepayment_id,
                         note=note, created_at=now(), created_by=uow.actor.label)
    uow.session.add(entry)
    uow.session.flush()
    after = balance(uow, office)
    if after < 0:  # never: the callers check first; a bug must not overdraw silently
        raise Conflict("备用金余额不足", field="金额")
    uow.audit(f"reserve.{kind}", "reserve_entry", entry.id, {
        "office": office, "kind": kind, "amount": amount, "entry_date": day, "prepayment": prepayment_id,
        "balance_after": after,
    })
    return entry


def _policy(uow: UnitOfWork, policy: Policy | None) -> Policy:
    if policy is not None:
        return policy
    from window_desk.services.policy_store import active_policy

    return active_policy(uow).policy


def _info(uow: UnitOfWork, p: Prepayment) -> PrepaymentInfo:
    return _infos(uow, [p])[0]


def _infos(uow: UnitOfWork, rows: list[Prepayment]) -> list[PrepaymentInfo]:
    """Many at once: persons, cases and returns in three queries, not three per row."""
    if not rows:
        return []
    persons = dict(uow.session.execute(select(Person.id, Person.name).where(
        Person.id.in_({r.person_id for r in rows}))).all())
    case_ids = {r.case_id for r in rows if r.case_id}
    cases = dict(uow.session.execute(select(Case.id, Case.number).where(Case.id.in_(case_ids))).all()) if case_ids else {}
    returned: dict[int, Decimal] = {}
    for pid, amount in uow.session.execute(
        select(ReserveEntry.prepayment_id, func.sum(ReserveEntry.amount))
        .where(ReserveEntry.prepayment_id.in_({r.id for r in rows}), ReserveEntry.kind == "return")
        .group_by(ReserveEntry.prepayment_id)
    ).all():
        returned[pid] = amount if isinstance(amount, Decimal) else Decimal(int(amount or 0)) / 100
    return [_make_info(p, persons.get(p.person_id, ""), cases.get(p.case_id, "") if p.case_id else "",
                       returned.get(p.id, ZERO)) for p in rows]


def _make_info(p: Prepayment, person_name: str, case_number: str, returned: Decimal) -> PrepaymentInfo:
    return PrepaymentInfo(
        id=p.id, office=p.office, case_id=p.case_id, case_number=case_number, inquiry_id=p.inquiry_id,
        person_id=p.person_id, person_name=person_name, cause=p.cause, amount=p.amount,
        suggested=p.suggested, reason=p.reason, status=p.status,
        approval_needed=tuple(x for x in p.approval_needed.split(",") if x), override_reason=p.override_reason,
        requested_by=p.created_by, requested_by_name=p.requested_by_name, requested_at=p.created_at,
        approver_name=p.approver_name, decided_at=p.decided_at, paid_on=p.paid_on, paperwork_due=p.paperwork_due,
        paperwork_done=p.paperwork_done_at is not None, voucher_number=p.voucher_number, document_id=p.document_id,
        returned=to_money(returned),
    )


def _household_person_ids(uow: UnitOfWork, case: Case | None, person_id: int) -> list[int]:
    if case is None:
        return [person_id]
    ids = list(uow.session.scalars(select(Member.person_id).where(Member.household_id == case.household_id)))
    return ids or [person_id]


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _earlier_same_cause(uow: UnitOfWork, person_ids: list[int], cause: str, day: date,
                        exclude: int | None = None) -> list[Prepayment]:
    """Pending or paid prepayments for ``cause`` to any of these people within twelve months of ``day``."""
    since = _year_before(day)
    stmt = select(Prepayment).where(
        Prepayment.person_id.in_(person_ids), Prepayment.cause == cause,
        # Written as two inequalities so the planner takes the (person, cause, paid_on) index, not status.
        Prepayment.status != "rejected", Prepayment.status != "returned",
        or_(Prepayment.paid_on > since, Prepayment.paid_on.is_(None)),
    )
    if exclude is not None:
        stmt = stmt.where(Prepayment.id != exclude)
    return list(uow.session.scalars(stmt.order_by(Prepayment.id)))


def _temp_emergency(uow: UnitOfWork, case: Case) -> dict[str, Any] | None:
    assessment = uow.session.scalar(select(Assessment).where(Assessment.case_id == case.id)
                                    .order_by(Assessment.id.desc()))
    if assessment is None:
        return None
    return next((m for m in assessment.result.get("measures", []) if m.get("code") == "temp_emergency"), None)


def _case_causes(uow: UnitOfWork, case: Case) -> tuple[str, ...]:
    household = uow.session.get(Household, case.household_id)
    events = list(household.events) if household is not None else []
    return tuple(e for e in events if e in CAUSES)


# --- allocations -------------------------------------------------------------------------------


@requires("reserve.allocate")
def allocate(uow: UnitOfWork, amount: object, note: str, *, day: date | None = None,
             office: str | None = None) -> LedgerLine:
    """A supervisor enters money allocated to the reserve (拨入)."""
    if uow.actor.role not in SUPERVISOR_ROLES:
        raise PermissionDenied("只有审核人可以录入备用金拨入", field="拨入")
    value = parse_amount(amount, "拨入金额")
    text = (note or "").strip()
    if len(text) < 2:
        raise UserError("请写明拨款来源或文号", field="拨款说明")
    when = day or today()
    if when > today():
        raise UserError("拨入日期不能晚于今天", field="拨入日期")
    office = _office(uow, office)
    _lock(uow)
    entry = _add_line(uow, office, "allocation", value, when, text)
    uow.commit()
    return LedgerLine(entry.id, when, "allocation", value, ZERO, balance(uow, office), "", "", "", text,
                      entry.created_by)


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

    # The recipient: the case's applicant, or the person the inquiry names.
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

    office = _office(uow, None)
    _lock(uow)
    current = balance(uow, office)
    if value > current:
        raise Conflict(f"备用金余额{fmt(current)}元，不足以支付{fmt(value)}元", field="先行救助金额")

    needs: list[str] = []
    if value > period.rules.prepay_approval_limit:
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

    suggested = None
    if case is not None:
        measure = _temp_emergency(uow, case)
        if measure and measure.get("prepay") not in (None, ""):
            suggested = to_money(Decimal(str(measure["prepay"])))
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


def pending(uow: UnitOfWork, office: str | None = None) -> list[PrepaymentInfo]:
    """The 待审批 list a supervisor sees on login, oldest first."""
    office = _office(uow, office)
    rows = uow.session.scalars(select(Prepayment).where(Prepayment.office == office, Prepayment.status == "pending")
                               .order_by(Prepayment.id))
    return _infos(uow, list(rows))


def get(uow: UnitOfWork, prepayment_id: int) -> PrepaymentInfo:
    row = uow.session.get(Prepayment, prepayment_id)
    if row is None:
        raise NotFound("先行救助记录不存在", field="先行救助")
    return _info(uow, row)


def paperwork_overdue(uow: UnitOfWork, day: date) -> list[PrepaymentInfo]:
    """Paid prepayments whose case file was not completed by the due date (for the register and review).

    Completed means marked so (``complete_paperwork``) or the case decided (closed / rejected).
    """
    rows = uow.session.execute(
        # paperwork_due is set exactly when a prepayment is paid: no status test needed.
        select(Prepayment, Case.status).outerjoin(Case, Case.id == Prepayment.case_id)
        .where(Prepayment.paperwork_done_at.is_(None), Prepayment.paperwork_due < day)
        .order_by(Prepayment.paperwork_due, Prepayment.id)
    ).all()
    return _infos(uow, [p for p, case_status in rows if case_status is None or case_status in OPEN_CASE_STATUSES])


def payments_on(uow: UnitOfWork, day: date) -> list[PrepaymentInfo]:
    """The prepayments paid on ``day`` (for the daily register and review)."""
    rows = uow.session.scalars(select(Prepayment).where(Prepayment.paid_on == day).order_by(Prepayment.paid_at))
    return _infos(uow, list(rows))


def prepayments_of(uow: UnitOfWork, person_ids: list[int] | tuple[int, ...] | set[int]) -> list[PrepaymentInfo]:
    """Every prepayment (any status) to any of these people, newest first (the intake history panel)."""
    ids = list({int(i) for i in person_ids})
    if not ids:
        return []
    rows = uow.session.scalars(select(Prepayment).where(Prepayment.person_id.in_(ids))
                               .order_by(Prepayment.id.desc()))
    return _infos(uow, list(rows))


def prepayments_of_id_numbers(uow: UnitOfWork, id_numbers: list[str]) -> list[PrepaymentInfo]:
    """The same, by ID numbers (what the intake form has while it is typed)."""
    ids = [n for n in {idnumber.normalize(i) for i in id_numbers} if n]
    if not ids:
        return []
    person_ids = list(uow.session.scalars(select(Person.id).where(Person.id_number.in_(ids))))
    return prepayments_of(uow, person_ids)


def ledger(uow: UnitOfWork, start: date, end: date, office: str | None = None) -> Ledger:
    """The ledger of a period: opening balance, each line with the running balance, closing balance."""
    if end < start:
        raise UserError("结束日期不能早于开始日期", field="--to")
    office = _office(uow, office)
    opening = balance(uow, office, before=start)
    rows = uow.session.execute(
        select(ReserveEntry, Prepayment, Case.number, Person.name)
        .outerjoin(Prepayment, Prepayment.id == ReserveEntry.prepayment_id)
        .outerjoin(Case, Case.id == Prepayment.case_id)
        .outerjoin(Person, Person.id == Prepayment.person_id)
        .where(ReserveEntry.office == office, ReserveEntry.entry_date >= start, ReserveEntry.entry_date <= end)
        .order_by(ReserveEntry.entry_date, ReserveEntry.id)
    ).all()
    running = opening
    total_in = total_out = ZERO
    lines = []
    for entry, prepayment, case_number, person_name in rows:
        inflow = entry.kind in INFLOW
        running += entry.amount if inflow else -entry.amount
        if inflow:
            total_in += entry.amount
        else:
            total_out += entry.amount
        lines.append(LedgerLine(
            id=entry.id, entry_date=entry.entry_date, kind=entry.kind,
            amount_in=entry.amount if inflow else ZERO, amount_out=ZERO if inflow else entry.amount,
            balance=to_money(running), case_number=case_number or "",
            voucher_number=prepayment.voucher_number if prepayment else "", person_name=person_name or "",
            note=entry.note, created_by=entry.created_by,
        ))
    return Ledger(office, start, end, opening, to_money(running), to_money(total_in), to_money(total_out),
                  tuple(lines))


def recent_lines(uow: UnitOfWork, *, before_id: int | None = None, limit: int = 100,
                 office: str | None = None, balance_after: Decimal | None = None) -> list[LedgerLine]:
    """The newest ledger lines first, a page at a time (keyset on id), with the balance after each.

    ``balance_after`` is the balance after the newest line of this page: for the next page,
    the previous page's last ``balance`` less that line's own amount (``balance_before``);
    without it, the balance up to ``before_id`` is summed.
    """
    office = _office(uow, office)
    stmt = (select(ReserveEntry, Prepayment, Case.number, Person.name)
            .outerjoin(Prepayment, Prepayment.id == ReserveEntry.prepayment_id)
            .outerjoin(Case, Case.id == Prepayment.case_id)
            .outerjoin(Person, Person.id == Prepayment.person_id)
            .where(ReserveEntry.office == office))
    if before_id is not None:
        stmt = stmt.where(ReserveEntry.id < before_id)
    rows = uow.session.execute(stmt.order_by(ReserveEntry.id.desc()).limit(limit)).all()
    if not rows:
        return []
    if balance_after is not None:
        after = balance_after
    elif before_id is None:
        after = balance(uow, office)
    else:
        after = ZERO
        for kind, amount in uow.session.execute(
            select(ReserveEntry.kind, func.sum(ReserveEntry.amount))
            .where(ReserveEntry.office == office, ReserveEntry.id < before_id).group_by(ReserveEntry.kind)
        ).all():
            amount = amount if isinstance(amount, Decimal) else Decimal(int(amount or 0)) / 100
            after += amount if kind in INFLOW else -amount
    out = []
    for entry, prepayment, case_number, person_name in rows:
        inflow = entry.kind in INFLOW
        out.append(LedgerLine(
            id=entry.id, entry_date=entry.entry_date, kind=entry.kind,
            amount_in=entry.amount if inflow else ZERO, amount_out=ZERO if inflow else entry.amount,
            balance=to_money(after), case_number=case_number or "",
            voucher_number=prepayment.voucher_number if prepayment else "", person_name=person_name or "",
            note=entry.note, created_by=entry.created_by,
        ))
        after -= entry.amount if inflow else -entry.amount
    return out


def balance_before(line: LedgerLine) -> Decimal:
    """The balance just before ``line`` (what the next, older page starts from)."""
    return line.balance - line.amount_in + line.amount_out

