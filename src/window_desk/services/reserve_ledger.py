"""The reserve's ledger: one line per movement of money per office, the balance as their sum.

Allocations in (a supervisor's), the running balance, the ledger of a period and the pages of the
newest lines for the reserve page. ``reserve`` re-exports every public name here, so callers keep
writing ``reserve.balance(...)``; the prepayments that take money out live there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from window_desk.db.models import AuditHead, Case, Person, Prepayment, ReserveEntry
from window_desk.errors import Conflict, PermissionDenied, UserError
from window_desk.money import ZERO, fmt, to_money
from window_desk.permissions import requires
from window_desk.services import settings
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork

SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})
KINDS = {"allocation": "拨入", "prepayment": "先行救助支出", "return": "退回"}
INFLOW = frozenset({"allocation", "return"})
MAX_AMOUNT = Decimal("100000000")  # a typo guard for allocations (1 亿元)


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
