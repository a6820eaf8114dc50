"""The papers of a case: what the window can print for it, and their data in forms.md's shapes.

``data_for`` reads the case from the database and returns the document data
without the common fields (office, number, date, clerk); ``documents.issue``
adds those when it numbers the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from window_desk import vocab
from window_desk.db.models import Assessment, Case, Household, MeasureOverride, Member, Person, Referral
from window_desk.errors import NotFound, UserError
from window_desk.overrides import effective_measures
from window_desk.services import assessment_store, documents, settings
from window_desk.timeutil import to_local
from window_desk.uow import UnitOfWork

CASE_KINDS = ("acceptance_notice", "authorization", "application", "referral_slip")


@dataclass(frozen=True)
class Printable:
    """One paper the window may issue for a case (a referral slip per referral)."""

    kind: str
    title: str
    referral_id: int | None = None


def printables(uow: UnitOfWork, case_id: int) -> list[Printable]:
    case = _case(uow, case_id)
    items = [Printable(k, documents.KINDS[k].title) for k in CASE_KINDS if k != "referral_slip"]
    for r in uow.session.scalars(select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)):
        items.append(Printable("referral_slip", f"转介单:{vocab.MEASURES.get(r.measure_code, r.measure_code)}"
                                                f" → {r.department}", r.id))
    return items


def _case(uow: UnitOfWork, case_id: int) -> Case:
    case = uow.session.get(Case, case_id)
    if case is None:
        raise NotFound("个案不存在", field="个案")
    return case


def _members(uow: UnitOfWork, case: Case) -> list[tuple[Member, Person]]:
    rows = uow.session.execute(
        select(Member, Person).join(Person, Person.id == Member.person_id)
        .where(Member.household_id == case.household_id).order_by(Member.seq)
    ).all()
    return [(m, p) for m, p in rows]


def _measures(uow: UnitOfWork, case: Case) -> list[dict[str, Any]]:
    assessment = uow.session.scalar(select(Assessment).where(Assessment.case_id == case.id).order_by(Assessment.id.desc()))
    if assessment is None:
        return []
    overrides = [{"action": o.action, "code": o.code, "member_ids": (o.measure or {}).get("member_ids"),
                  "reason": o.reason, "measure": o.measure}
                 for o in uow.session.scalars(select(MeasureOverride).where(MeasureOverride.assessment_id == assessment.id)
                                              .order_by(MeasureOverride.id))]
    return effective_measures(assessment_store.measures_of(uow, assessment), overrides)


def _health(m: Member) -> str:
    text = vocab.HEALTH.get(m.health, m.health)
    if m.disability_grade:
        text += f";{vocab.DISABILITY_KINDS.get(m.disability_kind or '', '')}残疾{vocab.DISABILITY_GRADES[m.disability_grade]}"
    return text


def _employment(m: Member) -> str:
    if m.schooling:
        return f"在学({vocab.SCHOOLING.get(m.schooling, m.schooling)})"
    return "就业" if m.employed else "未就业"


def _income(m: Member) -> Decimal:
    return sum((m.income_wage, m.income_business, m.income_property, m.income_transfer, m.income_other),
               Decimal("0.00"))


def _notice_matter(matter: str) -> str:
    text = matter.strip()
    return f"{text[2:]}申请" if text.startswith("申请") and len(text) > 2 else text


def data_for(uow: UnitOfWork, case_id: int, kind: str, *, referral_id: int | None = None) -> dict[str, Any]:
    """The document data of ``kind`` for this case (common fields are added when issued)."""
    case = _case(uow, case_id)
    household = uow.session.get(Household, case.household_id)
    assert household is not None
    members = _members(uow, case)
    applicant = next(p for m, p in members if p.id == case.applicant_person_id)
    office_full = settings.get(uow, "office_full_name")
    phone = settings.get(uow, "contact_phone")
    if kind in ("acceptance_notice", "referral_slip") and not phone:
        # The applicant and the department must be able to call the window back.
        raise UserError("请先在“设置”中填写窗口联系电话,再打印", field=settings.DEFAULTS["contact_phone"][0])
    contact = {"name": uow.actor.name, "phone": phone}
    base: dict[str, Any] = {"office": office_full, "case_number": case.number}
    if kind == "authorization":
        rows = []
        for m, p in members:
            row: dict[str, Any] = {"name": p.name, "relation": vocab.RELATIONS.get(m.relation, m.relation),
                                   "id_number": p.id_number}
            if m.guardian_name:
                row["guardian"] = {"name": m.guardian_name, "relation": "监护人", "id_number": ""}
            rows.append(row)
        return base | {"applicant": {"name": applicant.name, "id_number": applicant.id_number}, "members": rows}
    if kind == "application":
        requested = [vocab.MEASURES.get(m["code"], m["code"]) for m in _measures(uow, case) if not m.get("department")]
        return base | {
            "applicant": {"name": applicant.name, "id_number": applicant.id_number,
                          "address": household.address or "无", "phone": household.phone or "无"},
            "members": [{"name": p.name, "relation": vocab.RELATIONS.get(m.relation, m.relation), "id_number": p.id_number,
                         "health": _health(m), "employment": _employment(m), "monthly_income": f"{_income(m):.2f}"}
                        for m, p in members],
            "requested": requested or [case.matter],
            "reason": case.matter,
        }
    if kind == "acceptance_notice":
        return base | {
            "applicant": {"name": applicant.name, "id_number": applicant.id_number},
            # The notice reads "你于…提出的{matter}，经审查", so "申请最低生活保障" prints as "最低生活保障申请".
            "matter": _notice_matter(case.matter),
            "materials": list(case.materials) or ["居民身份证"],
            "accepted_at": to_local(case.created_at).date().isoformat(),
            "deadline": (case.deadline or case.application_date).isoformat(),
            "contact": contact,
        }
    if kind == "referral_slip":
        referral = uow.session.get(Referral, referral_id) if referral_id is not None else None
        if referral is None or referral.case_id != case.id:
            raise UserError("请选择本个案的一项转介", field="转介")
        measure = next((m for m in _measures(uow, case) if m["code"] == referral.measure_code), {})
        ids = measure.get("member_ids") or []
        person = next((p for _m, p in members if p.id_number in ids), applicant)
        return base | {
            "from_office": f"{office_full}社会救助服务窗口",
            "to_department": referral.department,
            "person": {"name": person.name, "id_number": person.id_number, "address": household.address or "无",
                       "phone": household.phone or "无"},
            "difficulty": measure.get("reason") or measure.get("override_reason") or case.matter,
            "measures": [vocab.MEASURES.get(referral.measure_code, referral.measure_code)],
            "referred_at": to_local(referral.referred_at).date().isoformat(),
            "due_date": referral.due_date.isoformat(),
            "contact": contact,
        }
    raise UserError(f"个案不能直接开具{documents.KINDS[kind].title if kind in documents.KINDS else kind}", field="文书种类")


def issue_for_case(uow: UnitOfWork, case_id: int, kind: str, *, referral_id: int | None = None,
                   copies: int = 1, fonts: Any = None) -> documents.IssuedDocument:
    """Number, render and log one paper of the case, in one transaction."""
    data = data_for(uow, case_id, kind, referral_id=referral_id)
    office = settings.get(uow, "office_name")
    issued = documents.issue(uow, kind, data, case_id=case_id, office=office, copies=copies, fonts=fonts,
                             commit=False)
    if referral_id is not None:
        referral = uow.session.get(Referral, referral_id)
        assert referral is not None
        referral.document_id = issued.id
    uow.commit()
    return issued
