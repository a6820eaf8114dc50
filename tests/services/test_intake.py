"""Accepting a case: everything in one transaction, overrides kept beside the proposal, bad input saves nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from window_desk.actor import Actor
from window_desk.audit import verify as verify_chain
from window_desk.db.models import (
    Assessment, AuditEntry, Case, Draft, Household, Member, MeasureOverride, Person, Referral,
)
from window_desk.errors import UserError
from window_desk.services import assessment_store, drafts, intake
from window_desk.services.policy_store import active_policy
from window_desk.uow import UnitOfWork

CLERK = Actor(label="zhang", role="clerk", display_name="张三")
DAY = "2026-11-24"


def _payload(**extra):  # type: ignore[no-untyped-def]
    """A two-person urban household with 600 yuan wage: per capita 300 < 860 (dibao)."""
    p = intake.blank_payload(date.fromisoformat(DAY))
    p["matter"] = "申请最低生活保障"
    p["address"] = "示范镇幸福路1号"
    applicant = p["members"][0]
    applicant.update(name="王䶮", id_number="110105198603150032", labor_capacity="full", self_care="full", employed=True,
                     health="chronic")
    applicant["income"]["wage"] = "600.00"
    child = intake.blank_member("child")
    child.update(name="王小明", id_number="110105201003070017", schooling="compulsory", supporter_capable=True)
    child["guardian"] = {"name": "王䶮", "relation": "parent", "id_number": "110105198603150032"}
    p["members"].append(child)
    for m in p["members"]:
        m["signed"] = True
    p.update(extra)
    return p


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _submit(db, payload):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        return intake.submit_case(uow, payload, active_policy(uow), "示范镇")


def test_submit_stores_case_assessment_and_audit(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        drafts.save(uow, "intake", _payload())
    accepted = _submit(db, _payload())
    assert accepted.number == "示范镇-2026-00001"
    assert accepted.tier == "dibao"
    with UnitOfWork(db, CLERK, write=False) as uow:
        case = uow.session.get(Case, accepted.case_id)
        assert case is not None and case.status == "accepted" and case.tier == "dibao"
        assert case.matter == "申请最低生活保障"
        members = uow.session.scalars(select(Member).order_by(Member.seq)).all()
        assert [m.relation for m in members] == ["self", "child"]
        assert members[0].income_wage == Decimal("600.00")
        names = {p.name for p in uow.session.scalars(select(Person))}
        assert names == {"王䶮", "王小明"}
        assessment = uow.session.get(Assessment, accepted.assessment_id)
        assert assessment is not None
        assert assessment_store.stored_proposal(assessment)["tier"] == assessment.tier == "dibao"
        assert assessment.policy_version_id is not None
        assert assessment_store.stored_proposal(assessment)["policy"]["effective_from"] <= DAY
        entries = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        # One decision, one audit entry (issue 9): the assessment and referrals are named inside it, by id.
        assert [e.action for e in entries] == ["case.accept"]
        accepted_entry = json.loads(entries[0].changes)
        assert accepted_entry["assessment"]["id"] == accepted.assessment_id
        assert accepted_entry["referral_ids"] == list(accepted.referral_ids)
        # Format 4 keeps no hash of its own: the entry's hash is the stored input's, recomputed.
        assert assessment.format == assessment_store.PACKED and assessment.input_sha256 is None
        assert accepted_entry["assessment"]["input_sha256"] == assessment_store.input_sha256(assessment)
        assert accepted_entry["assessment"]["input_sha256"] == intake.sha256_json(intake.json_ready(
            intake.assessment_input(_payload())))
        assert all(m.id_number not in entries[0].changes for m in uow.session.scalars(select(Person)))
        assert uow.session.scalar(select(func.count()).select_from(Draft)) == 0  # the draft went with it
        assert verify_chain(uow.session).ok


def test_overrides_are_stored_beside_the_untouched_proposal(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        proposal = intake.run_assessment(_payload(), active_policy(uow).policy)
    codes = [m["code"] for m in proposal["measures"]]
    assert "dibao" in codes
    overrides = [
        {"action": "drop", "code": "dibao", "member_ids": proposal["measures"][codes.index("dibao")]["member_ids"],
         "reason": "申请人当场撤回低保申请"},
        {"action": "add", "code": "temp_emergency", "member_ids": None, "reason": "家中失火急需救助",
         "measure": {"code": "temp_emergency", "department": None}},
    ]
    accepted = _submit(db, _payload(overrides=overrides))
    assert accepted.tier == "emergency"
    with UnitOfWork(db, CLERK, write=False) as uow:
        assessment = uow.session.get(Assessment, accepted.assessment_id)
        assert assessment is not None
        assert assessment_store.stored_result(assessment) == assessment_store.proposal(proposal)  # never rewritten
        explained = assessment_store.full_result(uow, assessment)  # reasons recomputed from input + policy text
        assert explained["recomputed"] and explained["matches"]
        assert [m["reason"] for m in explained["measures"]] == [m["reason"] for m in proposal["measures"]]
        rows = uow.session.scalars(select(MeasureOverride).order_by(MeasureOverride.id)).all()
        assert [(r.action, r.code, r.reason) for r in rows] == [
            ("drop", "dibao", "申请人当场撤回低保申请"), ("add", "temp_emergency", "家中失火急需救助")]
        entries = uow.session.scalars(select(AuditEntry)).all()
        assert [e.action for e in entries] == ["case.accept"]  # the overrides are part of the one decision
        said = json.loads(entries[0].changes)["overrides"]
        applicant = uow.session.scalar(select(Person).where(Person.name == "王䶮"))
        assert applicant is not None
        assert [(o["action"], o["code"], o["reason"]) for o in said] == [
            ("drop", "dibao", "申请人当场撤回低保申请"), ("add", "temp_emergency", "家中失火急需救助")]
        dropped = proposal["measures"][codes.index("dibao")]["member_ids"]
        assert said[0]["person_ids"] == (None if dropped is None else [
            uow.session.scalar(select(Person.id).where(Person.id_number == i)) for i in dropped])
        assert applicant.id_number not in entries[0].changes  # people by internal id, never by ID number


def test_override_without_reason_saves_nothing(db) -> None:  # type: ignore[no-untyped-def]
    overrides = [{"action": "drop", "code": "dibao", "member_ids": None, "reason": "不要"}]
    with pytest.raises(UserError) as err:
        _submit(db, _payload(overrides=overrides))
    assert "理由" in str(err.value.field)
    for model in (Case, Household, Person, Assessment, Referral, AuditEntry):
        assert _count(db, model) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p["members"][1].update(id_number="110105201003070018"), "第2位成员（王小明）·身份证号"),
        (lambda p: p["members"][1].update(name=" "), "第2位成员·姓名"),
        (lambda p: p["members"][1].update(id_number="110105198603150032"), "第2位成员（王小明）·身份证号"),
        (lambda p: p["members"][0].update(relation="spouse"), "第1位成员·关系"),
        (lambda p: p.update(matter=""), "申请事项"),
        (lambda p: p["members"][0]["income"].update(wage="-5"), "第1位成员（王䶮）·工资性收入"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(db, change, field) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    change(payload)
    with pytest.raises(UserError) as err:
        _submit(db, payload)
    assert field in f"{err.value.field} {err.value}"
    for model in (Case, Household, Member, Person, Assessment, AuditEntry):
        assert _count(db, model) == 0


def test_case_numbers_are_gapless_and_history_finds_earlier_cases(db) -> None:  # type: ignore[no-untyped-def]
    first = _submit(db, _payload())
    with pytest.raises(UserError):
        _submit(db, _payload(matter=""))
    # The same household again is a duplicate: it goes on only with a written reason.
    second = _submit(db, _payload(matter="申请临时救助", duplicate_reason="家中突发重病,另行申请临时救助"))
    assert (first.number, second.number) == ("示范镇-2026-00001", "示范镇-2026-00002")
    with UnitOfWork(db, CLERK, write=False) as uow:
        items = intake.history_for(uow, ["110105201003070017"])
    cases = [i for i in items if i.kind == "case"]
    assert len(cases) == 2
    assert all(i.name == "王小明" and "家庭成员" in i.text for i in cases)
    assert {"申请最低生活保障", "申请临时救助"} == {i.text.rsplit(";", 1)[1] for i in cases}
    assert {i.kind for i in items} >= {"case", "benefit", "referral"}


def test_referrals_follow_measures_with_a_department(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    payload["members"][0]["health"] = "serious"
    payload["rigid_expenses"]["medical"] = "3000.00"
    with UnitOfWork(db, CLERK, write=False) as uow:
        proposal = intake.run_assessment(payload, active_policy(uow).policy)
    expected = sorted((m["code"], m["department"]) for m in proposal["measures"] if m.get("department"))
    assert expected, proposal["measures"]
    accepted = _submit(db, payload)
    with UnitOfWork(db, CLERK, write=False) as uow:
        got = sorted((r.measure_code, r.department) for r in uow.session.scalars(select(Referral)))
    assert got == expected
    assert len(accepted.referral_ids) == len(expected)


def test_draft_round_trips(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    with UnitOfWork(db, CLERK) as uow:
        drafts.save(uow, "intake", payload)
    with UnitOfWork(db, CLERK) as uow:
        drafts.save(uow, "intake", dict(payload, matter="改过的事项"))
    with UnitOfWork(db, CLERK, write=False) as uow:
        loaded = drafts.load(uow, "intake")
    assert loaded is not None and loaded[0]["matter"] == "改过的事项"
    assert loaded[0]["members"] == payload["members"]
    other = Actor(label="li", role="clerk", display_name="李四")
    with UnitOfWork(db, other, write=False) as uow:
        assert drafts.load(uow, "intake") is None  # drafts are per clerk
