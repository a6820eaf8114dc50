"""The papers of a case: what the window can print for it, and their data in forms.md's shapes.

``data_for`` reads the case from the database and returns the document data
without the common fields (office, number, date, clerk); ``documents.issue``
adds those when it numbers the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from window_desk import vocab
from window_desk.db.models import Assessment, Case, Document, Household, MeasureOverride, Member, Person, Referral
from window_desk.errors import NotFound, UserError
from window_desk.overrides import effective_measures
from window_desk.services import assessment_store, documents, settings
from window_desk.services.intake import GUARDIAN_RELATIONS, guardian_of, needs_guardian
from window_desk.timeutil import to_local
from window_desk.uow import UnitOfWork

CASE_KINDS = ("acceptance_notice", "authorization", "application", "referral_slip")
# The papers of a case by its decision: the decision's own paper first (Enter in the dialog issues it).
KINDS_BY_STATUS = {
    "accepted": ("acceptance_notice", "authorization", "application"),
    "closed": ("acceptance_notice", "authorization", "application"),
    "rejected": ("rejection_notice",),
    "missing_materials": ("missing_materials_notice", "authorization"),
}


@dataclass(frozen=True)
class Printable:
    """One paper the window may issue for a case (a referral slip per referral)."""

    kind: str
    title: str
    referral_id: int | None = None


def printables(uow: UnitOfWork, case_id: int) -> list[Printable]:
    case = _case(uow, case_id)
    items = [Printable(k, documents.KINDS[k].title) for k in KINDS_BY_STATUS.get(case.status, CASE_KINDS[:3])]
    for r in uow.session.scalars(select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)):
        items.append(Printable("referral_slip", f"转介单：{vocab.MEASURES.get(r.measure_code, r.measure_code)}"
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
        text += f"；{vocab.DISABILITY_KINDS.get(m.disability_kind or '', '')}残疾{vocab.DISABILITY_GRADES[m.disability_grade]}"
    return text


def _employment(m: Member) -> str:
    if m.schooling:
        return f"在学（{vocab.SCHOOLING.get(m.schooling, m.schooling)}）"
    return "就业" if m.employed else "未就业"


def _income(m: Member) -> Decimal:
    return sum((m.income_wage, m.income_business, m.income_property, m.income_transfer, m.income_other),
               Decimal("0.00"))


def _notice_matter(matter: str) -> str:
    text = matter.strip()
    return f"{text[2:]}申请" if text.startswith("申请") and len(text) > 2 else text


@dataclass(frozen=True)
class _Paper:
    """What every kind of a case's paper reads: the case, its household and members, the office."""

    case: Case
    household: Household
    members: list[tuple[Member, Person]]
    applicant: Person
    office_full: str
    contact: dict[str, Any]
    base: dict[str, Any]
    referral_id: int | None


def data_for(uow: UnitOfWork, case_id: int, kind: str, *, referral_id: int | None = None) -> dict[str, Any]:
    """The document data of ``kind`` for this case (common fields are added when issued)."""
    case = _case(uow, case_id)
    household = uow.session.get(Household, case.household_id)
    assert household is not None
    members = _members(uow, case)
    applicant = next(p for m, p in members if p.id == case.applicant_person_id)
    office_full = settings.get(uow, "office_full_name")
    phone = settings.get(uow, "contact_phone")
    missing = documents.missing_settings(uow, [kind])
    if missing:
        # The applicant and the department must be able to call the window back.
        raise UserError(f"请先在“设置”中填写{'、'.join(missing)}，再打印", field=missing[0])
    contact = {"name": settings.get(uow, "contact_person") or uow.actor.name, "phone": phone}
    base: dict[str, Any] = {"office": office_full, "case_number": case.number}
    build = _BUILDERS.get(kind)
    if build is None:
        raise UserError(f"个案不能直接开具{documents.KINDS[kind].title if kind in documents.KINDS else kind}",
                        field="文书种类")
    return build(uow, _Paper(case, household, members, applicant, office_full, contact, base, referral_id))


def _authorization(uow: UnitOfWork, c: _Paper) -> dict[str, Any]:
    rows = []
    for m, p in c.members:
        guardian = None
        if m.guardian_name:
            guardian = {"name": m.guardian_name, "relation": GUARDIAN_RELATIONS.get(m.guardian_relation, ""),
                        "id_number": m.guardian_id_number}
        rows.append(_signer(p.name, vocab.RELATIONS.get(m.relation, m.relation), p.id_number, guardian))
    return c.base | {"applicant": {"name": c.applicant.name, "id_number": c.applicant.id_number}, "members": rows}


def _application(uow: UnitOfWork, c: _Paper) -> dict[str, Any]:
    case, household, applicant = c.case, c.household, c.applicant
    requested = [vocab.MEASURES.get(m["code"], m["code"]) for m in _measures(uow, case) if not m.get("department")]
    return c.base | {
        "applicant": {"name": applicant.name, "id_number": applicant.id_number,
                      "address": household.address or "无", "phone": household.phone or "无"},
        "members": [{"name": p.name, "relation": vocab.RELATIONS.get(m.relation, m.relation), "id_number": p.id_number,
                     "health": _health(m), "employment": _employment(m), "monthly_income": f"{_income(m):.2f}"}
                    for m, p in c.members],
        "requested": requested or [case.matter],
        "reason": case.matter + (f"。核对授权书未签字说明:{case.unsigned_reason}" if case.unsigned_reason else ""),
    }


def _acceptance_notice(uow: UnitOfWork, c: _Paper) -> dict[str, Any]:
    case = c.case
    return c.base | {
        "applicant": {"name": c.applicant.name, "id_number": c.applicant.id_number},
        # The notice reads "你于…提出的{matter}，经审查", so "申请最低生活保障" prints as "最低生活保障申请".
        "matter": _notice_matter(case.matter),
        "materials": list(case.materials) or ["居民身份证"],
        # The notice states the day the application was made, not the day it is printed.
        "accepted_at": case.application_date.isoformat(),
        "deadline": max(case.deadline or case.application_date, case.application_date).isoformat(),
        "contact": c.contact,
    }


def _rejection_notice(uow: UnitOfWork, c: _Paper) -> dict[str, Any]:
    case = c.case
    if case.status != "rejected":
        raise UserError("只有不予受理的个案才能开具不予受理告知书", field="文书种类")
    return c.base | {
        "applicant": {"name": c.applicant.name, "id_number": c.applicant.id_number},
        "matter": _notice_matter(case.matter),
        "reasons": [line for line in case.decision_reason.splitlines() if line.strip()],
        "basis": case.decision_basis,
        "remedy": {"review_body": settings.get(uow, "review_body"), "court": settings.get(uow, "court")},
    }


def _missing_materials_notice(uow: UnitOfWork, c: _Paper) -> dict[str, Any]:
    case = c.case
    if case.status != "missing_materials" or case.supplement_by is None:
        raise UserError("只有一次性告知的个案才能开具一次性告知书", field="文书种类")
    return c.base | {
        "applicant": {"name": c.applicant.name, "id_number": c.applicant.id_number},
        "matter": _notice_matter(case.matter),
        "missing": list(case.missing_items),
        "supplement_by": case.supplement_by.isoformat(),
        "contact": c.contact,
    }


def _referral_slip(uow: UnitOfWork, c: _Paper) -> dict[str, Any]:
    case, household = c.case, c.household
    referral = uow.session.get(Referral, c.referral_id) if c.referral_id is not None else None
    if referral is None or referral.case_id != case.id:
        raise UserError("请选择本个案的一项转介", field="转介")
    measure = next((m for m in _measures(uow, case) if m["code"] == referral.measure_code), {})
    ids = measure.get("member_ids") or []
    person = next((p for _m, p in c.members if p.id_number in ids), c.applicant)
    return c.base | {
        "from_office": f"{c.office_full}社会救助服务窗口",
        "to_department": referral.department,
        "person": {"name": person.name, "id_number": person.id_number, "address": household.address or "无",
                   "phone": household.phone or "无"},
        "difficulty": measure.get("reason") or measure.get("override_reason") or case.matter,
        "measures": [vocab.MEASURES.get(referral.measure_code, referral.measure_code)],
        "referred_at": to_local(referral.referred_at).date().isoformat(),
        "due_date": referral.due_date.isoformat(),
        "contact": c.contact,
    }


# One builder per kind of paper a case issues directly; a new kind is one function and one line here.
_BUILDERS: dict[str, Callable[[UnitOfWork, _Paper], dict[str, Any]]] = {
    "authorization": _authorization,
    "application": _application,
    "acceptance_notice": _acceptance_notice,
    "rejection_notice": _rejection_notice,
    "missing_materials_notice": _missing_materials_notice,
    "referral_slip": _referral_slip,
}


def existing(uow: UnitOfWork, case_id: int, kind: str, *, referral_id: int | None = None) -> documents.DocumentInfo | None:
    """The paper of this kind (and referral) already issued for the case and not voided, if any: the desk
    then asks 补打 or 重新开具 instead of silently taking a new number."""
    infos = [i for i in documents.for_case(uow, case_id) if i.kind == kind and not i.voided]
    if referral_id is not None:
        referral = uow.session.get(Referral, referral_id)
        linked = referral.document_id if referral is not None else None
        infos = [i for i in infos if i.id == linked]
    return infos[-1] if infos else None


def issue_for_case(uow: UnitOfWork, case_id: int, kind: str, *, referral_id: int | None = None,
                   copies: int = 1, fonts: Any = None, replaces: int | None = None) -> documents.IssuedDocument:
    """Number, render and log one paper of the case, in one transaction. ``replaces``: the id of the
    paper this one is issued again for (重新开具); it is voided in the same transaction."""
    data = data_for(uow, case_id, kind, referral_id=referral_id)
    office = settings.get(uow, "office_name")
    issued = documents.issue(uow, kind, data, case_id=case_id, office=office, copies=copies, fonts=fonts,
                             commit=False)
    if replaces is not None:
        old = uow.session.get(Document, replaces)
        if old is None or old.case_id != case_id or old.kind != kind:
            raise UserError("要重新开具的文书不属于本个案", field="文书")
        documents.void(uow, replaces, f"重新开具为{issued.number}", commit=False)
    if referral_id is not None:
        referral = uow.session.get(Referral, referral_id)
        assert referral is not None
        referral.document_id = issued.id
    uow.commit()
    return issued


def _signer(name: str, relation: str, id_number: str, guardian: dict[str, str] | None) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, "relation": relation, "id_number": id_number}
    if guardian and guardian.get("name"):
        row["guardian"] = {k: v for k, v in guardian.items() if v}  # the form prints only what is known
    return row


def authorization_from_payload(uow: UnitOfWork, payload: dict[str, Any]) -> dict[str, Any]:
    """The authorization letter's data from the form being typed (before any decision): every member,
    and for each one without full civil capacity the guardian who signs (name, relation, ID number)."""
    from datetime import date

    from window_desk import idnumber

    members = payload.get("members") or []
    if not members:
        raise UserError("至少需要一名家庭成员(申请人)", field="家庭成员")
    day = date.fromisoformat(payload["application_date"])
    rows = []
    for i, m in enumerate(members):
        label = f"第{i + 1}位成员"
        name = str(m.get("name", "")).strip()
        if not name:
            raise UserError("姓名不能为空", field=f"{label}·姓名")
        check = idnumber.check(m.get("id_number", ""))
        if not check.valid or not check.id_number:
            raise UserError(f"身份证号码无效:{check.error}", field=f"{label}({name})·身份证号")
        guardian = None
        if needs_guardian(m, day):
            g = guardian_of(m)
            if not g["name"].strip():
                raise UserError("未成年人或无完全民事行为能力的成员须由监护人代签,请先填写监护人",
                                field=f"{label}({name})·监护人姓名")
            g_check = idnumber.check(g["id_number"]) if g["id_number"] else None
            guardian = {"name": g["name"].strip(), "relation": GUARDIAN_RELATIONS.get(g["relation"], ""),
                        "id_number": (g_check.id_number or "") if g_check and g_check.valid else ""}
        rows.append(_signer(name, vocab.RELATIONS.get(m.get("relation", ""), ""), check.id_number, guardian))
    office_full = settings.get(uow, "office_full_name")
    return {"office": office_full, "applicant": {"name": rows[0]["name"], "id_number": rows[0]["id_number"]},
            "members": rows}


def issue_authorization(uow: UnitOfWork, payload: dict[str, Any], *, fonts: Any = None) -> documents.IssuedDocument:
    """Print the authorization letter from the intake form BEFORE the decision, so the household can
    sign it first. It takes its own gapless 救授 number now, with no case; the intake payload keeps the
    document id and the decision (accept, reject, one-time notice) links the document to the case."""
    data = authorization_from_payload(uow, payload)
    return documents.issue(uow, "authorization", data, case_id=None, office=settings.get(uow, "office_name"),
                           fonts=fonts)
