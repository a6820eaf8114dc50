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

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from window_desk import idnumber, vocab
from window_desk.assessment import (
    assess,
    assessment_to_json,
    household_from_json,
    manual_measure,
    measure_to_json,
)
from window_desk.db.models import (
    Assessment,
    Case,
    Document,
    Household,
    Inquiry,
    MeasureOverride,
    Member,
    Person,
    Referral,
)
from window_desk.errors import Conflict, UserError
from window_desk.money import money_error, parse_money
from window_desk.overrides import check_overrides, effective_measures, tier_of
from window_desk.permissions import requires
from window_desk.policy import Policy
from window_desk.services import assessment_store, drafts
from window_desk.services.numbering import case_number, next_seq
from window_desk.services.persons import decode_photo, keep_photo
from window_desk.services.persons import upsert as upsert_person
from window_desk.services.policy_store import ActivePolicy, record_version
from window_desk.timeutil import now, to_local, today
from window_desk.uow import UnitOfWork
from window_desk.workdays import add_working_days

INCOME_FIELDS = ("wage", "business", "property", "transfer", "other", "exempt")
RIGID_FIELDS = ("medical", "education", "care", "housing")
EMERGENCY_EVENTS = frozenset({"disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death"})
# The relation of a guardian to the member signing through them (the glossary's list, without "self").
GUARDIAN_RELATIONS = {code: label for code, label in vocab.RELATIONS.items() if code != "self"}
MINOR_AGE = 18  # 民法典第十七条: under 18 is a minor, without full civil capacity
# A case is open while the window or a department still works on it.
OPEN_STATUSES = frozenset({"accepted", "missing_materials"})
# The window's own benefits a person can already be receiving (a closed case that granted one).
BENEFIT_CODES = frozenset({"dibao", "tekun", "low_income", "dibao_single"})
MEMBER_KEYS = ("id_number", "name", "relation", "labor_capacity", "self_care", "disability", "health", "schooling",
               "employed", "income", "supporter_capable")


def blank_guardian() -> dict[str, str]:
    return {"name": "", "relation": "", "id_number": ""}


def guardian_of(member: dict[str, Any]) -> dict[str, str]:
    """The member's guardian as a dict (drafts written before guardians had fields hold a bare name)."""
    g = member.get("guardian")
    if isinstance(g, dict):
        return {"name": str(g.get("name") or ""), "relation": str(g.get("relation") or ""),
                "id_number": str(g.get("id_number") or "")}
    return {"name": str(g or ""), "relation": "", "id_number": ""}


def blank_member(relation: str = "self") -> dict[str, Any]:
    return {
        "name": "",
        "id_number": "",
        "relation": relation,
        "labor_capacity": "full",
        "self_care": "full",
        "disability": None,
        "health": "healthy",
        "schooling": None,
        "employed": False,
        "supporter_capable": False,
        "lacks_capacity": False,
        "guardian": blank_guardian(),
        "signed": False,
        "income": {field: "0.00" for field in INCOME_FIELDS},
    }


def blank_payload(day: date) -> dict[str, Any]:
    return {
        "application_date": day.isoformat(),
        "area": "urban",
        "address": "",
        "phone": "",
        "matter": "",
        "current_benefits": [],
        "housing": "adequate",
        "events": [],
        "materials": ["id_card", "authorization"],
        "assets": {"deposits": "0.00", "non_essential_vehicles": 0, "extra_houses": 0},
        "rigid_expenses": {field: "0.00" for field in RIGID_FIELDS},
        "members": [blank_member("self")],
        "unsigned_reason": "",
        "duplicate_reason": "",
        "authorization_documents": [],
        "overrides": [],
    }


def _dec(value: object) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        return Decimal("0")


def json_ready(value: Any) -> Any:
    """Decimals as strings, recursively, for JSON columns."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    return value


def sha256_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def member_total_income(member: dict[str, Any]) -> Decimal | None:
    """Everything the member receives a month except exempt income (for the members table);
    None while one of the amounts typed is not an amount (the table says so instead of guessing)."""
    income = member.get("income", {})
    amounts = [parse_money(str(income.get(f, ""))) for f in INCOME_FIELDS if f != "exempt"]
    if any(a is None for a in amounts):
        return None
    return sum((a for a in amounts if a is not None), Decimal("0.00"))


def is_blank(payload: dict[str, Any]) -> bool:
    """True when nothing worth keeping was typed (no draft needed)."""
    fresh = blank_payload(date.fromisoformat(payload["application_date"]))
    return {k: v for k, v in payload.items() if k != "application_date"} == {
        k: v for k, v in fresh.items() if k != "application_date"
    }


def assessment_input(payload: dict[str, Any]) -> dict[str, Any]:
    """The household JSON of assessment.md §2, from the intake payload (money as Decimal)."""
    members = []
    for m in payload["members"]:
        member = {key: m.get(key) for key in MEMBER_KEYS}
        member["id_number"] = idnumber.normalize(m.get("id_number", ""))
        check = idnumber.check(m.get("id_number", ""))
        if check.valid and check.id_number:
            member["id_number"] = check.id_number  # 15-digit numbers upgraded
        member["income"] = {f: _dec(m.get("income", {}).get(f)) for f in INCOME_FIELDS}
        members.append(member)
    return {
        "application_date": payload["application_date"],
        "area": payload["area"],
        "current_benefits": list(payload.get("current_benefits", [])),
        "members": members,
        "assets": {
            "deposits": _dec(payload["assets"].get("deposits")),
            "non_essential_vehicles": int(payload["assets"].get("non_essential_vehicles") or 0),
            "extra_houses": int(payload["assets"].get("extra_houses") or 0),
        },
        "rigid_expenses": {f: _dec(payload["rigid_expenses"].get(f)) for f in RIGID_FIELDS},
        "housing": payload.get("housing", "adequate"),
        "events": list(payload.get("events", [])),
    }


@dataclass(frozen=True)
class FieldProblem:
    """One problem of the form: ``path`` locates the widget (e.g. ("members", 1, "income", "wage")),
    ``field`` is the Chinese name shown, ``message`` says what is wrong."""

    path: tuple[Any, ...]
    field: str
    message: str

    def text(self) -> str:
        return f"{self.field}：{self.message}"


class FormErrors(UserError):
    """Every problem of the form at once; ``problems[0]`` is where the focus goes."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("；\n".join(p.text() for p in problems), field=None)
        self.problems = problems


def needs_guardian(member: dict[str, Any], application_date: date) -> bool:
    """A member without full civil capacity — a minor on the application date, or one marked so —
    signs the authorization letter through a guardian."""
    if member.get("lacks_capacity"):
        return True
    check = idnumber.check(member.get("id_number", ""))
    if check.valid and check.birth_date:
        return idnumber.age_on(check.birth_date, application_date) < MINOR_AGE
    return False


def default_guardians(payload: dict[str, Any]) -> None:
    """Fill a blank guardian of each member who needs one with the applicant (the usual case at the
    window: a parent applying with minor children); the clerk sees it on the form and may change it."""
    members = payload.get("members") or []
    if not members:
        return
    day = date.fromisoformat(payload["application_date"])
    applicant = members[0]
    by_relation = {"child": "parent", "grandchild": "grandparent", "spouse": "spouse", "parent": "child",
                   "sibling": "sibling"}
    for m in members[1:]:
        g = m.get("guardian")
        auto = isinstance(g, dict) and bool(g.get("auto"))
        if needs_guardian(m, day) and (auto or not guardian_of(m)["name"]) and applicant.get("name"):
            # "auto": filled here and not touched by the clerk since, so it follows the member's relation.
            m["guardian"] = {"name": applicant["name"], "relation": by_relation.get(m.get("relation", ""), "other"),
                             "id_number": applicant.get("id_number", ""), "auto": True}


def _member_label(i: int, m: dict[str, Any]) -> str:
    name = str(m.get("name") or "").strip()
    return f"第{i + 1}位成员({name})" if name else f"第{i + 1}位成员"


def form_errors(payload: dict[str, Any], on: date | None = None) -> list[FieldProblem]:
    """Every problem of the intake form, in the order of the form (first = where the focus goes)."""
    day_today = on or today()
    out: list[FieldProblem] = []

    def bad(path: tuple[Any, ...], field: str, message: str) -> None:
        out.append(FieldProblem(path, field, message))

    try:
        day = date.fromisoformat(str(payload.get("application_date")))
    except ValueError:
        bad(("application_date",), "申请日期", "不是有效的日期")
        day = day_today
    else:
        if day > day_today:
            bad(("application_date",), "申请日期", f"不能晚于今天({day_today.isoformat()})")
    if not str(payload.get("matter", "")).strip():
        bad(("matter",), "申请事项", "请填写申请事项")
    members = payload.get("members") or []
    if not members:
        bad(("members",), "家庭成员", "至少需要一名家庭成员(申请人)")
    seen: dict[str, int] = {}
    for i, m in enumerate(members):
        label = _member_label(i, m)
        if not str(m.get("name", "")).strip():
            bad(("members", i, "name"), f"{label}·姓名", "姓名不能为空")
        check = idnumber.check(m.get("id_number", ""), today=day_today)
        if not check.valid:
            bad(("members", i, "id_number"), f"{label}·身份证号", f"身份证号码无效:{check.error}")
        elif check.id_number in seen:
            bad(("members", i, "id_number"), f"{label}·身份证号", f"与第{seen[check.id_number] + 1}位成员的身份证号相同")
        else:
            assert check.id_number is not None
            seen[check.id_number] = i
        relation = m.get("relation")
        if relation not in vocab.RELATIONS:
            bad(("members", i, "relation"), f"{label}·关系", "请从列表中选择与申请人的关系")
        elif i == 0 and relation != "self":
            bad(("members", i, "relation"), "第1位成员·关系", "第一位成员应为申请人本人(关系选“本人”)")
        elif i > 0 and relation == "self":
            bad(("members", i, "relation"), f"{label}·关系", "只有第一位成员(申请人)的关系是“本人”")
        for field in INCOME_FIELDS:
            message = money_error(str((m.get("income") or {}).get(field, "")),
                                  f"{label}·{vocab.INCOME_KINDS[field]}")
            if message:
                field_name, _, why = message.partition("：")
                bad(("members", i, "income", field), field_name, why)
        if needs_guardian(m, day):
            g = guardian_of(m)
            who = f"{label}·监护人"
            if not g["name"].strip():
                bad(("members", i, "guardian", "name"), f"{who}姓名",
                    "未成年人或无完全民事行为能力的成员须由监护人代签授权书,请填写监护人")
            if g["relation"] not in GUARDIAN_RELATIONS:
                bad(("members", i, "guardian", "relation"), f"{who}与成员关系", "请选择监护人与该成员的关系")
            g_check = idnumber.check(g["id_number"], today=day_today)
            if not g_check.valid:
                bad(("members", i, "guardian", "id_number"), f"{who}身份证号", f"身份证号码无效:{g_check.error}")
            elif check.valid and g_check.id_number == check.id_number:
                bad(("members", i, "guardian", "id_number"), f"{who}身份证号", "监护人不能是成员本人")
    assets = payload.get("assets") or {}
    message = money_error(str(assets.get("deposits", "")), "存款及有价证券")
    if message:
        bad(("assets", "deposits"), "存款及有价证券", message.partition("：")[2])
    for field in RIGID_FIELDS:
        name = f"月{vocab.RIGID_EXPENSES[field]}支出"
        message = money_error(str((payload.get("rigid_expenses") or {}).get(field, "")), name)
        if message:
            bad(("rigid_expenses", field), name, message.partition("：")[2])
    unknown = [m for m in payload.get("materials", []) if m not in vocab.MATERIALS]
    if unknown:
        bad(("materials",), "已收材料", f"未知的材料 {unknown[0]!r}")
    return out


def check_intake(payload: dict[str, Any], on: date | None = None) -> None:
    """Raise FormErrors with every problem of the form at once (nothing is saved or assessed)."""
    problems = form_errors(payload, on)
    if problems:
        raise FormErrors(problems)


def unsigned_members(payload: dict[str, Any]) -> list[str]:
    """Who has not yet signed the authorization letter (as "姓名" or "姓名(监护人某某代签)")."""
    day = date.fromisoformat(payload["application_date"])
    out = []
    for m in payload.get("members", []):
        if m.get("signed"):
            continue
        name = str(m.get("name") or "").strip() or "(未填姓名)"
        if needs_guardian(m, day) and guardian_of(m)["name"]:
            name += f"(由监护人{guardian_of(m)['name']}代签)"
        out.append(name)
    return out


def check_signatures(payload: dict[str, Any]) -> None:
    """Acceptance needs every signature on the authorization letter, or a written reason why not."""
    unsigned = unsigned_members(payload)
    if unsigned and len(str(payload.get("unsigned_reason", "")).strip()) < 2:
        raise UserError(f"以下成员尚未在核对授权书上签字:{'、'.join(unsigned)}。请在签字核对中勾选,"
                        f"或写明未签字的原因", field="未签字原因")


# --- assessing and accepting ------------------------------------------------------------------


def run_assessment(payload: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """The assessment of the payload's household, as the JSON of assessment.md §5. Pure."""
    household = household_from_json(assessment_input(payload))
    return assessment_to_json(assess(household, policy))


def complete_added_measure(payload: dict[str, Any], policy: Policy, override: dict[str, Any]) -> dict[str, Any]:
    """The full measure (department, due date, amounts) for a measure the clerk adds."""
    day = date.fromisoformat(payload["application_date"])
    period = policy.period_on(day)
    amounts = {k: Decimal(v) for k, v in (override.get("amounts") or {}).items()}
    measure = manual_measure(override["code"], period, day, member_ids=override.get("member_ids"),
                             reason=override["reason"], **amounts)
    return measure_to_json(measure)


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
            household_id=household.id, person_id=person.id, seq=seq, relation=raw["relation"],
            labor_capacity=raw["labor_capacity"], self_care=raw["self_care"],
            disability_grade=disability.get("grade"), disability_kind=disability.get("kind"),
            health=raw["health"], schooling=raw.get("schooling"), employed=bool(raw["employed"]),
            income_wage=income["wage"], income_business=income["business"], income_property=income["property"],
            income_transfer=income["transfer"], income_other=income["other"], income_exempt=income["exempt"],
            supporter_capable=bool(raw["supporter_capable"]), guardian_name=guardian["name"].strip(),
            guardian_relation=guardian["relation"],
            guardian_id_number=(g_check.id_number or "") if g_check and g_check.valid else "",
            lacks_capacity=bool(raw.get("lacks_capacity")),
            authorization_signed=bool(raw.get("signed")), created_at=moment, created_by=actor,
        ))
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
    from window_desk.services.register import add_name_keys  # the register's surname search

    add_name_keys(uow, case.id, day, [p.name for p in persons])
    _link_papers(uow, payload, case)
    return case, persons


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
    actor = uow.actor.label
    version_id = active.version_id if active.version_id is not None else record_version(uow, policy, activate=False)
    dates = [date.fromisoformat(m["due_date"]) for m in in_force if m.get("due_date")]
    day = date.fromisoformat(payload["application_date"])
    deadline = max([*dates, day]) if dates else None
    case, persons = _record_case(uow, payload, office, "accepted", moment, tier=tier, deadline=deadline,
                                 duplicate_reason=duplicate_reason if blocking else "")
    assessment = Assessment(
        case_id=case.id, policy_version_id=version_id, policy_locality=result["policy"]["locality"],
        policy_effective_from=date.fromisoformat(result["policy"]["effective_from"]), tier=result["tier"],
        input=assessment_store.compact_input(json_ready(assessed_input)), result=assessment_store.proposal(result),
        format=assessment_store.SLIM, policy_sha256=policy.sha256, input_sha256=sha256_json(json_ready(assessed_input)),
        created_at=moment, created_by=actor,
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
    # One decision, one audit entry (issue 9): the case, its assessment, overrides and referrals by internal id.
    person_of = {member["id_number"]: p.id for member, p in zip(assessed_input["members"], persons, strict=True)}
    decision = _decision_audit(case, persons, payload, tier=tier, duplicates=[c.case_number for c in blocking],
                               duplicate_reason=case.duplicate_reason)
    said = [{"action": o["action"], "code": o["code"], "reason": o["reason"].strip(),
             "person_ids": _person_ids(o.get("member_ids"), person_of)} for o in overrides]
    uow.audit("case.accept", "case", case.id, accept_entry(decision, assessment.id, version_id, result,
                                                           assessment.input_sha256 or "", said, referral_ids))
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


@dataclass(frozen=True)
class DuplicateFinding:
    """A reason to look twice: ``blocking`` ones stop acceptance until a written reason is given."""

    member_index: int
    member_name: str
    case_number: str
    blocking: bool
    text: str


class DuplicateAssistance(Conflict):
    """A member is in another open case or already receives a requested benefit."""

    def __init__(self, findings: list[DuplicateFinding]) -> None:
        super().__init__("可能重复救助:" + ";".join(f.text for f in findings)
                         + "。如确需继续受理,请写明理由(审核人可见)。", field="重复救助核查")
        self.findings = findings


def duplicate_check(uow: UnitOfWork, payload: dict[str, Any], requested: set[str] | None = None) -> list[DuplicateFinding]:
    """Members already in another open case, or already receiving a benefit being requested (blocking);
    a name different from the one on record for the same ID number (a warning)."""
    numbers: dict[str, int] = {}
    for i, m in enumerate(payload.get("members", [])):
        check = idnumber.check(m.get("id_number", ""))
        if check.valid and check.id_number:
            numbers.setdefault(check.id_number, i)
    if not numbers:
        return []
    members = payload["members"]
    people = {p.id: p for p in uow.session.scalars(select(Person).where(Person.id_number.in_(list(numbers))))}
    out: list[DuplicateFinding] = []
    for p in people.values():
        i = numbers[p.id_number]
        typed = str(members[i].get("name", "")).strip()
        if typed and typed != p.name:
            out.append(DuplicateFinding(i, typed, "", False,
                                        f"第{i + 1}位成员身份证号在册姓名为“{p.name}”,与录入的“{typed}”不同,请核对"))
    if not people:
        return out
    wanted = (requested or set()) & BENEFIT_CODES
    rows = uow.session.execute(
        select(Member.person_id, Case.number, Case.status, Case.tier)
        .join(Case, Case.household_id == Member.household_id)
        .where(Member.person_id.in_(list(people)), Case.status.in_([*OPEN_STATUSES, "closed"]))
        .order_by(Case.application_date.desc())
    ).all()
    for person_id, number, status, tier in rows:
        p = people[person_id]
        i = numbers[p.id_number]
        name = str(members[i].get("name", "")).strip() or p.name
        if status in OPEN_STATUSES:
            out.append(DuplicateFinding(i, name, number, True,
                                        f"第{i + 1}位成员{name}已在个案 {number}"
                                        f"({vocab.CASE_STATUSES.get(status, status)})中,该个案尚未办结"))
        elif tier in wanted:
            out.append(DuplicateFinding(i, name, number, True,
                                        f"第{i + 1}位成员{name}已通过个案 {number}享受"
                                        f"{vocab.TIERS.get(tier, tier)},本次又申请同一待遇"))
    return out


# --- history of the people being entered ---------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    id_number: str
    name: str
    kind: str  # "case" | "inquiry" | "benefit" | "referral" | what a registered source adds
    day: date
    text: str
    open: bool = False  # still being worked on (shown first, in red)


HistorySource = Callable[[UnitOfWork, dict[int, Person], int], list[HistoryItem]]
HISTORY_SOURCES: dict[str, HistorySource] = {}
HISTORY_KINDS: dict[str, str] = {}


def register_history_source(kind: str, label: str, source: HistorySource) -> None:
    """Add a kind of row to the history panel (e.g. the reserve fund's prepayments): ``source`` gets the
    unit of work, the people found by ID number {person id: Person} and a row limit, and returns items."""
    HISTORY_SOURCES[kind] = source
    HISTORY_KINDS[kind] = label


def _case_rows(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    items = []
    rows = uow.session.execute(
        select(Member.person_id, Member.relation, Case)
        .join(Case, Case.household_id == Member.household_id)
        .where(Member.person_id.in_(list(people)))
        .order_by(Case.application_date.desc())
        .limit(limit)
    ).all()
    for person_id, relation, case in rows:
        p = people[person_id]
        role = "申请人" if case.applicant_person_id == person_id else f"家庭成员({vocab.RELATIONS.get(relation, relation)})"
        status = vocab.CASE_STATUSES.get(case.status, case.status)
        items.append(HistoryItem(p.id_number, p.name, "case", case.application_date,
                                 f"个案 {case.number}:{role},{status},"
                                 f"类别{vocab.TIERS.get(case.tier or 'none', case.tier or '')};{case.matter}",
                                 open=case.status in OPEN_STATUSES))
        if case.tier in BENEFIT_CODES and case.status in ("accepted", "closed"):
            items.append(HistoryItem(p.id_number, p.name, "benefit", case.application_date,
                                     f"待遇:{vocab.TIERS.get(case.tier, case.tier)}(个案 {case.number},{status})",
                                     open=case.status in OPEN_STATUSES))
    return items


def _inquiry_rows(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    items = []
    for inquiry in uow.session.scalars(
        select(Inquiry).where(Inquiry.visitor_person_id.in_(list(people)))
        .order_by(Inquiry.received_at.desc()).limit(limit)
    ):
        p = people[inquiry.visitor_person_id]  # type: ignore[index]
        outcome = vocab.INQUIRY_OUTCOMES.get(inquiry.outcome or "", "未办结")
        items.append(HistoryItem(p.id_number, p.name, "inquiry", to_local(inquiry.received_at).date(),
                                 f"首问登记:{inquiry.matter}({outcome})", open=inquiry.outcome is None))
    return items


def _referral_rows(uow: UnitOfWork, people: dict[int, Person], limit: int) -> list[HistoryItem]:
    items = []
    rows = uow.session.execute(
        select(Member.person_id, Referral, Case.number)
        .join(Case, Case.household_id == Member.household_id)
        .join(Referral, Referral.case_id == Case.id)
        .where(Member.person_id.in_(list(people)))
        .order_by(Referral.due_date.desc())
        .limit(limit)
    ).all()
    for person_id, referral, number in rows:
        p = people[person_id]
        status = vocab.REFERRAL_STATUSES.get(referral.status, referral.status)
        items.append(HistoryItem(p.id_number, p.name, "referral", to_local(referral.referred_at).date(),
                                 f"转介:{vocab.MEASURES.get(referral.measure_code, referral.measure_code)} → "
                                 f"{referral.department},{status},期限{referral.due_date:%Y-%m-%d}(个案 {number})",
                                 open=referral.status in ("sent", "received")))
    return items


register_history_source("case", "个案", _case_rows)
register_history_source("benefit", "待遇", lambda uow, people, limit: [])  # rows come with the cases
register_history_source("inquiry", "首问登记", _inquiry_rows)
register_history_source("referral", "转介", _referral_rows)


def history_for(uow: UnitOfWork, id_numbers: list[str], limit: int = 200) -> list[HistoryItem]:
    """Every earlier case, benefit, inquiry and referral of these people (and what registered sources
    add), open ones first, then newest first. Each source is one indexed query."""
    ids = [n for n in {idnumber.normalize(i) for i in id_numbers} if n]
    if not ids:
        return []
    people = {p.id: p for p in uow.session.scalars(select(Person).where(Person.id_number.in_(ids)))}
    if not people:
        return []
    items: list[HistoryItem] = []
    for source in HISTORY_SOURCES.values():
        items.extend(source(uow, people, limit))
    items.sort(key=lambda item: (not item.open, -item.day.toordinal()))
    return items[:limit]
