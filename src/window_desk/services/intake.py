"""The "一证一书" intake: the payload the desk edits, and turning it into a case.

The *intake payload* is a plain JSON-able dict — what the intake page edits,
what its draft stores, and what ``submit_case`` receives:

    {"application_date": "2026-11-24", "area": "urban", "address", "phone", "matter",
     "current_benefits": [...], "housing": "adequate", "events": [...], "materials": [codes],
     "assets": {"deposits": "0.00", "non_essential_vehicles": 0, "extra_houses": 0},
     "rigid_expenses": {"medical": "0.00", "education": ..., "care": ..., "housing": ...},
     "members": [{"name", "id_number", "relation", "labor_capacity", "self_care",
                  "disability": null | {"grade", "kind"}, "health", "schooling",
                  "employed", "supporter_capable", "lacks_capacity",
                  "guardian": {"name", "relation", "id_number"}, "signed",
                  "income": {"wage": "0.00", ...}}],
     "unsigned_reason": "", "duplicate_reason": "", "authorization_documents": [document ids],
     "overrides": [{"action": "drop"|"add", "code", "member_ids", "reason", ...}]}

Money travels as the text the clerk typed, so a draft round-trips exactly and nothing is changed
silently; ``form_errors`` names every amount that is not one before anything is assessed or saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from window_desk import idnumber, vocab
from window_desk.assessment import (
    assess,
    assessment_to_json,
    household_from_json,
)
from window_desk.db.models import (
    Assessment,
    Case,
    Document,
    Household,
    MeasureOverride,
    Member,
    Person,
    Referral,
)
from window_desk.errors import UserError
from window_desk.overrides import check_overrides, effective_measures, tier_of
from window_desk.permissions import requires
from window_desk.services import assessment_store, drafts
from window_desk.services.intake_form import (  # the payload's rules: re-exported
    BENEFIT_CODES,
    EMERGENCY_EVENTS,
    GUARDIAN_RELATIONS,
    INCOME_FIELDS,
    MEMBER_KEYS,
    MINOR_AGE,
    OPEN_STATUSES,
    RIGID_FIELDS,
    FieldProblem,
    FormErrors,
    assessment_input,
    blank_guardian,
    blank_member,
    blank_payload,
    check_intake,
    check_signatures,
    complete_added_measure,
    default_guardians,
    form_errors,
    guardian_of,
    is_blank,
    json_ready,
    member_total_income,
    needs_guardian,
    run_assessment,
    sha256_json,
    unsigned_members,
)
from window_desk.services.intake_history import (  # history and duplicates: re-exported
    HISTORY_KINDS,
    HISTORY_SOURCES,
    DuplicateAssistance,
    DuplicateFinding,
    HistoryItem,
    HistorySource,
    duplicate_check,
    history_for,
    register_history_source,
)
from window_desk.services.numbering import case_number, next_seq
from window_desk.services.persons import decode_photo, keep_photo
from window_desk.services.persons import upsert as upsert_person
from window_desk.services.policy_store import ActivePolicy, record_version
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork
from window_desk.workdays import add_working_days


@dataclass(frozen=True)
class CaseAccepted:
    case_id: int
    number: str
    tier: str
    assessment_id: int
    referral_ids: tuple[int, ...]
    deadline: date | None


@dataclass(frozen=True)
class CaseDecided:
    """A case recorded with a decision other than acceptance (不予受理 / 一次性告知)."""

    case_id: int
    number: str
    status: str
    kind: str  # the paper that goes with the decision


def _record_case(uow: UnitOfWork, payload: dict[str, Any], office: str, status: str, moment: Any,
                 **case_fields: Any) -> tuple[Case, list[Person]]:
    """Persons, household, members and the case, flushed (not committed)."""
    assessed_input = assessment_input(payload)
    actor = uow.actor.label
    day = date.fromisoformat(payload["application_date"])
    household = Household(
        area=payload["area"], address=payload.get("address", ""), phone=payload.get("phone", ""),
        housing=payload.get("housing", "adequate"), current_benefits=list(payload.get("current_benefits", [])),
        events=list(payload.get("events", [])),
        deposits=assessed_input["assets"]["deposits"],
        non_essential_vehicles=assessed_input["assets"]["non_essential_vehicles"],
        extra_houses=assessed_input["assets"]["extra_houses"],
        rigid_medical=assessed_input["rigid_expenses"]["medical"],
        rigid_education=assessed_input["rigid_expenses"]["education"],
        rigid_care=assessed_input["rigid_expenses"]["care"],
        rigid_housing=assessed_input["rigid_expenses"]["housing"],
        created_at=moment, created_by=actor,
    )
    uow.session.add(household)
    uow.session.flush()
    persons = _add_members(uow, household.id, payload, assessed_input, day, moment)
    seq = next_seq(uow, "case", office, day.year)
    case = Case(
        number=case_number(office, day.year, seq), office=office, household_id=household.id,
        applicant_person_id=persons[0].id, application_date=day, matter=payload.get("matter", "").strip(),
        materials=[vocab.MATERIALS[m] for m in payload.get("materials", [])],
        urgent=bool(set(payload.get("events", [])) & EMERGENCY_EVENTS), status=status,
        unsigned_reason=str(payload.get("unsigned_reason", "")).strip() if unsigned_members(payload) else "",
        decided_at=moment, decided_by=actor, created_at=moment, created_by=actor, updated_at=moment,
        **case_fields,
    )
    uow.session.add(case)
    uow.session.flush()
    from window_desk.services.register import (
        add_name_keys,  # the register's surname search
    )

    add_name_keys(uow, case.id, day, [p.name for p in persons])
    _link_papers(uow, payload, case)
    return case, persons


def _add_members(uow: UnitOfWork, household_id: int, payload: dict[str, Any], assessed_input: dict[str, Any],
                 day: date, moment: Any) -> list[Person]:
    """Each member's person (upserted by ID number, with the card photo when read) and member row."""
    persons = []
    for seq, (raw, member_in) in enumerate(zip(payload["members"], assessed_input["members"], strict=True)):
        check = idnumber.require(member_in["id_number"], field=f"第{seq + 1}位成员·身份证号")
        person = upsert_person(uow, member_in["id_number"], raw["name"].strip(), check.sex, check.birth_date)
        if raw.get("photo") and raw.get("photo_id_number") == member_in["id_number"]:  # read off this person's card
            keep_photo(uow, person, decode_photo(raw["photo"]))
        persons.append(person)
        disability = raw.get("disability") or {}
        income = member_in["income"]
        guardian = guardian_of(raw) if needs_guardian(raw, day) else blank_guardian()
        g_check = idnumber.check(guardian["id_number"]) if guardian["id_number"] else None
        uow.session.add(Member(
            household_id=household_id, person_id=person.id, seq=seq, relation=raw["relation"],
            labor_capacity=raw["labor_capacity"], self_care=raw["self_care"],
            disability_grade=disability.get("grade"), disability_kind=disability.get("kind"),
            health=raw["health"], schooling=raw.get("schooling"), employed=bool(raw["employed"]),
            income_wage=income["wage"], income_business=income["business"], income_property=income["property"],
            income_transfer=income["transfer"], income_other=income["other"], income_exempt=income["exempt"],
            supporter_capable=bool(raw["supporter_capable"]), guardian_name=guardian["name"].strip(),
            guardian_relation=guardian["relation"],
            guardian_id_number=(g_check.id_number or "") if g_check and g_check.valid else "",
            lacks_capacity=bool(raw.get("lacks_capacity")),
            authorization_signed=bool(raw.get("signed")), created_at=moment, created_by=uow.actor.label,
        ))
    return persons


def _link_papers(uow: UnitOfWork, payload: dict[str, Any], case: Case) -> None:
    """Authorization letters printed before the decision (numbered then, with no case) join the case."""
    ids = [int(i) for i in payload.get("authorization_documents", []) if str(i).isdigit()]
    if not ids:
        return
    for doc in uow.session.scalars(select(Document).where(Document.id.in_(ids), Document.case_id.is_(None),
                                                          Document.kind == "authorization")):
        doc.case_id = case.id


def _decision_audit(case: Case, persons: list[Person], payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The audit payload of a decision: people by internal id only, never names or ID numbers."""
    return {"number": case.number, "status": case.status, "applicant_person_id": persons[0].id,
            "person_ids": [p.id for p in persons], "application_date": case.application_date,
            "unsigned_reason": case.unsigned_reason,
            "authorization_documents": list(payload.get("authorization_documents", [])), **extra}


def accept_entry(decision: dict[str, Any], assessment_id: int, version_id: int, result: dict[str, Any],
                 input_sha256: str, overrides: list[dict[str, Any]], referral_ids: list[int]) -> dict[str, Any]:
    """The one ``case.accept`` entry (no personal data): the decision (``_decision_audit`` without what is
    empty or said by the action itself), the assessment made with it — id, policy version (whose row holds
    locality, dates and hash), proposed tier and measures, the input's hash — its overrides and referrals."""
    entry = {k: v for k, v in decision.items() if k not in ("status", "members") and v not in ("", [], None)}
    entry["assessment"] = {"id": assessment_id, "policy_version_id": version_id, "proposed_tier": result["tier"],
                           "proposed": [m["code"] for m in result["measures"]], "input_sha256": input_sha256}
    if overrides:
        entry["overrides"] = overrides
    entry["referral_ids"] = referral_ids
    return entry


def _person_ids(member_ids: list[str] | None, person_of: dict[str, int]) -> list[int | None] | None:
    """An override's members (ID numbers in the assessment) as internal person ids for the audit trail."""
    return None if member_ids is None else [person_of.get(i) for i in member_ids]


def _save_assessment(uow: UnitOfWork, case: Case, version_id: int, result: dict[str, Any],
                     assessed_input: dict[str, Any], overrides: list[dict[str, Any]], in_force: list[dict[str, Any]],
                     moment: Any) -> tuple[Assessment, list[int]]:
    """The accepted case's assessment (slim: input and proposal), its overrides, and one referral per
    measure in force that has a department; flushed, with the referrals' ids."""
    actor = uow.actor.label
    assessment = Assessment(
        case_id=case.id, policy_version_id=version_id, policy_locality=result["policy"]["locality"],
        policy_effective_from=date.fromisoformat(result["policy"]["effective_from"]), tier=result["tier"],
        **assessment_store.packed_columns(json_ready(assessed_input), result), created_at=moment, created_by=actor,
    )
    uow.session.add(assessment)
    uow.session.flush()
    for o in overrides:
        uow.session.add(MeasureOverride(assessment_id=assessment.id, action=o["action"], code=o["code"],
                                        measure=o.get("measure") or {"member_ids": o.get("member_ids")},
                                        reason=o["reason"].strip(), created_at=moment, created_by=actor))
    referral_ids = []
    for m in in_force:
        if not m.get("department"):
            continue
        referral = Referral(case_id=case.id, assessment_id=assessment.id, measure_code=m["code"],
                            department=m["department"], referred_at=moment,
                            due_date=date.fromisoformat(m["due_date"]), status="sent", created_at=moment,
                            created_by=actor)
        uow.session.add(referral)
        uow.session.flush()
        referral_ids.append(referral.id)
    return assessment, referral_ids


@requires("case.write")
def submit_case(uow: UnitOfWork, payload: dict[str, Any], active: ActivePolicy, office: str,
                inquiry_id: int | None = None) -> CaseAccepted:
    """Accept the application (确认受理): persons, household, members, case, assessment, overrides and
    referrals in one transaction. Refused while a signature is missing without a written reason, and
    while a member is in another open case or already receives a requested benefit without a written
    reason (that reason is stored on the case and in the audit entry, for supervisors). The intake
    draft goes with it. ``inquiry_id`` (or the payload's ``inquiry_id``, set by a 当场受理 prefill)
    links the first inquiry to the case."""
    check_intake(payload)
    check_signatures(payload)
    policy = active.policy
    assessed_input = assessment_input(payload)
    household_in = household_from_json(assessed_input)  # raises UserError naming the field
    result = assessment_to_json(assess(household_in, policy))
    overrides = [dict(o) for o in payload.get("overrides", [])]
    check_overrides(result["measures"], overrides)
    in_force = effective_measures(result["measures"], overrides)
    tier = tier_of(in_force)
    requested = {m["code"] for m in in_force}
    blocking = [c for c in duplicate_check(uow, payload, requested) if c.blocking]
    duplicate_reason = str(payload.get("duplicate_reason", "")).strip()
    if blocking and len(duplicate_reason) < 4:
        raise DuplicateAssistance(blocking)
    moment = now()
    version_id = active.version_id if active.version_id is not None else record_version(uow, policy, activate=False)
    dates = [date.fromisoformat(m["due_date"]) for m in in_force if m.get("due_date")]
    day = date.fromisoformat(payload["application_date"])
    deadline = max([*dates, day]) if dates else None
    case, persons = _record_case(uow, payload, office, "accepted", moment, tier=tier, deadline=deadline,
                                 duplicate_reason=duplicate_reason if blocking else "")
    assessment, referral_ids = _save_assessment(uow, case, version_id, result, assessed_input, overrides,
                                                in_force, moment)
    # One decision, one audit entry (issue 9): the case, its assessment, overrides and referrals by internal id.
    person_of = {member["id_number"]: p.id for member, p in zip(assessed_input["members"], persons, strict=True)}
    decision = _decision_audit(case, persons, payload, tier=tier, duplicates=[c.case_number for c in blocking],
                               duplicate_reason=case.duplicate_reason)
    said = [{"action": o["action"], "code": o["code"], "reason": o["reason"].strip(),
             "person_ids": _person_ids(o.get("member_ids"), person_of)} for o in overrides]
    uow.audit("case.accept", "case", case.id, accept_entry(decision, assessment.id, version_id, result,
                                                           sha256_json(json_ready(assessed_input)), said, referral_ids))
    link_to = inquiry_id if inquiry_id is not None else payload.get("inquiry_id")
    if link_to is not None:
        from window_desk.services import (
            inquiries,  # the first inquiry this case came from
        )

        inquiries.link_case(uow, int(link_to), case.id)
    drafts.discard(uow, "intake", commit=False)
    uow.commit()
    return CaseAccepted(case.id, case.number, tier, assessment.id, tuple(referral_ids), case.deadline)


def _clean_lines(items: list[str], field: str, what: str) -> list[str]:
    lines = [str(i).strip() for i in items if str(i).strip()]
    if not lines:
        raise UserError(f"请至少写明一项{what}", field=field)
    return lines


@requires("case.write")
def reject_case(uow: UnitOfWork, payload: dict[str, Any], office: str, reasons: list[str], basis: str) -> CaseDecided:
    """不予受理: the case is recorded as rejected with its reasons and policy basis, in one transaction
    with one audit entry; the 不予受理告知书 is then issued for it (case_documents)."""
    check_intake(payload)
    lines = _clean_lines(reasons, "不予受理理由", "不予受理的理由")
    basis = basis.strip()
    if len(basis) < 2:
        raise UserError("请写明不予受理的政策依据(文件及条款)", field="政策依据")
    moment = now()
    case, persons = _record_case(uow, payload, office, "rejected", moment, decision_reason="\n".join(lines),
                                 decision_basis=basis)
    uow.audit("case.reject", "case", case.id, _decision_audit(case, persons, payload, reasons=lines, basis=basis))
    drafts.discard(uow, "intake", commit=False)
    uow.commit()
    return CaseDecided(case.id, case.number, "rejected", "rejection_notice")


def default_supplement_by(application_date: date, on: date | None = None, working_days: int = 5) -> date:
    """A supplement-by date: that many working days after today (never before the application date)."""
    start = max(on or today(), application_date)
    day, _note = add_working_days(start, working_days)
    return day


@requires("case.write")
def notify_missing(uow: UnitOfWork, payload: dict[str, Any], office: str, missing: list[str],
                   supplement_by: date) -> CaseDecided:
    """一次性告知: every missing material at once and the date to bring them by; the case waits
    (status missing_materials). One transaction, one audit entry."""
    check_intake(payload)
    items = _clean_lines(missing, "需补齐材料", "需补齐的材料")
    day = date.fromisoformat(payload["application_date"])
    if supplement_by < day or supplement_by < today():
        raise UserError(f"补齐期限不能早于申请日期和今天({max(day, today()).isoformat()})", field="补齐期限")
    moment = now()
    case, persons = _record_case(uow, payload, office, "missing_materials", moment, missing_items=items,
                                 supplement_by=supplement_by, deadline=supplement_by,
                                 decision_reason="材料不全,一次性告知")
    uow.audit("case.missing_materials", "case", case.id,
              _decision_audit(case, persons, payload, missing=items, supplement_by=supplement_by))
    drafts.discard(uow, "intake", commit=False)
    uow.commit()
    return CaseDecided(case.id, case.number, "missing_materials", "missing_materials_notice")


# --- duplicate assistance ("防止重复救助和遗漏救助", seed 001) ------------------------------------------


__all__ = [
    "BENEFIT_CODES",
    "CaseAccepted",
    "CaseDecided",
    "DuplicateAssistance",
    "DuplicateFinding",
    "EMERGENCY_EVENTS",
    "FieldProblem",
    "FormErrors",
    "GUARDIAN_RELATIONS",
    "HISTORY_KINDS",
    "HISTORY_SOURCES",
    "HistoryItem",
    "HistorySource",
    "INCOME_FIELDS",
    "MEMBER_KEYS",
    "MINOR_AGE",
    "OPEN_STATUSES",
    "RIGID_FIELDS",
    "accept_entry",
    "assessment_input",
    "blank_guardian",
    "blank_member",
    "blank_payload",
    "check_intake",
    "check_signatures",
    "complete_added_measure",
    "default_guardians",
    "default_supplement_by",
    "duplicate_check",
    "form_errors",
    "guardian_of",
    "history_for",
    "is_blank",
    "json_ready",
    "member_total_income",
    "needs_guardian",
    "notify_missing",
    "register_history_source",
    "reject_case",
    "run_assessment",
    "sha256_json",
    "submit_case",
    "unsigned_members",
]
