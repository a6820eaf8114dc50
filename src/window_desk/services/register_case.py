"""One case, opened from the register: everything the clerk sees (ID numbers masked), and closing or
withdrawing it with a reason. Re-exported by ``services.register``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select

from window_desk import idnumber, vocab
from window_desk.db.models import (
    Assessment,
    AuditEntry,
    Case,
    Document,
    Household,
    MeasureOverride,
    Member,
    Person,
    Referral,
)
from window_desk.errors import NotFound, UserError
from window_desk.overrides import effective_measures
from window_desk.permissions import requires
from window_desk.services import assessment_store
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork
from window_desk.vocab import CASE_STATUSES

OPEN_STATUSES = ("draft", "accepted", "missing_materials")


# --- one case, opened ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDetail:
    id: int
    number: str
    status: str
    tier: str | None
    application_date: date
    deadline: date | None
    matter: str
    clerk: str
    decision_reason: str
    household: dict[str, str]
    members: list[dict[str, str]]
    assessment: dict[str, Any] | None
    measures: list[dict[str, Any]]
    overrides: list[dict[str, str]]
    referrals: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    payments: list[dict[str, Any]] = field(default_factory=list)  # the reserve fund (备用金) fills these
    audit: list[dict[str, str]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def case_detail(uow: UnitOfWork, case_id: int) -> CaseDetail:
    """Everything the clerk sees when a case is opened (ID numbers masked)."""
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound("个案不存在", field="个案")
    household = uow.session.get(Household, case.household_id)
    assert household is not None
    members = [
        {"name": p.name, "id_number": idnumber.mask(p.id_number), "relation": vocab.RELATIONS.get(m.relation, m.relation)}
        for m, p in uow.session.execute(
            select(Member, Person).join(Person, Person.id == Member.person_id)
            .where(Member.household_id == household.id).order_by(Member.seq)).all()
    ]
    row = uow.session.scalar(select(Assessment).where(Assessment.case_id == case.id).order_by(Assessment.id.desc()))
    assessment = None
    measures: list[dict[str, Any]] = []
    overrides: list[dict[str, str]] = []
    entities = [("case", str(case.id))]
    if row is not None:
        entities.append(("assessment", str(row.id)))
        full = assessment_store.full_result(uow, row)
        override_rows = uow.session.scalars(
            select(MeasureOverride).where(MeasureOverride.assessment_id == row.id).order_by(MeasureOverride.id)).all()
        overrides = [{"action": "删除" if o.action == "drop" else "增加", "code": o.code,
                      "name": vocab.MEASURES.get(o.code, o.code),
                      "reason": o.reason, "by": o.created_by} for o in override_rows]
        in_force = effective_measures(full["measures"], [
            {"action": o.action, "code": o.code, "member_ids": (o.measure or {}).get("member_ids"),
             "reason": o.reason, "measure": o.measure} for o in override_rows])
        measures = [{"code": m["code"], "name": m.get("name") or vocab.MEASURES.get(m["code"], m["code"]), "department": m.get("department") or "",
                     "due_date": m.get("due_date") or "", "reason": m.get("reason") or m.get("override_reason") or ""}
                    for m in in_force]
        assessment = {"tier": full["tier"], "proposed_tier": row.tier, "policy": full.get("policy", {}),
                      "recomputed": full.get("recomputed", False), "matches": full.get("matches", True),
                      "flags": full.get("flags", [])}
    day = today()
    referrals = []
    for r in uow.session.scalars(select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)):
        entities.append(("referral", str(r.id)))
        referrals.append({"code": r.measure_code, "department": r.department, "status": r.status,
                          "status_label": vocab.REFERRAL_STATUSES.get(r.status, r.status),
                          "due_date": r.due_date, "overdue": r.status in ("sent", "received") and r.due_date < day,
                          "result": r.result})
    documents = [{"number": d.number, "kind": d.kind, "voided": d.voided, "at": d.created_at}
                 for d in uow.session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id))]
    trail = [{"at": e.at[:19].replace("T", " "), "actor": e.actor, "action": e.action}
             for e in uow.session.scalars(
                 select(AuditEntry).where(or_(*[and_(AuditEntry.entity_type == t, AuditEntry.entity_id == i)
                                               for t, i in entities])).order_by(AuditEntry.id).limit(500))]
    return CaseDetail(
        id=case.id, number=case.number, status=case.status, tier=case.tier, application_date=case.application_date,
        deadline=case.deadline, matter=case.matter, clerk=case.created_by, decision_reason=case.decision_reason,
        household={"area": vocab.AREAS.get(household.area, household.area),
                   "address": household.address, "phone": household.phone},
        members=members, assessment=assessment, measures=measures, overrides=overrides, referrals=referrals,
        documents=documents, audit=trail,
    )


CLOSE_OUTCOMES = {"closed": "办结", "withdrawn": "撤回申请"}


@requires("case.close")
def close_case(uow: UnitOfWork, case_id: int, outcome: str, reason: str) -> str:
    """Close a case (办结) or record that the applicant withdrew it (撤回), with a written reason."""
    if outcome not in CLOSE_OUTCOMES:
        raise UserError("未知的结案方式", field="结案方式")
    text = reason.strip()
    if len(text) < 2:
        raise UserError("请写明理由(至少两个字)", field="理由")
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound("个案不存在", field="个案")
    if case.status not in OPEN_STATUSES:
        raise UserError(f"个案已是“{CASE_STATUSES.get(case.status, case.status)}”,不能再结案", field="状态")
    before = case.status
    moment = now()
    case.status = outcome
    case.decision_reason = text
    case.decided_at = moment
    case.decided_by = uow.actor.label
    case.updated_at = moment
    uow.audit(f"case.{'close' if outcome == 'closed' else 'withdraw'}", "case", case.id,
              {"case": case.number, "from": before, "to": outcome, "reason": text})
    uow.commit()
    return outcome
