"""首问负责: create, hand on, close with each outcome, refusals, reopen, overdue, papers, audit."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from window_desk.actor import Actor
from window_desk.audit import verify as verify_chain
from window_desk.db.models import AuditEntry, Case, Document, Handoff, Inquiry, Person
from window_desk.errors import Conflict, UserError
from window_desk.services import inquiries, settings
from window_desk.services.inquiries import InquiryFilter, NewInquiry, Visitor
from window_desk.timeutil import TZ
from window_desk.uow import UnitOfWork

CLERK = Actor(label="zhang", role="clerk", user_id=None, display_name="张窗口")
ADMIN = Actor(label="admin", role="admin", display_name="王管理")
VISITOR_ID = "110105198603150032"
# A Tuesday (2026-12-01) morning, China time.
T0 = datetime(2026, 12, 1, 9, 30, tzinfo=TZ)


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    """A frozen clock: ``clock.now`` is what every service sees as "now"."""
    class Clock:
        now = T0

        def set(self, moment: datetime) -> None:
            self.now = moment

    c = Clock()
    from window_desk.services import documents

    monkeypatch.setattr(inquiries, "now", lambda: c.now)
    monkeypatch.setattr(documents, "now", lambda: c.now)
    return c


def _new(**kw):  # type: ignore[no-untyped-def]
    base = dict(channel="window", matter="家中失火，生活无着，求助临时救助",
                visitor=Visitor("王䶮", VISITOR_ID, "13812345678", "示范镇幸福路1号"), materials=("居民身份证",))
    base.update(kw)
    return NewInquiry(**base)


def _create(db, **kw) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        return inquiries.create(uow, _new(**kw))


def _get(db, inquiry_id):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        return inquiries.get(uow, inquiry_id)


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _close(db, inquiry_id, outcome, **kw) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        inquiries.close(uow, inquiry_id, outcome, **kw)


def test_create_records_everything_and_audits_without_personal_data(db, clock) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    row = _get(db, inquiry_id)
    assert row.status == "open" and row.outcome is None
    assert row.received_at == T0 and row.channel_label == "窗口来访"
    assert row.visitor_name == "王䶮" and row.id_masked == "110105********0032"
    assert row.first_responder == "张窗口" and row.handled_by == "张窗口"
    assert row.materials == ("居民身份证",)
    # Ordinary: 5 working days after Tuesday 2026-12-01 is Tuesday 2026-12-08.
    assert row.due_date == date(2026, 12, 8) and row.days_left == 7
    with UnitOfWork(db, CLERK, write=False) as uow:
        changes = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "inquiry.create")).one().changes
        assert uow.session.scalars(select(Person)).one().id_number == VISITOR_ID
    for secret in (VISITOR_ID, "王䶮", "13812345678", "幸福路"):
        assert secret not in changes


def test_first_responder_of_another_office_is_kept(db, clock) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db, first_responder="李前台（党政办）")
    with UnitOfWork(db, CLERK) as uow:
        inquiries.handoff(uow, inquiry_id, "赵协理", "转给协理员入户核实")
    row = _get(db, inquiry_id)
    assert row.first_responder == "李前台（党政办）" and row.handled_by == "赵协理"


@pytest.mark.parametrize(("kw", "field"), [
    ({"visitor": Visitor("王䶮", "110105198603150031")}, "身份证号"),
    ({"matter": "   "}, "求助事项"),
    ({"channel": "carrier_pigeon"}, "来访方式"),
    ({"visitor": Visitor("", VISITOR_ID)}, "来访人姓名"),
    ({"received_at": datetime(2026, 12, 1, 9, 0)}, "登记时间"),
])
def test_bad_input_is_refused_and_nothing_saved(db, clock, kw, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as info, UnitOfWork(db, CLERK) as uow:
        inquiries.create(uow, _new(**kw))
    assert info.value.field == field
    assert _count(db, Inquiry) == 0 and _count(db, Person) == 0 and _count(db, AuditEntry) == 0


def test_handoffs_keep_from_to_when_note(db, clock) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    clock.set(T0 + timedelta(minutes=10))
    with UnitOfWork(db, CLERK) as uow:
        inquiries.handoff(uow, inquiry_id, "李受理", "转社会救助窗口")
    clock.set(T0 + timedelta(minutes=25))
    with UnitOfWork(db, CLERK) as uow:
        inquiries.handoff(uow, inquiry_id, "周站长")
    row = _get(db, inquiry_id)
    assert [(h.kind, h.from_name, h.to_name, h.at, h.note) for h in row.history] == [
        ("handoff", "张窗口", "李受理", T0 + timedelta(minutes=10), "转社会救助窗口"),
        ("handoff", "李受理", "周站长", T0 + timedelta(minutes=25), ""),
    ]
    assert row.first_responder == "张窗口" and row.handled_by == "周站长"


def test_handoff_to_nobody_is_refused(db, clock) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    with pytest.raises(UserError) as info, UnitOfWork(db, CLERK) as uow:
        inquiries.handoff(uow, inquiry_id, "  ")
    assert info.value.field == "转交给"
    assert _count(db, Handoff) == 0


@pytest.mark.parametrize(("outcome", "kw", "check"), [
    ("accepted", {}, lambda r: r.outcome_label == "当场受理"),
    ("one_time_notice", {"missing": ["户口簿", " ", "医疗费用票据"]}, lambda r: r.missing == ("户口簿", "医疗费用票据")),
    ("to_window", {}, lambda r: r.department == "社会救助受理窗口"),
    ("to_department", {"department": "区医保局", "note": "申请医疗救助"}, lambda r: r.department == "区医保局"),
    ("answered", {"answer": "低保申请需户籍在本镇，已告知申请条件"}, lambda r: r.outcome_note.startswith("低保")),
])
def test_each_outcome_closes(db, clock, outcome, kw, check) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    clock.set(T0 + timedelta(minutes=8))
    _close(db, inquiry_id, outcome, **kw)
    row = _get(db, inquiry_id)
    assert row.status == "closed" and row.outcome == outcome and check(row)
    assert row.answered_at == T0 + timedelta(minutes=8)
    assert row.history[-1].kind == "close"


@pytest.mark.parametrize(("outcome", "kw", "field"), [
    (None, {}, "办理结果"),
    ("", {}, "办理结果"),
    ("lost", {}, "办理结果"),
    ("answered", {"answer": " "}, "答复内容"),
    ("one_time_notice", {"missing": ["", " "]}, "缺少材料"),
    ("to_department", {"department": ""}, "转往部门"),
])
def test_close_refusals_leave_it_open(db, clock, outcome, kw, field) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    with pytest.raises(UserError) as info, UnitOfWork(db, CLERK) as uow:
        inquiries.close(uow, inquiry_id, outcome, **kw)
    assert info.value.field == field
    row = _get(db, inquiry_id)
    assert row.status == "open" and row.history == ()


def test_closed_cannot_be_closed_or_handed_on_again(db, clock) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    _close(db, inquiry_id, "answered", answer="已答复政策")
    with pytest.raises(Conflict), UnitOfWork(db, CLERK) as uow:
        inquiries.close(uow, inquiry_id, "accepted")
    with pytest.raises(Conflict), UnitOfWork(db, CLERK) as uow:
        inquiries.handoff(uow, inquiry_id, "李受理")


def test_reopen_needs_a_reason_and_keeps_both_events(db, clock) -> None:  # type: ignore[no-untyped-def]
    inquiry_id = _create(db)
    _close(db, inquiry_id, "answered", answer="已告知申请条件")
    with pytest.raises(UserError) as info, UnitOfWork(db, CLERK) as uow:
        inquiries.reopen(uow, inquiry_id, " ")
    assert info.value.field == "重新办理理由"
    still_open = _create(db)
    with pytest.raises(Conflict), UnitOfWork(db, CLERK) as uow:
        inquiries.reopen(uow, still_open, "还开着")
    clock.set(T0 + timedelta(hours=2))
    with UnitOfWork(db, CLERK) as uow:
        inquiries.reopen(uow, inquiry_id, "来访人再次来电，补充家中有重病人员")
    row = _get(db, inquiry_id)
    assert row.status == "open" and row.outcome is None
    assert [h.kind for h in row.history] == ["close", "reopen"]
    assert row.history[1].note == "来访人再次来电，补充家中有重病人员"
    _close(db, inquiry_id, "to_department", department="区医保局")
    assert [h.kind for h in _get(db, inquiry_id).history] == ["close", "reopen", "close"]


def test_urgent_overdue_by_frozen_clock(db, clock) -> None:  # type: ignore[no-untyped-def]
    urgent = _create(db, urgent=True)
    ordinary = _create(db, urgent=False)
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert _get(db, urgent).due_date == date(2026, 12, 2)
        clock.set(T0 + timedelta(hours=23, minutes=59))
        assert inquiries.overdue_open(uow) == []
        clock.set(T0 + timedelta(hours=24, minutes=1))
        assert [r.id for r in inquiries.overdue_open(uow)] == [urgent]
        assert [r.id for r in inquiries.pinned(uow, InquiryFilter())] == [urgent]
        assert inquiries.get(uow, urgent).overdue and not inquiries.get(uow, ordinary).overdue
        # The ordinary one is overdue the day after its due date (2026-12-08).
        later = datetime(2026, 12, 9, 8, 0, tzinfo=TZ)
        assert {r.id for r in inquiries.overdue_open(uow, later)} == {urgent, ordinary}
    # A closed one is never overdue.
    _close(db, urgent, "accepted")
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert inquiries.overdue_open(uow) == []


def test_urgent_limit_is_a_setting(db, clock) -> None:  # type: ignore[no-untyped-def]
    urgent = _create(db, urgent=True)
    clock.set(T0 + timedelta(hours=7))
    with UnitOfWork(db, ADMIN) as uow:
        settings.update(uow, {"inquiry_urgent_hours": "6"})
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert [r.id for r in inquiries.overdue_open(uow)] == [urgent]
    with pytest.raises(UserError), UnitOfWork(db, ADMIN) as uow:
        settings.update(uow, {"inquiry_urgent_hours": "0"})


def test_search_by_name_phone_and_id_and_filters(db, clock) -> None:  # type: ignore[no-untyped-def]
    a = _create(db)
    b = _create(db, visitor=Visitor("李四", "", "13900001111", ""), channel="phone_12345", urgent=True)
    c = _create(db, visitor=Visitor("王小明", "", "", ""))
    with UnitOfWork(db, CLERK, write=False) as uow:
        def ids(**kw):  # type: ignore[no-untyped-def]
            return [r.id for r in inquiries.find(uow, InquiryFilter(**kw))]

        assert ids(query="王") == [c, a]
        assert ids(query="王䶮") == [a]
        assert ids(query=VISITOR_ID) == [a]
        assert ids(query="139") == [b]
        assert ids(channel="phone_12345") == [b]
        assert ids(urgent=True) == [b]
        assert ids(day=date(2026, 12, 1)) == [c, b, a]
        assert ids(day=date(2026, 11, 30)) == []
        assert [r.id for r in inquiries.find(uow, InquiryFilter(), exclude_pinned=True)] == [c, a]
        assert [r.id for r in inquiries.find(uow, InquiryFilter(), after_id=c, limit=1)] == [b]
        assert inquiries.count(uow, InquiryFilter(query="王")) == 2


def test_today_and_open_view(db, clock) -> None:  # type: ignore[no-untyped-def]
    old_open = _create(db)
    old_closed = _create(db)
    _close(db, old_closed, "answered", answer="已答复")
    clock.set(T0 + timedelta(days=1))
    today_closed = _create(db)
    _close(db, today_closed, "accepted")
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert [r.id for r in inquiries.find(uow, InquiryFilter(today_and_open=True))] == [today_closed, old_open]


def test_search_queries_use_indexes(db, clock) -> None:  # type: ignore[no-untyped-def]
    """EXPLAIN QUERY PLAN: name, phone and ID searches and the overdue query never scan the table."""
    with UnitOfWork(db, CLERK, write=False) as uow:
        session = uow.session
        cases = {
            "ix_inquiries_visitor_name": InquiryFilter(query="王"),
            "ix_inquiries_visitor_phone": InquiryFilter(query="139"),
            "ix_inquiries_visitor_person_id": InquiryFilter(query=VISITOR_ID),
            "ix_inquiries_received_at": InquiryFilter(today_and_open=True),
        }
        for index, flt in cases.items():
            stmt = inquiries._filtered(uow, flt, T0, 24).order_by(Inquiry.id.desc()).limit(200)
            compiled = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = " | ".join(r[-1] for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert index in plan and "SCAN inquiries" not in plan, plan
        stmt = inquiries.overdue_statement(T0, 24).limit(1000)
        compiled = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " | ".join(r[-1] for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_inquiries_status_received_at" in plan, plan
        assert "SCAN inquiries" not in plan, plan


def test_prints_record_and_outcome_papers(db, clock) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, ADMIN) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    notice = _create(db)
    with UnitOfWork(db, CLERK) as uow:
        inquiries.handoff(uow, notice, "李受理", "请窗口核对材料")
    with pytest.raises(Conflict), UnitOfWork(db, CLERK) as uow:
        inquiries.issue_paper(uow, notice, "inquiry_record")  # open: no outcome yet
    _close(db, notice, "one_time_notice", missing=["户口簿", "医疗费用票据"])
    referral = _create(db)
    _close(db, referral, "to_department", department="区医保局", note="医疗救助")
    anonymous = _create(db, visitor=Visitor("", "", "13900001111", ""))
    _close(db, anonymous, "to_department", department="区医保局")
    with UnitOfWork(db, CLERK) as uow:
        record = inquiries.issue_paper(uow, notice, "inquiry_record")
    with UnitOfWork(db, CLERK) as uow:
        one_time = inquiries.issue_paper(uow, notice, "missing_materials_notice")
    with UnitOfWork(db, CLERK) as uow:
        slip = inquiries.issue_paper(uow, referral, "referral_slip")
    with pytest.raises(UserError) as info, UnitOfWork(db, CLERK) as uow:
        inquiries.issue_paper(uow, anonymous, "referral_slip")
    assert info.value.field == "身份证号"
    with pytest.raises(UserError), UnitOfWork(db, CLERK) as uow:
        inquiries.issue_paper(uow, referral, "missing_materials_notice")
    assert record.number == "示范镇救首〔2026〕0001号" and record.pdf.startswith(b"%PDF")
    assert one_time.number == "示范镇救告〔2026〕0001号" and slip.number == "示范镇救转〔2026〕0001号"
    with UnitOfWork(db, CLERK, write=False) as uow:
        docs = uow.session.scalars(select(Document).order_by(Document.id)).all()
        assert [(d.kind, d.inquiry_id) for d in docs] == [
            ("inquiry_record", notice), ("missing_materials_notice", notice), ("referral_slip", referral)]
        assert docs[0].data["handoffs"][0]["to"] == "李受理"
        assert docs[1].data["missing"] == ["户口簿", "医疗费用票据"]
        assert docs[1].data["supplement_by"] == "2026-12-08"


def test_accepted_case_links_and_closes_the_inquiry(db, clock) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import intake
    from window_desk.services.policy_store import active_policy

    inquiry_id = _create(db)
    with UnitOfWork(db, CLERK) as uow:
        visitor = inquiries.visitor_of(uow, inquiry_id)
    assert visitor.id_number == VISITOR_ID
    payload = intake.blank_payload(date(2026, 12, 1))
    payload.update(matter="申请临时救助", address=visitor.address, phone=visitor.phone, inquiry_id=inquiry_id)
    payload["members"][0].update(name=visitor.name, id_number=visitor.id_number, signed=True)
    with UnitOfWork(db, CLERK) as uow:
        accepted = intake.submit_case(uow, payload, active_policy(uow), "示范镇")
    row = _get(db, inquiry_id)
    assert row.status == "closed" and row.outcome == "accepted" and row.case_id == accepted.case_id
    with UnitOfWork(db, CLERK, write=False) as uow:
        case = uow.session.get(Case, accepted.case_id)
        assert case is not None
        person = uow.session.scalars(select(Person)).one()  # the inquiry's person is the applicant
        assert case.applicant_person_id == person.id


def test_audit_chain_verifies_after_a_day_of_inquiries(db, clock) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import demo_inquiries

    created = demo_inquiries.fill(db, CLERK, 60, days=1, seed=7, end=date(2026, 12, 1), clock=clock.set)
    assert len(created) == 60
    with UnitOfWork(db, CLERK, write=False) as uow:
        statuses = {s for (s,) in uow.session.execute(select(Inquiry.status))}
        kinds = {k for (k,) in uow.session.execute(select(Handoff.kind))}
        actions = {a for (a,) in uow.session.execute(select(AuditEntry.action))}
        result = verify_chain(uow.session)
    assert statuses == {"open", "closed"} and {"handoff", "close", "reopen"} <= kinds
    assert {"inquiry.create", "inquiry.handoff", "inquiry.close", "inquiry.reopen"} <= actions
    assert result.ok, result


def test_migration_keeps_existing_inquiries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import create_engine

    from window_desk.db.engine import _alembic_config, open_database

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
        for i, outcome in ((1, "'answered'"), (2, "NULL")):
            conn.execute(text(
                "INSERT INTO inquiries (id, received_at, channel, visitor_name, visitor_phone, visitor_address, matter,"
                " materials, urgent, first_responder, handled_by, outcome, outcome_note, answered_at, created_at,"
                f" created_by) VALUES ({i}, '2026-01-02 03:04:05+00:00', 'window', '王', '', '', '问低保', '[]', 0,"
                f" '张', '张', {outcome}, '', '2026-01-02 03:14:05+00:00', '2026-01-02 03:04:05+00:00', 't')"))
        conn.execute(text("INSERT INTO handoffs (inquiry_id, from_name, to_name, at, note, created_at, created_by)"
                          " VALUES (2, '张', '李', '2026-01-02 03:05:05+00:00', '', '2026-01-02 03:05:05+00:00', 't')"))
    engine.dispose()
    database = open_database(url)
    try:
        with UnitOfWork(database, CLERK, write=False) as uow:
            rows = {i.id: (i.status, i.matter) for i in uow.session.scalars(select(Inquiry))}
            assert rows == {1: ("closed", "问低保"), 2: ("open", "问低保")}
            assert uow.session.scalars(select(Handoff)).one().kind == "handoff"
    finally:
        database.dispose()


@pytest.mark.postgres
def test_lifecycle_and_queries_on_postgresql(pg_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from window_desk.db.engine import open_database

    database = open_database(pg_url)
    try:
        urgent = _create(database, urgent=True, received_at=datetime(2026, 11, 30, 8, 0, tzinfo=TZ))
        other = _create(database, visitor=Visitor("李四", "", "13900001111", ""), work_order_no="GD9")
        with pytest.raises(Conflict), UnitOfWork(database, CLERK) as uow:
            inquiries.create(uow, _new(work_order_no="GD9"))
        with UnitOfWork(database, CLERK) as uow:
            inquiries.handoff(uow, other, "李受理")
        _close(database, other, "answered", answer="已答复")
        with UnitOfWork(database, CLERK) as uow:
            inquiries.reopen(uow, other, "再次来电")
        with UnitOfWork(database, CLERK, write=False) as uow:
            assert [r.id for r in inquiries.find(uow, InquiryFilter(query="李"))] == [other]
            assert [r.id for r in inquiries.find(uow, InquiryFilter(query="139"))] == [other]
            assert [r.id for r in inquiries.find(uow, InquiryFilter(query=VISITOR_ID))] == [urgent]
            assert urgent in [r.id for r in inquiries.overdue_open(uow)]
            assert {r.id for r in inquiries.find(uow, InquiryFilter(today_and_open=True))} == {urgent, other}
            assert [h.kind for h in inquiries.get(uow, other).history] == ["handoff", "close", "reopen"]
            assert verify_chain(uow.session).ok
    finally:
        database.dispose()
