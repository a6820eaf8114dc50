"""首问负责: every contact is logged, handed on and closed with exactly one outcome.

An inquiry is open from the moment it is recorded until it is closed with one
of the outcomes of ``vocab.INQUIRY_OUTCOMES``; handing it on writes a handoff
line (from, to, when, note) and never changes the first responder. Closing and
reopening are kept in the same history (``Handoff.kind`` "close"/"reopen"), so
both events stay visible after a reopen.

急难 inquiries still open after ``inquiry_urgent_hours`` (a setting, 24 by
default) are overdue; an ordinary one is overdue after its due date (received
date + ``inquiry_reply_days`` working days). ``overdue_open`` is the query the
register and the daily review call.

Audit payloads name people only by internal id (no names, phones or ID numbers).

The plain rows, the filter and the queries are in ``inquiry_rows`` (re-exported here); the services
that read the clock (record, hand on, close, reopen, find, print) are here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from window_desk import idnumber
from window_desk.db.models import Handoff, Inquiry, Person
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.permissions import requires
from window_desk.services import documents, settings
from window_desk.services.inquiry_rows import (  # noqa: F401 - re-exported: callers write inquiries.find(...)
    CHANNELS,
    HOTLINE_CHANNELS,
    OUTCOMES,
    STATUSES,
    HistoryLine,
    InquiryFilter,
    InquiryRow,
    NewInquiry,
    Visitor,
    _clean,
    _day_bounds,
    _filtered,
    _history,
    _is_overdue,
    _overdue_clause,
    _row,
    _rows,
    elapsed_text,
    overdue_statement,
    reply_working_days,
    urgent_limit_hours,
)
from window_desk.services.persons import name_initials
from window_desk.timeutil import now, to_local
from window_desk.uow import UnitOfWork
from window_desk.workdays import add_working_days

DEFAULT_WINDOW = "社会救助受理窗口"
# Referral slips from an inquiry: the policy file's default referral deadline (assessment.md, period.deadlines).
REFERRAL_WORKING_DAYS = 10
MAX_PAGE = 10_000


# --- settings ---------------------------------------------------------------------------------------------


# --- data in and out --------------------------------------------------------------------------------------


def _get(uow: UnitOfWork, inquiry_id: int) -> Inquiry:
    inq = uow.session.get(Inquiry, inquiry_id)
    if inq is None:
        raise NotFound("首问登记不存在", field="首问登记")
    return inq


def _visitor_person(uow: UnitOfWork, visitor: Visitor) -> Person | None:
    """The resident behind a given ID number (created if new; an existing name is not overwritten
    by what a caller said on the phone)."""
    raw = _clean(visitor.id_number)
    if not raw:
        return None
    check = idnumber.require(raw, field="身份证号")
    person = uow.session.scalar(select(Person).where(Person.id_number == check.id_number))
    if person is None:
        name = _clean(visitor.name)
        if not name:
            raise UserError("填写了身份证号时请同时填写来访人姓名", field="来访人姓名")
        person = Person(id_number=check.id_number, name=name, name_initials=name_initials(name), sex=check.sex,
                        birth_date=check.birth_date, created_at=now(), created_by=uow.actor.label)
        uow.session.add(person)
        uow.session.flush()
    return person


def due_date_for(uow: UnitOfWork, received_at: datetime, urgent: bool) -> date:
    """急难: the day the limit runs out; otherwise ``inquiry_reply_days`` working days after receipt."""
    if urgent:
        return to_local(received_at + timedelta(hours=urgent_limit_hours(uow))).date()
    day, _note = add_working_days(to_local(received_at).date(), reply_working_days(uow))
    return day


# --- create, hand on, close, reopen ------------------------------------------------------------------------

def _check_new(new: NewInquiry) -> None:
    if new.channel not in CHANNELS:
        raise UserError("请选择来访方式", field="来访方式")
    if not _clean(new.matter):
        raise UserError("请填写求助事项", field="求助事项")
    if len(_clean(new.matter)) > 2000:
        raise UserError("求助事项过长（最多2000字）", field="求助事项")
    for label, value, limit in (("来访人姓名", new.visitor.name, 64), ("联系电话", new.visitor.phone, 32),
                                ("住址", new.visitor.address, 200), ("首问责任人", new.first_responder, 64),
                                ("工单号", new.work_order_no, 64)):
        if len(_clean(value)) > limit:
            raise UserError(f"过长（最多{limit}字）", field=label)
    if new.received_at is not None:
        if new.received_at.tzinfo is None:
            raise UserError("登记时间缺少时区", field="登记时间")
        if new.received_at > now() + timedelta(minutes=5):
            raise UserError("登记时间不能晚于现在", field="登记时间")


@requires("inquiry.write")
def create(uow: UnitOfWork, new: NewInquiry, *, commit: bool = True) -> int:
    """Record one inquiry; returns its id. Refused whole (nothing saved) on bad input."""
    _check_new(new)
    person = _visitor_person(uow, new.visitor)
    moment = now()
    received = new.received_at or moment
    work_order = _clean(new.work_order_no) or None
    if work_order is not None and uow.session.scalar(select(Inquiry.id).where(Inquiry.work_order_no == work_order)):
        raise Conflict(f"工单号 {work_order} 已登记", field="工单号")
    responder = _clean(new.first_responder)
    inq = Inquiry(
        received_at=received, channel=new.channel, visitor_name=_clean(new.visitor.name),
        visitor_phone=_clean(new.visitor.phone), visitor_address=_clean(new.visitor.address),
        visitor_person_id=person.id if person else None, matter=_clean(new.matter),
        materials=[_clean(m) for m in new.materials if _clean(m)], urgent=bool(new.urgent),
        first_responder=responder or uow.actor.name,
        first_responder_user_id=None if responder else uow.actor.user_id,
        handled_by=uow.actor.name, status="open", due_date=due_date_for(uow, received, bool(new.urgent)),
        work_order_no=work_order, department="", missing_items=[], created_at=moment, created_by=uow.actor.label,
    )
    uow.session.add(inq)
    uow.session.flush()
    uow.audit("inquiry.create", "inquiry", inq.id, {
        "channel": inq.channel, "urgent": inq.urgent, "person": inq.visitor_person_id,
        "received_at": to_local(received).isoformat(timespec="seconds"), "due_date": inq.due_date,
        "first_responder_user": inq.first_responder_user_id, "work_order": bool(work_order),
    })
    if commit:
        uow.commit()
    return inq.id


def _require_open(inq: Inquiry, action: str) -> None:
    if inq.status != "open":
        raise Conflict(f"该登记已办结，不能{action}；如需继续办理请先“重新办理”并写明理由", field="状态")


@requires("inquiry.write")
def handoff(uow: UnitOfWork, inquiry_id: int, to_name: str, note: str = "") -> None:
    """Hand the inquiry on to another person; the first responder stays on the record."""
    inq = _get(uow, inquiry_id)
    _require_open(inq, "转交")
    target = _clean(to_name)
    if not target:
        raise UserError("请填写转交给谁", field="转交给")
    if len(target) > 64:
        raise UserError("过长（最多64字）", field="转交给")
    if target == inq.handled_by:
        raise UserError("不能转交给当前承办人本人", field="转交给")
    moment = now()
    line = Handoff(inquiry_id=inq.id, from_name=inq.handled_by, to_name=target, at=moment, note=_clean(note),
                   kind="handoff", created_at=moment, created_by=uow.actor.label)
    uow.session.add(line)
    uow.session.flush()
    inq.handled_by = target
    # The names and the note stay in the handoff row; the audit entry points at it.
    uow.audit("inquiry.handoff", "inquiry", inq.id, {"handoff": line.id})
    uow.commit()


@requires("inquiry.write")
def close(uow: UnitOfWork, inquiry_id: int, outcome: str | None, *, note: str = "", answer: str = "",
          missing: list[str] | tuple[str, ...] = (), department: str = "", case_id: int | None = None,
          commit: bool = True) -> None:
    """Close with exactly one outcome. 一次性告知 lists every missing item at once; 转部门 names the
    department; 咨询答复 needs the answer given; 转窗口 names the window (default the acceptance window)."""
    inq = _get(uow, inquiry_id)
    _require_open(inq, "办结")
    if not outcome:
        raise UserError("请选择办理结果，未写明结果的登记不能办结", field="办理结果")
    if outcome not in OUTCOMES:
        raise UserError("未知的办理结果", field="办理结果")
    items = [_clean(m) for m in missing if _clean(m)]
    dept = _clean(department)
    text = _clean(answer) if outcome == "answered" else _clean(note)
    if outcome == "one_time_notice" and not items:
        raise UserError("一次性告知须一次列明全部缺少的材料", field="缺少材料")
    if outcome == "to_department" and not dept:
        raise UserError("请填写转往的部门", field="转往部门")
    if outcome == "to_window":
        dept = dept or DEFAULT_WINDOW
    if outcome == "answered" and len(text) < 2:
        raise UserError("咨询答复须写明答复内容", field="答复内容")
    if len(dept) > 64:
        raise UserError("过长（最多64字）", field="转往部门")
    moment = now()
    inq.status = "closed"
    inq.outcome = outcome
    inq.outcome_note = text
    inq.department = dept if outcome in ("to_department", "to_window") else ""
    inq.missing_items = items if outcome == "one_time_notice" else []
    inq.answered_at = moment
    inq.closed_at = moment
    if case_id is not None:
        inq.case_id = case_id
    uow.session.add(Handoff(inquiry_id=inq.id, from_name=inq.handled_by, to_name=inq.department or "",
                            at=moment, note=f"办结：{OUTCOMES[outcome]}", kind="close", created_at=moment,
                            created_by=uow.actor.label))
    uow.audit("inquiry.close", "inquiry", inq.id, {"outcome": outcome, "missing": len(items),
                                                    "department": inq.department or None, "case": case_id})
    if commit:
        uow.commit()


@requires("inquiry.write")
def reopen(uow: UnitOfWork, inquiry_id: int, reason: str) -> None:
    """Open a closed inquiry again; the reason is required and both events stay in the history."""
    inq = _get(uow, inquiry_id)
    if inq.status != "closed":
        raise Conflict("该登记尚未办结，无需重新办理", field="状态")
    text = _clean(reason)
    if len(text) < 2:
        raise UserError("请写明重新办理的理由", field="重新办理理由")
    moment = now()
    line = Handoff(inquiry_id=inq.id, from_name=uow.actor.name, to_name=inq.handled_by, at=moment, note=text,
                   kind="reopen", created_at=moment, created_by=uow.actor.label)
    uow.session.add(line)
    uow.session.flush()
    previous = inq.outcome
    inq.status = "open"
    inq.outcome = None
    inq.closed_at = None
    # The reason is free text that may name people: it stays in the history row the entry points at.
    uow.audit("inquiry.reopen", "inquiry", inq.id, {"previous_outcome": previous, "event": line.id})
    uow.commit()


@requires("inquiry.write")
def link_case(uow: UnitOfWork, inquiry_id: int, case_id: int) -> None:
    """The case accepted from a 当场受理 inquiry (called inside ``submit_case``'s transaction; no commit).
    An inquiry still open is closed as 当场受理 by it."""
    inq = _get(uow, inquiry_id)
    if inq.status == "open":
        close(uow, inquiry_id, "accepted", note="已受理", case_id=case_id, commit=False)
        return
    inq.case_id = case_id
    uow.audit("inquiry.link_case", "inquiry", inq.id, {"case": case_id})


# --- reading ----------------------------------------------------------------------------------------------


def get(uow: UnitOfWork, inquiry_id: int, moment: datetime | None = None) -> InquiryRow:
    inq = _get(uow, inquiry_id)
    person = uow.session.get(Person, inq.visitor_person_id) if inq.visitor_person_id else None
    return _row(inq, person, moment or now(), urgent_limit_hours(uow), _history(uow, inq.id))


def visitor_of(uow: UnitOfWork, inquiry_id: int) -> Visitor:
    """The visitor in full (ID number unmasked) for the 受理 page's prefill; the unmasking is the
    clerk's own case work, so it is not an export."""
    inq = _get(uow, inquiry_id)
    person = uow.session.get(Person, inq.visitor_person_id) if inq.visitor_person_id else None
    return Visitor(inq.visitor_name, person.id_number if person else "", inq.visitor_phone, inq.visitor_address)


def pinned(uow: UnitOfWork, flt: InquiryFilter, moment: datetime | None = None, limit: int = 500) -> list[InquiryRow]:
    """Open 急难 inquiries matching the filter, oldest first: the page pins them on top."""
    moment = moment or now()
    hours = urgent_limit_hours(uow)
    if flt.status == "closed" or flt.urgent is False:
        return []
    stmt = _filtered(uow, flt, moment, hours).where(Inquiry.status == "open", Inquiry.urgent.is_(True))
    return _rows(uow, stmt.order_by(Inquiry.received_at, Inquiry.id).limit(limit), moment, hours)


def find(uow: UnitOfWork, flt: InquiryFilter, *, after_id: int | None = None, limit: int = 200,
         exclude_pinned: bool = False, moment: datetime | None = None) -> list[InquiryRow]:
    """A page of inquiries, newest first (keyset on the id). ``exclude_pinned`` leaves out the open
    急难 ones that ``pinned`` shows."""
    if not 1 <= limit <= MAX_PAGE:
        raise UserError(f"每页条数应在 1 到 {MAX_PAGE} 之间", field="--limit")
    moment = moment or now()
    hours = urgent_limit_hours(uow)
    stmt = _filtered(uow, flt, moment, hours)
    if exclude_pinned:
        stmt = stmt.where(or_(Inquiry.status != "open", Inquiry.urgent.is_(False)))
    if after_id is not None:
        stmt = stmt.where(Inquiry.id < after_id)
    return _rows(uow, stmt.order_by(Inquiry.id.desc()).limit(limit), moment, hours)


def count(uow: UnitOfWork, flt: InquiryFilter, moment: datetime | None = None) -> int:
    moment = moment or now()
    sub = _filtered(uow, flt, moment, urgent_limit_hours(uow)).with_only_columns(Inquiry.id).subquery()
    return uow.session.scalar(select(func.count()).select_from(sub)) or 0


def overdue_open(uow: UnitOfWork, moment: datetime | None = None, *, limit: int = 1000) -> list[InquiryRow]:
    """Open inquiries past their limit at ``moment``: 急难 ones open longer than ``inquiry_urgent_hours``,
    ordinary ones past their due date. Oldest first. For this page, the register and the daily review."""
    moment = moment or now()
    hours = urgent_limit_hours(uow)
    return _rows(uow, overdue_statement(moment, hours).limit(limit), moment, hours)


# --- papers -----------------------------------------------------------------------------------------------

def _dt(moment: datetime | None) -> str:
    # China time without the offset: the forms' DATETIME check does not take one (yet).
    return to_local(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def record_data(uow: UnitOfWork, inquiry_id: int) -> dict[str, Any]:
    """The 首问负责登记表 (``inquiry_record``) of one closed inquiry, in forms.md's shape."""
    inq = _get(uow, inquiry_id)
    if inq.status != "closed" or not inq.outcome:
        raise Conflict("登记尚未办结：首问负责登记表须写明办理结果，请先办结再打印", field="办理结果")
    outcome = OUTCOMES[inq.outcome]
    if inq.department:
        outcome += f"（{inq.department}）"
    if inq.missing_items:
        outcome += f"：缺少{'、'.join(inq.missing_items)}"
    if inq.outcome_note and inq.outcome == "answered":
        outcome += f":{inq.outcome_note}"
    handoffs = [{"from": h.from_name, "to": h.to_name, "at": _dt(h.at), "note": h.note}
                for h in uow.session.scalars(select(Handoff).where(Handoff.inquiry_id == inq.id,
                                                                   Handoff.kind == "handoff").order_by(Handoff.id))]
    return {
        "office": settings.get(uow, "office_full_name"),
        "received_at": _dt(inq.received_at),
        "channel": CHANNELS.get(inq.channel, inq.channel) + (f"（工单号{inq.work_order_no}）" if inq.work_order_no else ""),
        "visitor": {"name": inq.visitor_name or "未留姓名", "phone": inq.visitor_phone or "无",
                    "address": inq.visitor_address or "无"},
        "matter": inq.matter, "materials": list(inq.materials or []), "first_responder": inq.first_responder,
        "handled_by": inq.handled_by, "outcome": outcome, "handoffs": handoffs, "answered_at": _dt(inq.answered_at),
    }


def _person_for_paper(uow: UnitOfWork, inq: Inquiry, paper: str) -> Person:
    person = uow.session.get(Person, inq.visitor_person_id) if inq.visitor_person_id else None
    if person is None:
        raise UserError(f"打印{paper}须有来访人身份证号，请先补录", field="身份证号")
    return person


def _contact(uow: UnitOfWork) -> dict[str, str]:
    phone = settings.get(uow, "contact_phone")
    if not phone:
        raise UserError("请先在“设置”中填写窗口联系电话，再打印", field=settings.DEFAULTS["contact_phone"][0])
    return {"name": uow.actor.name, "phone": phone}


def outcome_paper_kind(outcome: str | None) -> str | None:
    """The paper an outcome hands out: 一次性告知书 or 转介单."""
    return {"one_time_notice": "missing_materials_notice", "to_department": "referral_slip"}.get(outcome or "")


def paper_data(uow: UnitOfWork, inquiry_id: int, kind: str) -> dict[str, Any]:
    """Data for ``inquiry_record``, or the outcome's ``missing_materials_notice`` / ``referral_slip``."""
    if kind == "inquiry_record":
        return record_data(uow, inquiry_id)
    inq = _get(uow, inquiry_id)
    if outcome_paper_kind(inq.outcome) != kind or inq.status != "closed":
        raise UserError(f"该登记的办理结果不能开具{documents.KINDS[kind].title if kind in documents.KINDS else kind}",
                        field="文书种类")
    office_full = settings.get(uow, "office_full_name")
    today = to_local(now()).date()
    if kind == "missing_materials_notice":
        person = _person_for_paper(uow, inq, "一次性告知书")
        supplement_by, _note = add_working_days(today, reply_working_days(uow))
        return {"office": office_full, "applicant": {"name": person.name, "id_number": person.id_number},
                "matter": inq.matter, "missing": list(inq.missing_items), "supplement_by": supplement_by.isoformat(),
                "contact": _contact(uow)}
    person = _person_for_paper(uow, inq, "转介单")
    due, _note = add_working_days(today, REFERRAL_WORKING_DAYS)
    return {"office": office_full, "from_office": f"{office_full}社会救助服务窗口", "to_department": inq.department,
            "person": {"name": person.name, "id_number": person.id_number, "address": inq.visitor_address or "无",
                       "phone": inq.visitor_phone or "无"},
            "difficulty": inq.matter, "measures": [inq.outcome_note or inq.matter],
            "referred_at": to_local(inq.closed_at or now()).date().isoformat(), "due_date": due.isoformat(),
            "contact": _contact(uow)}


def issue_paper(uow: UnitOfWork, inquiry_id: int, kind: str, *, copies: int = 1,
                fonts: Any = None) -> documents.IssuedDocument:
    """Number, render and log one paper of the inquiry (documents service), in one transaction."""
    data = paper_data(uow, inquiry_id, kind)
    office = settings.get(uow, "office_name")
    return documents.issue(uow, kind, data, inquiry_id=inquiry_id, office=office, copies=copies, fonts=fonts)


__all__ = [
    "CHANNELS", "OUTCOMES", "STATUSES", "Visitor", "NewInquiry", "InquiryRow", "InquiryFilter", "HistoryLine",
    "create", "handoff", "close", "reopen", "link_case", "get", "visitor_of", "find", "pinned", "count",
    "overdue_open", "issue_paper", "paper_data", "record_data", "outcome_paper_kind", "urgent_limit_hours",
    "reply_working_days", "due_date_for", "elapsed_text",
]
