"""How an assessment is kept: inputs, policy version and hash, and the proposal — not what can be recomputed.

Format 1 (before migration 0006) stored the whole result of assessment.md §5, reasons included; those
rows stay as they are. Format 2 stores the proposal only (tier, measures without their reason texts,
flags); the explanation is recomputed from the stored input and the stored policy text, and checked
against the stored proposal.
"""

from __future__ import annotations

from typing import Any

from window_desk.assessment import assess, assessment_to_json, household_from_json
from window_desk.db.models import Assessment, PolicyVersion
from window_desk.policy import parse_policy
from window_desk.uow import UnitOfWork

SLIM = 2
_MEASURE_DROP = ("reason", "name")


def proposal(result: dict[str, Any]) -> dict[str, Any]:
    """What a format-2 row keeps of a §5 result."""
    return {
        "policy": result["policy"],
        "tier": result["tier"],
        "measures": [{k: v for k, v in m.items() if k not in _MEASURE_DROP} for m in result["measures"]],
        "flags": list(result.get("flags", [])),
        "calendar_note": result.get("calendar_note"),
    }


def full_result(uow: UnitOfWork, row: Assessment) -> dict[str, Any]:
    """The §5 result of a stored assessment, with reasons; ``recomputed``/``matches`` tell how it was got."""
    if (row.format or 1) < SLIM:
        return dict(row.result, recomputed=False, matches=True)
    version = uow.session.get(PolicyVersion, row.policy_version_id) if row.policy_version_id else None
    if version is None:
        return dict(row.result, recomputed=False, matches=False)
    policy = parse_policy(version.source, version.filename or f"policy#{version.id}")
    again = assessment_to_json(assess(household_from_json(row.input), policy))
    matches = proposal(again) == row.result and version.sha256 == (row.policy_sha256 or version.sha256)
    if not matches:
        # Rules or calendar changed since: the stored proposal stands; reasons are shown as recomputed today.
        by_key = {(m["code"], tuple(m.get("member_ids") or ())): m for m in again["measures"]}
        measures = [dict(m, name=by_key.get((m["code"], tuple(m.get("member_ids") or ())), {}).get("name", m["code"]),
                         reason=by_key.get((m["code"], tuple(m.get("member_ids") or ())), {}).get("reason", ""))
                    for m in row.result["measures"]]
        again = dict(again, tier=row.result["tier"], measures=measures)
    return dict(again, recomputed=True, matches=matches)


def measures_of(uow: UnitOfWork, row: Assessment) -> list[dict[str, Any]]:
    """The proposed measures with their reasons (either format)."""
    return list(full_result(uow, row)["measures"])
