"""主动发现: roster import, visit counting, leads, observation reviews, monitoring warnings, spot checks."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from window_desk import idnumber
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, Inquiry, Person, WatchHousehold
from window_desk.errors import PermissionDenied, UserError
from window_desk.paths import resource
from window_desk.policy import parse_policy
from window_desk.services import (
    discovery,
    inquiries,
    discovery_export,
    discovery_import,
    discovery_monitoring,
    discovery_observation,
    discovery_roster,
    discovery_visits,
)
from window_desk.services.discovery import MemberIn
from window_desk.uow import UnitOfWork

CLERK = Actor(label="zhang", role="clerk", user_id=None, display_name="张窗口")
SUPERVISOR = Actor(label="li", role="supervisor", user_id=None, display_name="李审核")


def nid(n: int, birth: str = "19500101") -> str:
    body = f"110105{birth}{n:03d}"
    return body + idnumber.check_char(body)


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    day = {"value": date(2026, 11, 20)}
    for module in (discovery_roster, discovery_visits, discovery_observation, discovery_monitoring, discovery_import):
        monkeypatch.setattr(module, "today", lambda: day["value"])
    return day


def add(db, village: str = "青山村", n: int = 1, since: str = "2026-09-01") -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        return discovery.add_household(uow, village, [MemberIn("王大爷", nid(n))], "独居老人", since=since)


def workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["重点人群花名册"])
    ws.append(["户编号", "村（社区）", "姓名", "身份证号码", "与户主关系", "家庭住址", "纳入原因", "协理员", "纳入时间"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- import -------------------------------------------------------------------------------------


def test_import_good_file_groups_households_and_creates_assistants(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    data = workbook([
        [1, "青山村", "王一", nid(1), "户主", "1组3号", "独居老人", "刘协理", "2026-10-01"],
        [1, "青山村", "王二", nid(2, "19800101"), "子女", None, None, None, None],
        [2, "青山村", "李三", nid(3), "户主", "2组5号", "重病", "刘协理", None],
    ])
    with UnitOfWork(db, CLERK) as uow:
        result = discovery_import.import_roster(uow, data, filename="qs.xlsx")
    assert (result.households, result.persons) == (2, 3)
    with UnitOfWork(db, CLERK, write=False) as uow:
        entries = discovery.roster(uow, "青山村")
        assistants = discovery.staff(uow, "assistant", "青山村")
    assert [len(e.members) for e in entries] == [2, 1]
    assert entries[0].since == date(2026, 10, 1) and entries[1].since == date(2026, 11, 20)
    assert [a.name for a in assistants] == ["刘协理"]
    assert {e.assistant_id for e in entries} == {assistants[0].id}


def test_import_without_household_numbers_groups_members_under_the_head_above(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "与户主关系", "纳入原因"])
    ws.append(["王一", nid(1), "户主", "独居老人"])
    ws.append(["王二", nid(2, "19800101"), "子女", None])
    ws.append(["李三", nid(3), "户主", "重病"])
    buf = io.BytesIO()
    wb.save(buf)
    with UnitOfWork(db, CLERK) as uow:
        result = discovery_import.import_roster(uow, buf.getvalue(), village="青山村")
    assert (result.households, result.persons) == (2, 3)
    with UnitOfWork(db, CLERK, write=False) as uow:
        entries = discovery.roster(uow, "青山村")
    assert [[m.name for m in e.members] for e in entries] == [["王一", "王二"], ["李三"]]


def test_import_bad_rows_reported_by_row_and_column_and_nothing_saved(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    bad = nid(4)[:-1] + ("0" if nid(4)[-1] != "0" else "1")
    data = workbook([
        [1, "青山村", "王一", nid(1), "户主", "1组3号", "独居老人", None, None],
        [2, "青山村", "", nid(2), "户主", "", "重病", None, None],
        [3, "青山村", "赵四", bad, "户主", "", "残疾", None, "2026-13-01"],
        [4, "青山村", "钱五", nid(5), "表哥", "", "", None, None],
    ])
    with UnitOfWork(db, CLERK) as uow, pytest.raises(discovery_import.ImportRejected) as err:
        discovery_import.import_roster(uow, data)
    problems = {(r, c) for r, c, _ in err.value.problems}
    assert (4, "姓名") in problems
    assert (5, "身份证号码") in problems
    assert (5, "纳入时间") in problems
    assert (6, "与户主关系") in problems
    assert (6, "纳入原因") in problems
    assert "第4行 姓名" in str(err.value)
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert uow.session.query(WatchHousehold).count() == 0
        assert uow.session.query(Person).count() == 0
        assert uow.session.query(AuditEntry).count() == 0


def test_import_refuses_file_without_headers_or_not_xlsx(db) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    wb.active.append(["名字", "号码"])
    buf = io.BytesIO()
    wb.save(buf)
    with UnitOfWork(db, CLERK) as uow:
        with pytest.raises(discovery_import.ImportRejected, match="姓名"):
            discovery_import.import_roster(uow, buf.getvalue())
        with pytest.raises(UserError, match="xlsx"):
            discovery_import.import_roster(uow, b"not a workbook")


# --- visits -------------------------------------------------------------------------------------


def test_visit_counting_unseen_month_boundary_overdue(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    a, b, c, d = (add(db, n=i) for i in range(1, 5))
    late = add(db, n=9, since="2026-11-05")
    with UnitOfWork(db, CLERK) as uow:
        discovery.record_visit(uow, a, "2026-10-31", "刘协理", True, living="尚可")       # October, seen
        discovery.record_visit(uow, a, "2026-11-01", "刘协理", True, living="尚可")       # November, seen
    with UnitOfWork(db, CLERK) as uow:
        discovery.record_visit(uow, b, "2026-10-15", "刘协理", False, action="家中无人，下周再访")  # unseen only
    with UnitOfWork(db, CLERK) as uow:
        discovery.record_visit(uow, c, "2026-11-01", "刘协理", True, living="尚可")  # November only
    with UnitOfWork(db, CLERK, write=False) as uow:
        october = {v.watch_household_id: v.state for v in discovery.due_visits(uow, 2026, 10)}
        november = {v.watch_household_id: v.state for v in discovery.due_visits(uow, 2026, 11)}
    assert october == {a: "done", b: "overdue", c: "overdue", d: "overdue"}  # late was not yet on the roster
    assert november == {a: "done", b: "pending", c: "done", d: "pending", late: "pending"}
    with UnitOfWork(db, CLERK) as uow:
        discovery.record_visit(uow, d, "2026-11-19", "刘协理", False, action="外出就医")
    with UnitOfWork(db, CLERK) as uow:
        assert {v.watch_household_id: v.state for v in discovery.due_visits(uow, 2026, 11)}[d] == "unseen"
        # after the month has ended an unseen-only household is overdue
        states = {v.watch_household_id: v.state for v in discovery.due_visits(uow, 2026, 11, on=date(2026, 12, 1))}
    assert states == {a: "done", b: "overdue", c: "done", d: "overdue", late: "overdue"}
    with UnitOfWork(db, CLERK, write=False) as uow:
        report = discovery.monthly_report(uow, 2026, 10)
    assert [(r.village, r.due, r.done, r.unseen, r.overdue) for r in report] == [("青山村", 4, 1, 0, 3)]


def test_leaving_the_roster_lifts_the_month_and_unseen_needs_action(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    a = add(db, n=1)
    with UnitOfWork(db, CLERK) as uow:
        with pytest.raises(UserError, match="处置情况"):
            discovery.record_visit(uow, a, "2026-11-02", "刘协理", False)
        with pytest.raises(UserError, match="走访日期"):
            discovery.record_visit(uow, a, "2026-11-21", "刘协理", True, living="好")
        with pytest.raises(UserError, match="原因"):
            discovery.set_status(uow, a, "removed", "  ")
        discovery.set_status(uow, a, "removed", "已迁出本村", on="2026-11-10")
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert discovery.due_visits(uow, 2026, 11) == []
        assert [v.watch_household_id for v in discovery.due_visits(uow, 2026, 10)] == [a]


def _audit_count(db) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        return uow.session.query(AuditEntry).count()


def test_a_lead_becomes_an_inquiry_with_channel_active_discovery(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    a = add(db, n=1)
    with UnitOfWork(db, CLERK) as uow:
        visit = discovery.record_visit(uow, a, "2026-11-10", "刘协理", True, living="取暖困难",
                                       needs="冬季取暖困难", action="上报窗口")
    before = _audit_count(db)
    with UnitOfWork(db, CLERK) as uow:
        inquiry_id = discovery.raise_lead(uow, visit.id, "", "urgent")
    assert _audit_count(db) == before + 1  # exactly the first inquiry's entry, written by inquiries.create
    with UnitOfWork(db, CLERK) as uow:
        inquiry = uow.session.get(Inquiry, inquiry_id)
        assert inquiry is not None
        head = uow.session.get(Person, inquiry.visitor_person_id)
        assert inquiry.channel == "active_discovery" and inquiry.urgent
        assert inquiry.matter.startswith("冬季取暖困难") and head is not None and head.name == "王大爷"
        # the 首问 flow's own fields: open, a due date, the actor as first responder and handler
        assert inquiry.status == "open" and inquiry.outcome is None and inquiry.due_date is not None
        assert inquiry.first_responder == "张窗口" and inquiry.handled_by == "张窗口"
        audit = uow.session.query(AuditEntry).filter_by(action="inquiry.create").one()
        assert audit.entity_id == str(inquiry_id)
        assert nid(1) not in audit.changes and "王大爷" not in audit.changes
        with pytest.raises(UserError, match="已登记为首问"):
            discovery.raise_lead(uow, visit.id, "再报一次")
        report = discovery.monthly_report(uow, 2026, 11)
        assert report[0].leads == 1 and report[0].cases_opened == 0
    with UnitOfWork(db, CLERK, write=False) as uow:
        listed = inquiries.find(uow, inquiries.InquiryFilter(channel="active_discovery"))
    assert [r.id for r in listed] == [inquiry_id]


def test_a_lead_refused_by_the_inquiry_service_saves_nothing(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    a = add(db, n=1)
    with UnitOfWork(db, CLERK) as uow:
        visit = discovery.record_visit(uow, a, "2026-11-10", "刘协理", True, living="尚可", needs="需要", action="上报")
    before = _audit_count(db)
    with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError) as err:
        discovery.raise_lead(uow, visit.id, "困" * 1990)  # fits the visit, too long with the 走访 note added
    assert err.value.field == "求助事项"
    with UnitOfWork(db, CLERK) as uow:
        assert uow.session.query(Inquiry).count() == 0 and _audit_count(db) == before
        assert discovery.visits_of(uow, a)[0].inquiry_id is None
    with UnitOfWork(db, Actor(label="x", role="", user_id=None)) as nobody, pytest.raises(PermissionDenied):
        discovery.raise_lead(nobody, visit.id, "需要")


def test_roster_status_for_the_history_panel(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    a = add(db, n=1)
    with UnitOfWork(db, CLERK) as uow:
        discovery.record_visit(uow, a, "2026-11-03", "刘协理", True, living="尚可")
    with UnitOfWork(db, CLERK, write=False) as uow:
        found = discovery.roster_status_of(uow, [nid(1), nid(7)])
    assert [s.id_number for s in found] == [nid(1)]
    assert "重点人群花名册（青山村，关注中" in found[0].describe() and "2026-11-03" in found[0].describe()


# --- observation ----------------------------------------------------------------------------------


def test_observation_review_dates_and_closing_needs_supervisor_and_reason(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    add(db, n=1)
    with UnitOfWork(db, CLERK, write=False) as uow:
        person_id = discovery.roster(uow)[0].head_person_id
    with UnitOfWork(db, CLERK) as uow:
        entry = discovery.place_on_observation(uow, person_id, "人均收入略高于标准")
    assert entry.review_date == date(2027, 2, 20)
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert discovery.observation_list(uow, due_by=date(2027, 2, 19)) == []
        assert [e.id for e in discovery.observation_list(uow, due_by=date(2027, 2, 20))] == [entry.id]
    with UnitOfWork(db, CLERK) as uow:
        reviewed = discovery.review_observation(uow, entry.id, "情况未变", on=date(2027, 2, 21))
    assert reviewed.review_date == date(2027, 5, 21) and reviewed.last_reviewed_on == date(2027, 2, 21)
    with UnitOfWork(db, CLERK) as uow:
        with pytest.raises(UserError, match="下次复查日期"):
            discovery.review_observation(uow, entry.id, "再看", next_review="2027-02-01", on=date(2027, 2, 21))
        with pytest.raises(PermissionDenied):
            discovery.close_observation(uow, entry.id, "已纳入低保")
    with UnitOfWork(db, SUPERVISOR) as uow:
        with pytest.raises(UserError, match="移出理由"):
            discovery.close_observation(uow, entry.id, "")
        closed = discovery.close_observation(uow, entry.id, "已纳入低保")
    assert closed.status == "closed"


# --- monitoring -----------------------------------------------------------------------------------


def test_monitoring_warns_when_a_new_period_raises_the_standard(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    text = resource("policy", "default.toml").read_text(encoding="utf-8")
    raised = text + '\n[[period]]\neffective_from = "2027-01-01"\n[period.standards]\ndibao_rural = 700\n'
    policy = parse_policy(raised, "raised.toml")
    add(db, n=1)
    with UnitOfWork(db, CLERK, write=False) as uow:
        person_id = discovery.roster(uow)[0].head_person_id
    with UnitOfWork(db, CLERK) as uow:
        discovery.add_monitoring(uow, person_id, "rural", 2, Decimal("650.00"), "2026-06-01")
        discovery.add_monitoring(uow, person_id, "rural", 3, Decimal("900.00"), "2026-06-01")
    with UnitOfWork(db, CLERK, write=False) as uow:
        now_ = discovery.monitoring_warnings(uow, policy, date(2026, 11, 20))
        later = discovery.monitoring_warnings(uow, policy, date(2027, 1, 1))
    base_dibao = policy.period_on(date(2026, 11, 20)).standards.dibao_rural
    assert base_dibao == Decimal("630")
    first, second = now_
    assert first.state == "low_income" and not first.recheck_due
    assert any("2027-01-01" in w and "低于低保标准" in w for w in first.warnings)
    assert not second.warned  # 900 stays between 700 and 1400
    assert later[0].state == "below_dibao" and later[0].dibao == Decimal("700")
    assert "按现行标准低于低保标准" in later[0].warnings
    with UnitOfWork(db, CLERK, write=False) as uow:
        recheck = discovery.monitoring_warnings(uow, policy, date(2027, 6, 1))
    assert recheck[1].recheck_due and any("复核日期" in w for w in recheck[1].warnings)


# --- spot check, export ---------------------------------------------------------------------------


def test_spot_check_is_reproducible_and_supervisors_only(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    ids = [add(db, n=i) for i in range(1, 8)]
    for hid in ids:
        with UnitOfWork(db, CLERK) as uow:
            discovery.record_visit(uow, hid, "2026-10-10", "刘协理", True, living="尚可")
    with UnitOfWork(db, CLERK) as uow, pytest.raises(PermissionDenied):
        discovery.draw_spot_check(uow, "2026Q4", 7)
    with UnitOfWork(db, SUPERVISOR) as uow:
        drawn = discovery.draw_spot_check(uow, "2026q4", 7, cases=2, visits=3)
    visit_ids = [i.ref_id for i in drawn.items if i.kind == "visit"]
    assert len(visit_ids) == 3
    assert discovery.sample("2026Q4", 7, [], sorted(visit_ids + [x for x in range(1, 8) if x not in visit_ids]),
                            2, 3)[1] == visit_ids
    with UnitOfWork(db, SUPERVISOR) as uow:
        with pytest.raises(UserError, match="随机数"):
            discovery.draw_spot_check(uow, "2026Q4", 7)
        with pytest.raises(UserError, match="问题说明"):
            discovery.record_check(uow, drawn.items[0].id, "problem")
        item = discovery.record_check(uow, drawn.items[0].id, "problem", "走访记录无被访人签字")
    assert item.result == "problem" and item.checked_by == "li"


def test_exports_roster_report_and_visit_sheets(db, fixed_today) -> None:  # type: ignore[no-untyped-def]
    add(db, n=1)
    with UnitOfWork(db, CLERK) as uow:
        discovery.add_staff(uow, "assistant", "刘协理", village="青山村", post="协理员")
        entries = discovery.roster(uow)
        report = discovery.monthly_report(uow, 2026, 11)
        data = discovery_export.rosters_xlsx(entries, discovery.staff(uow, "assistant"), [], "示范镇")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["附件1 重点人群花名册", "附件3 协理员花名册", "附件4 信息采集组花名册"]
    assert wb.worksheets[0]["D3"].value == nid(1) and wb.worksheets[0]["J3"].value.date() == date(2026, 9, 1)
    rep = load_workbook(io.BytesIO(discovery_export.report_xlsx(report, 2026, 11)))
    assert [c.value for c in rep.active[3]][:4] == ["青山村", 1, 1, 0]
    pdf = discovery_export.visit_sheets_pdf(entries * 2, 2026, 11, "示范镇")
    assert pdf.startswith(b"%PDF")
    import pypdfium2
    assert len(pypdfium2.PdfDocument(pdf)) == 2


def test_cli_import_report_and_bad_month(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import run_cli

    db = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    good = tmp_path / "qs.xlsx"
    good.write_bytes(workbook([[1, "青山村", "王一", nid(1), "户主", "1组", "独居老人", "刘协理", "2026-10-01"]]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([[1, "青山村", "王一", "123", "户主", "1组", "独居老人", None, None]]))
    refused = run_cli("--db", db, "discovery", "import", str(bad))
    assert refused.returncode == 2 and "第3行 身份证号码" in refused.stderr
    done = run_cli("--db", db, "discovery", "import", str(good))
    assert done.returncode == 0 and "已导入 1 户、1 人" in done.stdout
    report = run_cli("--db", db, "discovery", "report", "--month", "2026-10")
    assert report.returncode == 0 and '"due": 1' in report.stdout and '"overdue": 1' in report.stdout
    assert run_cli("--db", db, "discovery", "report", "--month", "2026-13").returncode == 2


def test_accepted_cases_flagged_for_monitoring_join_the_list_with_their_income(db) -> None:  # type: ignore[no-untyped-def]
    """Cases accepted through submit_case keep a slim assessment (no per-capita figure stored): the
    monitoring list must still take every one flagged ``dynamic_monitoring``, with the recomputed income."""
    from window_desk.db.models import Assessment, Case, MonitoringEntry
    from window_desk.services import assessment_store, demo, intake
    from window_desk.services.policy_store import active_policy
    from sqlalchemy import select

    with UnitOfWork(db, CLERK, write=False) as uow:
        active = active_policy(uow)
    for payload in demo.payloads(40, 30, 7, date(2026, 11, 20)):
        with UnitOfWork(db, CLERK) as uow:
            intake.submit_case(uow, payload, active, "示范镇")
    expected: dict[int, str] = {}
    with UnitOfWork(db, CLERK, write=False) as uow:
        for case, row in uow.session.execute(select(Case, Assessment).join(Assessment, Assessment.case_id == Case.id)):
            full = assessment_store.full_result(uow, row)
            if "dynamic_monitoring" in full["flags"] and case.tier in (
                    "low_income", "dibao", "observation", "expenditure", "emergency"):
                expected[case.id] = full["per_capita_income"]
    assert expected, "the demo households include some flagged for monitoring"
    with UnitOfWork(db, CLERK) as uow:
        discovery.sync_from_cases(uow)
    with UnitOfWork(db, CLERK, write=False) as uow:
        got = {e.case_id: e.per_capita_income for e in uow.session.scalars(select(MonitoringEntry))}
    assert set(got) == set(expected)
    assert all(Decimal(str(got[c])) == Decimal(expected[c]) for c in expected)


def test_sync_takes_new_cases_a_page_at_a_time_and_each_case_once(db) -> None:  # type: ignore[no-untyped-def]
    """The sync reads new cases by primary key after its mark: pages of a fixed size, the same lists as one
    pass over everything, nothing added twice, and a later case taken by the next step."""
    from sqlalchemy import func, select

    from tests.sqlplans import sqlite_plans
    from window_desk.db.models import MonitoringEntry, ObservationEntry
    from window_desk.services import demo, discovery_sync, settings

    demo.fill(db, Actor.cli(), 45, 20, 8, date(2026, 11, 20), "示范镇", others=False)

    def lists() -> tuple[set[int | None], set[int | None]]:
        with UnitOfWork(db, CLERK, write=False) as uow:
            return (set(uow.session.scalars(select(ObservationEntry.case_id))),
                    set(uow.session.scalars(select(MonitoringEntry.case_id))))

    steps = []
    while not steps or not steps[-1].done:
        with UnitOfWork(db, CLERK) as uow:
            steps.append(discovery.sync_step(uow, size=10))
    assert [s.reached for s in steps] == [10, 20, 30, 40, 45] and steps[-1].left == 0 and steps[0].left == 35
    paged = lists()
    assert sum(s.added for s in steps) == len(paged[0]) + len(paged[1]) > 0
    with UnitOfWork(db, CLERK) as uow:  # nothing new: nothing added, no duplicates from the look-back
        again = discovery.sync_step(uow, size=10)
    assert again.added == 0 and again.done and lists() == paged
    with UnitOfWork(db, CLERK, write=False) as uow:
        counts = [uow.session.scalar(select(func.count()).select_from(t)) for t in (ObservationEntry, MonitoringEntry)]
    assert counts == [len(paged[0]), len(paged[1])]

    # One pass over the same cases in another database gives the same lists.
    from window_desk.db.engine import open_database

    other = open_database(str(db.engine.url).replace(".sqlite3", "-other.sqlite3"))
    try:
        demo.fill(other, Actor.cli(), 45, 20, 8, date(2026, 11, 20), "示范镇", others=False)
        with UnitOfWork(other, CLERK) as uow:
            discovery.sync_from_cases(uow, size=7)
        with UnitOfWork(other, CLERK, write=False) as uow:
            assert (set(uow.session.scalars(select(ObservationEntry.case_id))),
                    set(uow.session.scalars(select(MonitoringEntry.case_id)))) == paged
    finally:
        other.dispose()

    # Each step's reads go through the cases' primary key (and the assessments' case index), not a scan.
    def step() -> None:
        with UnitOfWork(db, CLERK) as uow:
            discovery.sync_step(uow, size=10)

    plans = sqlite_plans(db, step)
    assert plans
    for statement, plan in plans:
        assert "SCAN cases" not in plan and "SCAN assessments" not in plan, (statement, plan)
    assert discovery_sync.MARK_KEY not in settings.DEFAULTS  # bookkeeping, not shown as a setting
