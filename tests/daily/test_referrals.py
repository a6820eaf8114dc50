"""Referral lifecycle (已转出 → 已签收 → 已办结, or 退回), finding a slip by QR code or number, overdue
with a frozen clock."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.daily.conftest import DAY
from tests.sqlplans import select_statements
from window_desk import audit
from window_desk.db.models import Referral
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.forms import qr_payload
from window_desk.services import case_documents, documents, referrals
from window_desk.uow import UnitOfWork

DUE = date(2026, 11, 16)  # 10 working days after Monday 2 November


def _issue_slip(db, actor, referral_id: int):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, actor) as uow:
        r = uow.session.get(Referral, referral_id)
        return case_documents.issue_for_case(uow, r.case_id, "referral_slip", referral_id=referral_id)


def _qr_text(db, actor, document_id: int) -> str:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, actor, write=False) as uow:
        from window_desk.db.models import Document

        doc = uow.session.get(Document, document_id)
        return qr_payload(doc.kind, doc.data)


def test_receipt_found_by_qr_code_then_signed_then_done(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    issued = _issue_slip(db, clerk, 1)
    code = _qr_text(db, clerk, issued.id)
    assert code.startswith(issued.number + "|示范镇-2026-")
    clock.set(DAY + timedelta(days=3))
    with UnitOfWork(db, clerk) as uow:
        found = referrals.find_by_code(uow, code)
        assert (found.id, found.status, found.status_label, found.document_number) == (1, "sent", "已转出", issued.number)
        # The same slip by its number, or just its sequence this year.
        assert referrals.find_by_code(uow, issued.number).id == 1
        assert referrals.find_by_code(uow, str(int(issued.number.split("〕")[1][:4]))).id == 1
        # A code whose hash does not match the issued slip is refused.
        forged = code[:-1] + ("0" if code[-1] != "0" else "1")
        with pytest.raises(Conflict, match="不符"):
            referrals.find_by_code(uow, forged)
        with pytest.raises(NotFound):
            referrals.find_by_code(uow, "示范镇救转〔2026〕9999号")
        # A scanner in plain keyboard mode types only the ASCII of the code; the slip is still found.
        ascii_only = "".join(ch for ch in code if ch.isascii())
        assert ascii_only.startswith("20260001|-2026-")
        assert referrals.find_by_code(uow, ascii_only).id == 1
        with pytest.raises(Conflict):
            referrals.find_by_code(uow, ascii_only[:-1] + ("0" if ascii_only[-1] != "0" else "1"))
        with pytest.raises(UserError, match="无法识别"):
            referrals.find_by_code(uow, "a|b")

        signed = referrals.record_receipt(uow, 1, signer="李医保", received_on=DAY + timedelta(days=1))
        assert (signed.status, signed.receipt_signer, signed.result) == ("received", "李医保", "")
        done = referrals.record_receipt(uow, 1, signer="李医保", received_on=DAY + timedelta(days=1),
                                        result="已纳入医疗救助,报销 3,200 元", feedback_on=DAY + timedelta(days=3))
        assert (done.status, done.status_label) == ("done", "已办结")
        assert done.feedback_at.date() == DAY + timedelta(days=3)
        with pytest.raises(Conflict, match="已办结"):
            referrals.record_receipt(uow, 1, signer="李医保", received_on=DAY, result="再次")
    with UnitOfWork(db, clerk, write=False) as uow:
        assert audit.verify(uow.session).ok
        actions = [a for (a,) in uow.session.execute(select(audit.AuditEntry.action)
                                                      .where(audit.AuditEntry.entity_type == "referral",
                                                             audit.AuditEntry.entity_id == "1"))]
        # Its creation is part of the case's acceptance (one decision, one entry); the receipts are its own.
        assert actions == ["referral.receipt", "referral.receipt"]
        accept = uow.session.scalars(select(audit.AuditEntry).where(audit.AuditEntry.action == "case.accept")).all()
        assert [e for e in accept if 1 in json.loads(e.changes)["referral_ids"]]


def test_bad_receipts_are_refused_and_nothing_is_saved(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    clock.set(DAY + timedelta(days=2))
    with UnitOfWork(db, clerk) as uow:
        with pytest.raises(UserError, match="签收人"):
            referrals.record_receipt(uow, 2, signer="  ", received_on=DAY)
        with pytest.raises(UserError) as future:
            referrals.record_receipt(uow, 2, signer="王", received_on=DAY + timedelta(days=3))
        assert future.value.field == "签收时间"
        with pytest.raises(UserError) as early:
            referrals.record_receipt(uow, 2, signer="王", received_on=DAY - timedelta(days=1))
        assert "不能早于" in early.value.message
        with pytest.raises(UserError) as order:
            referrals.record_receipt(uow, 2, signer="王", received_on=DAY + timedelta(days=1), result="办好",
                                     feedback_on=DAY)
        assert order.value.field == "反馈时间"
        with pytest.raises(UserError, match="退回理由"):
            referrals.return_referral(uow, 2, " ")
    with UnitOfWork(db, clerk, write=False) as uow:
        r = uow.session.get(Referral, 2)
        assert (r.status, r.receipt_signer, r.receipt_at) == ("sent", "", None)


def test_returned_with_a_reason(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    clock.set(DAY + timedelta(days=1))
    with UnitOfWork(db, clerk) as uow:
        row = referrals.return_referral(uow, 3, "不属于本部门职责,请转区民政局", signer="赵人社")
        assert (row.status, row.status_label, row.return_reason, row.overdue) == (
            "returned", "已退回", "不属于本部门职责,请转区民政局", False)
        with pytest.raises(Conflict):
            referrals.record_receipt(uow, 3, signer="x", received_on=DAY)
        again = referrals.refer(uow, row.case_id, "employment", "区民政局", 5)
        # 5 working days after Tuesday 3 November is Tuesday 10 November.
        assert (again.status, again.due_date, again.department) == ("sent", date(2026, 11, 10), "区民政局")


def test_overdue_follows_the_frozen_clock_in_working_days(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    flt = referrals.ReferralFilter(overdue_only=True)
    clock.set(DUE)  # due today: not yet late
    with UnitOfWork(db, clerk, write=False) as uow:
        assert referrals.list_referrals(uow, flt) == []
        assert not referrals.get(uow, 4).overdue
    clock.set(DUE + timedelta(days=1))  # Tuesday 17 November
    with UnitOfWork(db, clerk, write=False) as uow:
        late = referrals.list_referrals(uow, flt)
        assert len(late) == 24 and all(r.overdue and r.days_late == 1 for r in late)
    clock.set(date(2026, 11, 23))  # next Monday: 17,18,19,20 and 23 are working days
    with UnitOfWork(db, clerk) as uow:
        assert referrals.get(uow, 4).days_late == 5
        referrals.record_receipt(uow, 4, signer="李医保", received_on=date(2026, 11, 20), result="已办结")
        assert not referrals.get(uow, 4).overdue
        summary = {s.department: s for s in referrals.by_department(uow)}
        medical = summary["区医保局"]
        assert (medical.open, medical.overdue, medical.done) == (4, 4, 1)
        only = referrals.list_referrals(uow, referrals.ReferralFilter(department="区医保局", overdue_only=True))
        assert {r.department for r in only} == {"区医保局"} and len(only) == 4


def test_pages_continue_after_the_last_row(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    with UnitOfWork(db, clerk, write=False) as uow:
        seen = []
        after = None
        while True:
            page = referrals.list_referrals(uow, after=after, limit=5)
            if not page:
                break
            seen += [r.id for r in page]
            after = (page[-1].due_date, page[-1].id)
        assert seen == list(range(1, 25))
        with pytest.raises(UserError):
            referrals.list_referrals(uow, referrals.ReferralFilter(status="bogus"))


def test_reprinting_the_slip_keeps_its_number_and_code(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    issued = _issue_slip(db, clerk, 5)
    with UnitOfWork(db, clerk) as uow:
        again = documents.reprint(uow, issued.id)
    assert again.reprint and again.number == issued.number
    with UnitOfWork(db, clerk, write=False) as uow:
        assert referrals.find_by_code(uow, _qr_text(db, clerk, issued.id)).id == 5


def test_departments_page_by_name_and_agree_with_one_page(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clock.set(DUE + timedelta(days=1))
    clerk = people["clerk"].actor()
    with UnitOfWork(db, clerk, write=False) as uow:
        whole = referrals.by_department(uow)
        walked, after = [], None
        while page := referrals.by_department(uow, after=after, limit=2):
            assert len(page) <= 2
            walked += page
            after = page[-1].department
        all_rows = [tuple(r) for r in uow.session.execute(
            select(Referral.department, Referral.status, Referral.due_date))]
        with pytest.raises(UserError):
            referrals.by_department(uow, limit=0)
    assert walked == whole and [s.department for s in whole] == sorted({d for d, _s, _due in all_rows})
    assert len(whole) > 2 and any(s.overdue for s in whole)
    for s in whole:
        mine = [(st, due) for d, st, due in all_rows if d == s.department]
        assert s.open == sum(st in referrals.OPEN for st, _due in mine)
        assert s.overdue == sum(st in referrals.OPEN and due < DUE + timedelta(days=1) for st, due in mine)
        assert (s.done, s.returned) == (sum(st == "done" for st, _d in mine), sum(st == "returned" for st, _d in mine))
    chased = referrals.chasing_order(whole)
    assert [(-s.overdue, -s.open, s.department) for s in chased] == sorted((-s.overdue, -s.open, s.department)
                                                                          for s in whole)


def test_done_counts_stop_at_the_cap_and_say_so(db, filled, clock, people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()
    with UnitOfWork(db, clerk) as uow:  # three receipts back at the medical insurance office
        for r in [r for r in referrals.list_referrals(uow, referrals.ReferralFilter(department="区医保局"))][:3]:
            referrals.record_receipt(uow, r.id, signer="李医保", received_on=DAY, result="已办结")
    with UnitOfWork(db, clerk, write=False) as uow:
        exact = {s.department: s for s in referrals.by_department(uow)}
        monkeypatch.setattr(referrals, "DONE_COUNT_CAP", 2)
        capped = {s.department: s for s in referrals.by_department(uow)}
    assert exact["区医保局"].done == 3 and not exact["区医保局"].done_capped and exact["区医保局"].done_text == "3"
    medical = capped["区医保局"]
    assert (medical.done, medical.done_capped, medical.done_text) == (2, True, "≥ 2")
    for name, s in capped.items():  # the open, overdue and returned counts stay exact
        e = exact[name]
        assert (s.open, s.overdue, s.returned) == (e.open, e.overdue, e.returned)
        assert s.done == min(e.done, 2) and s.done_capped == (e.done > 2)


def test_the_department_summary_reads_only_its_index(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"].actor()

    def summary() -> None:
        with UnitOfWork(db, clerk, write=False) as uow:
            first = referrals.by_department(uow, limit=2)
            referrals.by_department(uow, after=first[-1].department, limit=2)

    plans = []
    with db.engine.connect() as conn:
        for statement, params in select_statements(db, summary):
            plans.append("\n".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)))
    assert len(plans) >= 4
    for plan in plans:
        assert "COVERING INDEX ix_referrals_department_status_due" in plan, plan
        assert "SCAN referrals" not in plan, plan


@pytest.mark.postgres
def test_the_department_summary_uses_its_index_on_postgres(pg_url: str) -> None:
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.services import demo

    pg = open_database(pg_url)
    try:
        demo.fill(pg, Actor.cli(), 30, 20, 13, DAY, "示范镇", others=False)

        def summary() -> None:
            with UnitOfWork(pg, Actor.cli(), write=False) as uow:
                first = referrals.by_department(uow, limit=2)
                referrals.by_department(uow, after=first[-1].department, limit=2)

        statements = select_statements(pg, summary)
        assert len(statements) >= 4
        for statement, params in statements:
            with pg.engine.connect() as conn:
                conn.exec_driver_sql("SET enable_seqscan = off")
                plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {statement}", params).all())
            assert "Seq Scan on referrals" not in plan, plan
    finally:
        pg.dispose()
