"""The JSON of §5: amounts as two-decimal strings, dates ISO."""

from __future__ import annotations

from typing import Any

from window_desk.assessment.model import Assessment, Measure
from window_desk.assessment.text import _money_text

def measure_to_json(m: Measure) -> dict[str, Any]:
    out: dict[str, Any] = {"code": m.code, "name": m.name,
                           "member_ids": list(m.member_ids) if m.member_ids is not None else None}
    if m.monthly_amount is not None:
        out["monthly_amount"] = _money_text(m.monthly_amount)
    if m.amount is not None:
        out["amount"] = _money_text(m.amount)
    if m.prepay is not None:
        out["prepay"] = _money_text(m.prepay)
    if m.months is not None:
        out["months"] = m.months
    if m.placement is not None:
        out["placement"] = m.placement
    out["department"] = m.department
    out["due_date"] = m.due_date.isoformat() if m.due_date else None
    out["reason"] = m.reason
    return out


def assessment_to_json(a: Assessment) -> dict[str, Any]:
    """The JSON of §5: amounts as two-decimal strings, dates ISO."""
    return {
        "policy": {"locality": a.locality, "effective_from": a.effective_from.isoformat()},
        "standards": {"dibao": _money_text(a.standard_dibao), "tekun": _money_text(a.standard_tekun)},
        "household_size": a.household_size,
        "remaining_size": a.remaining_size,
        "counted_income": _money_text(a.counted_income),
        "per_capita_income": None if a.per_capita_income is None else _money_text(a.per_capita_income),
        "rigid_expenses": _money_text(a.rigid_expenses),
        "per_capita_after_rigid": None if a.per_capita_after_rigid is None else _money_text(a.per_capita_after_rigid),
        "assets_ok": a.assets_ok,
        "tier": a.tier,
        "measures": [measure_to_json(m) for m in a.measures],
        "flags": list(a.flags),
        "calendar_note": a.calendar_note,
    }
