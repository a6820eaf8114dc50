"""A measure the clerk adds by hand (§6)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from window_desk import idnumber, vocab
from window_desk.assessment.deadlines import department_for, due_date_for
from window_desk.assessment.inputs import _count, _enum_text, _money
from window_desk.assessment.model import Measure
from window_desk.assessment.text import _PLACEMENT_LABEL
from window_desk.errors import UserError
from window_desk.policy import Period

def _optional_money(value: object, name: str, label: str) -> Decimal | None:
    if value is None:
        return None
    return _money(value, name, label)


def manual_measure(code: str, period: Period, application_date: date, member_ids: Sequence[str] | None = None,
                   reason: str = "", *, monthly_amount: object = None, amount: object = None, prepay: object = None,
                   months: object = None, placement: str | None = None) -> Measure:
    """A measure the clerk adds (§6): department and due date from the period, amounts as given.

    ``reason`` is the clerk's written reason; ``member_ids`` are ID numbers
    (normalised here; 15-digit numbers upgraded), None or empty for the household.
    """
    if code not in vocab.MEASURES:
        raise UserError(f"未知的救助措施 {code!r}", field="code")
    if not isinstance(reason, str) or not reason.strip():
        raise UserError("请写明添加这项措施的理由", field="reason")
    ids: tuple[str, ...] | None = None
    if member_ids:
        normalised = []
        for i, raw in enumerate(member_ids):
            check = idnumber.check(raw, today=date.max)
            if not check.valid or check.id_number is None:
                raise UserError(f"身份证号码无效:{check.error}", field=f"member_ids[{i}]")
            normalised.append(check.id_number)
        ids = tuple(normalised)
    if months is not None:
        months = _count(months, "months", "月数")
    if placement is not None and placement not in _PLACEMENT_LABEL:
        raise UserError(f"供养方式应为 {_enum_text(_PLACEMENT_LABEL)}", field="placement")
    due_date, note = due_date_for(code, period, application_date)
    return Measure(
        code, vocab.MEASURES[code], ids, reason.strip(), due_date=due_date,
        department=department_for(code, period),
        monthly_amount=_optional_money(monthly_amount, "monthly_amount", "每月金额"),
        amount=_optional_money(amount, "amount", "一次性金额"),
        prepay=_optional_money(prepay, "prepay", "先行救助金额"),
        months=months,  # type: ignore[arg-type]
        placement=placement,
        calendar_note=note,
    )


