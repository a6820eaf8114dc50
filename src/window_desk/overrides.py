"""The clerk disposes: applying drops and additions to the assessment's proposal.

The proposal (the assessment result) is never changed. Overrides are a list
of {"action": "drop"|"add", "code", "member_ids", "reason", ...}; the measures
in force are the proposal minus what was dropped plus what was added.
"""

from __future__ import annotations

from typing import Any

from window_desk.errors import UserError
from window_desk.vocab import MEASURES

MIN_REASON_LENGTH = 4

# Tier ladder of assessment.md §3.14, applied to the measures in force.
_TIER_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("dibao", frozenset({"dibao"})),
    ("tekun", frozenset({"tekun"})),
    ("low_income", frozenset({"low_income", "dibao_single"})),
    ("expenditure", frozenset({"temp_expenditure"})),
    ("emergency", frozenset({"temp_emergency"})),
    ("observation", frozenset({"observation"})),
)


def measure_key(measure: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """A measure is identified by its code and the members it is for (tekun is per member)."""
    return measure["code"], tuple(measure.get("member_ids") or ())


def effective_measures(proposal: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dropped = {measure_key(o) for o in overrides if o["action"] == "drop"}
    result = [dict(m, source="proposed") for m in proposal if measure_key(m) not in dropped]
    for o in overrides:
        if o["action"] == "add" and measure_key(o) not in dropped:
            added = {k: v for k, v in (o.get("measure") or {}).items()}
            added.setdefault("code", o["code"])
            added.setdefault("member_ids", o.get("member_ids"))
            added["source"] = "added"
            added["override_reason"] = o["reason"]
            result.append(added)
    return result


def tier_of(measures: list[dict[str, Any]]) -> str:
    codes = {m["code"] for m in measures}
    for tier, needed in _TIER_RULES:
        if codes & needed:
            return tier
    return "none"


def check_overrides(proposal: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> None:
    """Each override needs a written reason and must make sense against the proposal."""
    proposed = {measure_key(m) for m in proposal}
    in_force = set(proposed)
    for i, o in enumerate(overrides):
        field = f"调整第{i + 1}项"
        code = o.get("code")
        if code not in MEASURES:
            raise UserError(f"未知的救助措施 {code!r}", field=field)
        reason = (o.get("reason") or "").strip()
        if len(reason) < MIN_REASON_LENGTH:
            raise UserError(f"请写明调整理由(至少{MIN_REASON_LENGTH}个字)", field=f"{field}({MEASURES[code]})·理由")
        key = measure_key(o)
        if o.get("action") == "drop":
            if key not in in_force:
                raise UserError("要取消的措施不在评估建议中", field=f"{field}({MEASURES[code]})")
            in_force.discard(key)
        elif o.get("action") == "add":
            if key in in_force:
                raise UserError("该措施已在建议中,无需添加", field=f"{field}({MEASURES[code]})")
            in_force.add(key)
        else:
            raise UserError("调整只能是取消(drop)或添加(add)", field=field)
