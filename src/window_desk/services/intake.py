"""The "一证一书" intake: the payload the desk edits, and turning it into a case.

The *intake payload* is a plain JSON-able dict — what the intake page edits,
what its draft stores, and what ``submit_case`` receives:

    {"application_date": "2026-11-24", "area": "urban", "address", "phone", "matter",
     "current_benefits": [...], "housing": "adequate", "events": [...], "materials": [codes],
     "assets": {"deposits": "0.00", "non_essential_vehicles": 0, "extra_houses": 0},
     "rigid_expenses": {"medical": "0.00", "education": ..., "care": ..., "housing": ...},
     "members": [{"name", "id_number", "relation", "labor_capacity", "self_care",
                  "disability": null | {"grade", "kind"}, "health", "schooling",
                  "employed", "supporter_capable", "guardian", "signed",
                  "income": {"wage": "0.00", ...}}],
     "overrides": [{"action": "drop"|"add", "code", "member_ids", "reason", ...}]}

Money travels as strings so a draft round-trips exactly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from window_desk import idnumber, vocab
from window_desk.assessment import assess, assessment_to_json, household_from_json, manual_measure, measure_to_json
from window_desk.db.models import Assessment, Case, Household, Inquiry, Member, MeasureOverride, Person, Referral
from window_desk.errors import UserError
from window_desk.overrides import check_overrides, effective_measures, tier_of
from window_desk.policy import Policy
from window_desk.services import assessment_store, drafts
from window_desk.services.numbering import case_number, next_seq
from window_desk.services.persons import upsert as upsert_person
from window_desk.services.policy_store import ActivePolicy, record_version
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

INCOME_FIELDS = ("wage", "business", "property", "transfer", "other", "exempt")
RIGID_FIELDS = ("medical", "education", "care", "housing")
EMERGENCY_EVENTS = frozenset({"disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death"})
MEMBER_KEYS = ("id_number", "name", "relation", "labor_capacity", "self_care", "disability", "health", "schooling",
               "employed", "income", "supporter_capable")


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
        "guardian": "",
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


def member_total_income(member: dict[str, Any]) -> Decimal:
    """Everything the member receives a month except exempt income (for the members table)."""
    income = member.get("income", {})
    return sum((_dec(income.get(f)) for f in INCOME_FIELDS if f != "exempt"), Decimal("0.00"))


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


def check_intake(payload: dict[str, Any]) -> None:
    """What the window needs beyond the assessment's own checks; UserError names the field."""
    members = payload.get("members") or []
    if not members:
        raise UserError("至少需要一名家庭成员(申请人)", field="家庭成员")
    seen: dict[str, int] = {}
    for i, m in enumerate(members):
        label = f"第{i + 1}位成员"
        if not m.get("name", "").strip():
            raise UserError("姓名不能为空", field=f"{label}·姓名")
        check = idnumber.check(m.get("id_number", ""))
        if not check.valid:
            raise UserError(f"身份证号码无效:{check.error}", field=f"{label}({m['name']})·身份证号")
        assert check.id_number is not None
        if check.id_number in seen:
            raise UserError(f"与第{seen[check.id_number] + 1}位成员的身份证号相同", field=f"{label}({m['name']})·身份证号")
        seen[check.id_number] = i
        if i == 0 and m.get("relation") != "self":
            raise UserError("第一位成员应为申请人本人(关系选“本人”)", field="第1位成员·关系")
        if i > 0 and m.get("relation") == "self":
            raise UserError("只有第一位成员(申请人)的关系是“本人”", field=f"{label}({m['name']})·关系")
    if not payload.get("matter", "").strip():
        raise UserError("请填写申请事项", field="申请事项")
    unknown = [m for m in payload.get("materials", []) if m not in vocab.MATERIALS]
    if unknown:
        raise UserError(f"未知的材料 {unknown[0]!r}", field="已收材料")


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


def submit_case(uow: UnitOfWork, payload: dict[str, Any], active: ActivePolicy, office: str) -> CaseAccepted:
    """Accept the application: persons, household, members, case, assessment, overrides and
    referrals in one transaction, each audited. The intake draft goes with it."""
    check_intake(payload)
    policy = active.policy
    assessed_input = assessment_input(payload)
    household_in = household_from_json(assessed_input)  # raises UserError naming the field
    result = assessment_to_json(assess(household_in, policy))
    overrides = [dict(o) for o in payload.get("overrides", [])]
    check_overrides(result["measures"], overrides)
    in_force = effective_measures(result["measures"], overrides)
    tier = tier_of(in_force)
    day = date.fromisoformat(payload["application_date"])
    moment = now()
    actor = uow.actor.label

    version_id = active.version_id if active.version_id is not None else record_version(uow, policy, activate=False)

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
        persons.append(person)
        disability = raw.get("disability") or {}
        income = member_in["income"]
        uow.session.add(Member(
            household_id=household.id, person_id=person.id, seq=seq, relation=raw["relation"],
            labor_capacity=raw["labor_capacity"], self_care=raw["self_care"],
            disability_grade=disability.get("grade"), disability_kind=disability.get("kind"),
            health=raw["health"], schooling=raw.get("schooling"), employed=bool(raw["employed"]),
            income_wage=income["wage"], income_business=income["business"], income_property=income["property"],
            income_transfer=income["transfer"], income_other=income["other"], income_exempt=income["exempt"],
            supporter_capable=bool(raw["supporter_capable"]), guardian_name=raw.get("guardian", ""),
            authorization_signed=bool(raw.get("signed")), created_at=moment, created_by=actor,
        ))

    seq = next_seq(uow, "case", office, day.year)
    dates = [date.fromisoformat(m["due_date"]) for m in in_force if m.get("due_date")]
    case = Case(
        number=case_number(office, day.year, seq), office=office, household_id=household.id,
        applicant_person_id=persons[0].id, application_date=day, matter=payload.get("matter", "").strip(),
        materials=[vocab.MATERIALS[m] for m in payload.get("materials", [])],
        urgent=bool(set(payload.get("events", [])) & EMERGENCY_EVENTS), status="accepted", tier=tier,
        deadline=max(dates) if dates else None, created_at=moment, created_by=actor, updated_at=moment,
    )
    uow.session.add(case)
    uow.session.flush()
    uow.audit("case.accept", "case", case.id, {
        "number": case.number, "applicant": persons[0].id_number, "members": len(persons),
        "application_date": day, "tier": tier, "matter": case.matter,
    })

    assessment = Assessment(
        case_id=case.id, policy_version_id=version_id, policy_locality=result["policy"]["locality"],
        policy_effective_from=date.fromisoformat(result["policy"]["effective_from"]), tier=result["tier"],
        input=assessment_store.compact_input(json_ready(assessed_input)), result=assessment_store.proposal(result),
        format=assessment_store.SLIM, policy_sha256=policy.sha256, input_sha256=sha256_json(json_ready(assessed_input)),
        created_at=moment, created_by=actor,
    )
    uow.session.add(assessment)
    uow.session.flush()
    uow.audit("assessment.create", "assessment", assessment.id, {
        "case": case.number, "policy": result["policy"], "policy_version_id": version_id,
        "proposed_tier": result["tier"], "proposed": [m["code"] for m in result["measures"]],
        "input_sha256": assessment.input_sha256,
    })
    for o in overrides:
        row = MeasureOverride(assessment_id=assessment.id, action=o["action"], code=o["code"],
                              measure=o.get("measure") or {"member_ids": o.get("member_ids")},
                              reason=o["reason"].strip(), created_at=moment, created_by=actor)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(f"measure.{o['action']}", "assessment", assessment.id, {
            "case": case.number, "code": o["code"], "member_ids": o.get("member_ids"), "reason": row.reason,
        })

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
        uow.audit("referral.create", "referral", referral.id, {
            "case": case.number, "code": m["code"], "department": m["department"], "due_date": m["due_date"],
        })
    drafts.discard(uow, "intake", commit=False)
    uow.commit()
    return CaseAccepted(case.id, case.number, tier, assessment.id, tuple(referral_ids), case.deadline)


# --- history of the people being entered ("防止重复救助和遗漏救助") ---------------------------------


@dataclass(frozen=True)
class HistoryItem:
    id_number: str
    name: str
    kind: str  # "case" | "inquiry"
    day: date
    text: str


def history_for(uow: UnitOfWork, id_numbers: list[str], limit: int = 50) -> list[HistoryItem]:
    """Earlier cases (as applicant or member) and inquiries of these people, newest first."""
    ids = [n for n in {idnumber.normalize(i) for i in id_numbers} if n]
    if not ids:
        return []
    people = {p.id: p for p in uow.session.scalars(select(Person).where(Person.id_number.in_(ids)))}
    if not people:
        return []
    items: list[HistoryItem] = []
    rows = uow.session.execute(
        select(Member.person_id, Member.relation, Case)
        .join(Case, Case.household_id == Member.household_id)
        .where(Member.person_id.in_(people))
        .order_by(Case.application_date.desc())
        .limit(limit)
    ).all()
    for person_id, relation, case in rows:
        p = people[person_id]
        role = "申请人" if case.applicant_person_id == person_id else f"家庭成员({vocab.RELATIONS.get(relation, relation)})"
        items.append(HistoryItem(p.id_number, p.name, "case", case.application_date,
                                 f"个案 {case.number}:{role},{vocab.CASE_STATUSES.get(case.status, case.status)},"
                                 f"类别{vocab.TIERS.get(case.tier or 'none', case.tier or '')};{case.matter}"))
    for inquiry in uow.session.scalars(
        select(Inquiry).where(Inquiry.visitor_person_id.in_(people)).order_by(Inquiry.received_at.desc()).limit(limit)
    ):
        p = people[inquiry.visitor_person_id]  # type: ignore[index]
        outcome = vocab.INQUIRY_OUTCOMES.get(inquiry.outcome or "", "未办结")
        items.append(HistoryItem(p.id_number, p.name, "inquiry", inquiry.received_at.date(),
                                 f"首问登记:{inquiry.matter}({outcome})"))
    items.sort(key=lambda item: item.day, reverse=True)
    return items[:limit]
