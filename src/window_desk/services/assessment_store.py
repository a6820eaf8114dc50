"""How an assessment is kept: inputs, policy version and hash, and the proposal — not what can be recomputed.

Format 1 (before migration 0006) stored the whole result of assessment.md §5, reasons included; those
rows stay as they are. Format 2 stores the proposal only (tier, measures without their reason texts,
flags); format 3 the same without what the row's columns already say (policy locality and date, tier)
and without empty flags and calendar note. Format 4 keeps format 3's input and proposal deflated in one
blob (``assessment_pack``) and no per-row hashes: the policy's hash is on its version row and the input's
hash is in the case's ``case.accept`` audit entry (and recomputable from the input). The explanation is
recomputed from the stored input and the stored policy text, and checked against the stored proposal.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from window_desk.assessment import assess, assessment_to_json, household_from_json
from window_desk.db.models import Assessment, PolicyVersion
from window_desk.policy import parse_policy
from window_desk.services import assessment_pack
from window_desk.uow import UnitOfWork

SLIM = 4  # the format new rows are written in; rows of earlier formats stay as they were
PACKED = 4  # from this format on, input and proposal are one deflated blob
_MEASURE_DROP = ("reason", "name")
ZERO_TEXT = "0.00"
# What an input field is when nothing was said about it; a format-2 input leaves these out.
MEMBER_DEFAULTS: dict[str, Any] = {"labor_capacity": "full", "self_care": "full", "disability": None,
                                   "health": "healthy", "schooling": None, "employed": False,
                                   "supporter_capable": False}
INCOME_FIELDS = ("wage", "business", "property", "transfer", "other", "exempt")
TOP_DEFAULTS: dict[str, Any] = {"current_benefits": [], "housing": "adequate", "events": []}
ASSET_DEFAULTS: dict[str, Any] = {"deposits": ZERO_TEXT, "non_essential_vehicles": 0, "extra_houses": 0}
RIGID_FIELDS = ("medical", "education", "care", "housing")


def _strip(values: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in defaults or defaults[k] != v}


def compact_input(full: dict[str, Any]) -> dict[str, Any]:
    """The assessment input without the values that are only defaults (``expand_input`` restores them)."""
    out = _strip({k: v for k, v in full.items() if k not in ("members", "assets", "rigid_expenses")}, TOP_DEFAULTS)
    members = []
    for m in full["members"]:
        cm = _strip({k: v for k, v in m.items() if k != "income"}, MEMBER_DEFAULTS)
        income = {k: v for k, v in m.get("income", {}).items() if v != ZERO_TEXT}
        if income:
            cm["income"] = income
        members.append(cm)
    out["members"] = members
    assets = _strip(full.get("assets", {}), ASSET_DEFAULTS)
    if assets:
        out["assets"] = assets
    rigid = {k: v for k, v in full.get("rigid_expenses", {}).items() if v != ZERO_TEXT}
    if rigid:
        out["rigid_expenses"] = rigid
    return out


def expand_input(stored: dict[str, Any]) -> dict[str, Any]:
    """The full assessment input (assessment.md §2) of a compact or full stored input."""
    out = {**{k: (list(v) if isinstance(v, list) else v) for k, v in TOP_DEFAULTS.items()},
           **{k: v for k, v in stored.items() if k not in ("members", "assets", "rigid_expenses")}}
    members = []
    for m in stored["members"]:
        full = {**MEMBER_DEFAULTS, **{k: v for k, v in m.items() if k != "income"}}
        full["income"] = {f: m.get("income", {}).get(f, ZERO_TEXT) for f in INCOME_FIELDS}
        members.append(full)
    out["members"] = members
    out["assets"] = {**ASSET_DEFAULTS, **stored.get("assets", {})}
    out["rigid_expenses"] = {f: stored.get("rigid_expenses", {}).get(f, ZERO_TEXT) for f in RIGID_FIELDS}
    return out


def proposal(result: dict[str, Any], fmt: int | None = None) -> dict[str, Any]:
    """What a format-2 or format-3 row keeps of a §5 result. Format 3 (the default) leaves out what the
    row's columns already hold (the policy's locality and date, the proposed tier) and empty flags and
    calendar note: ``stored_proposal`` puts them back."""
    kept: dict[str, Any] = {
        "policy": result["policy"],
        "tier": result["tier"],
        "measures": [{k: v for k, v in m.items() if k not in _MEASURE_DROP and v is not None}
                     for m in result["measures"]],
        "flags": list(result.get("flags", [])),
        "calendar_note": result.get("calendar_note"),
    }
    if (fmt or SLIM) >= 3:
        del kept["policy"], kept["tier"]
        if not kept["flags"]:
            del kept["flags"]
        if kept["calendar_note"] is None:
            del kept["calendar_note"]
    return kept


def packed_columns(full_input: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The columns a new (format 4) row gets for its input and proposal. ``input`` and ``result`` are left
    out, so they are SQL NULL (a JSON column set to None would store the text ``null``)."""
    return {"format": PACKED,
            "packed": assessment_pack.pack(compact_input(full_input), proposal(result))}


def stored_input(row: Assessment) -> dict[str, Any]:
    """The input as the row keeps it (compact from format 2 on)."""
    if (row.format or 1) >= PACKED:
        return assessment_pack.unpack(row.packed)[0]
    return dict(row.input)


def stored_result(row: Assessment) -> dict[str, Any]:
    """The result as the row keeps it: the whole §5 result (format 1) or the proposal (2 and later)."""
    if (row.format or 1) >= PACKED:
        return assessment_pack.unpack(row.packed)[1]
    return dict(row.result)


def input_sha256(row: Assessment) -> str:
    """The hash of the full input (the one the ``case.accept`` entry holds)."""
    if row.input_sha256:
        return str(row.input_sha256)
    text = json.dumps(expand_input(stored_input(row)), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_proposal(row: Assessment) -> dict[str, Any]:
    """The proposal of a row of format 2 or later in format 2's shape (policy, tier, measures, flags, note)."""
    stored = stored_result(row)
    if (row.format or 1) >= 3:
        stored = {"policy": {"locality": row.policy_locality, "effective_from": row.policy_effective_from.isoformat()},
                  "tier": row.tier, "measures": stored["measures"], "flags": list(stored.get("flags", [])),
                  "calendar_note": stored.get("calendar_note")}
    return stored


@lru_cache(maxsize=8)
def _parsed(version_id: int, sha256: str, source: str, filename: str) -> Any:
    """A stored policy version parsed once (a few ms of TOML) for every assessment made under it; the
    text is part of the key, so an edited row is parsed again."""
    return parse_policy(source, filename)


def full_result(uow: UnitOfWork, row: Assessment) -> dict[str, Any]:
    """The §5 result of a stored assessment, with reasons; ``recomputed``/``matches`` tell how it was got."""
    if (row.format or 1) < 2:  # format 1: the whole result, reasons included
        return dict(row.result, recomputed=False, matches=True)
    version = uow.session.get(PolicyVersion, row.policy_version_id) if row.policy_version_id else None
    if version is None:
        return dict(stored_result(row), recomputed=False, matches=False)
    policy = _parsed(version.id, version.sha256, version.source, version.filename or f"policy#{version.id}")
    again = assessment_to_json(assess(household_from_json(expand_input(stored_input(row))), policy))
    stored = stored_proposal(row)
    matches = proposal(again, 2) == stored and version.sha256 == (row.policy_sha256 or version.sha256)
    if not matches:
        # Rules or calendar changed since: the stored proposal stands; reasons are shown as recomputed today.
        by_key = {(m["code"], tuple(m.get("member_ids") or ())): m for m in again["measures"]}
        measures = [dict({"member_ids": None, "department": None, "due_date": None}, **m, name=by_key.get((m["code"], tuple(m.get("member_ids") or ())), {}).get("name", m["code"]),
                         reason=by_key.get((m["code"], tuple(m.get("member_ids") or ())), {}).get("reason", ""))
                    for m in stored["measures"]]
        again = dict(again, tier=stored["tier"], measures=measures)
    return dict(again, recomputed=True, matches=matches)


def measures_of(uow: UnitOfWork, row: Assessment) -> list[dict[str, Any]]:
    """The proposed measures with their reasons (either format)."""
    return list(full_result(uow, row)["measures"])
