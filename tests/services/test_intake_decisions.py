"""Every decision from the intake page, signatures before acceptance, and no duplicate assistance."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, text

from tests.services.test_documents import _pdftotext
from tests.services.test_intake import CLERK, DAY, _payload, _submit
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, Case, Document, Member
from window_desk.errors import UserError
from window_desk.services import case_documents, intake, settings
from window_desk.uow import UnitOfWork

APPLICANT_ID = "110105198603150032"
CHILD_ID = "110105201003070017"
OTHER_ID = "11010519491231002X"


@pytest.fixture(autouse=True)
def phone(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456", "review_body": "示范区人民政府",
                              "court": "示范区人民法院"})


def _issue(db, case_id, kind):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        return case_documents.issue_for_case(uow, case_id, kind)


def _audit(db, action):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        return [json.loads(e.changes) for e in uow.session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def test_rejection_records_the_decision_and_prints_reasons_basis_and_remedy(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow:
        decided = intake.reject_case(uow, _payload(), "示范镇", ["户籍不在本镇", " ", "家庭存款超过规定"],
                                     "《社会救助暂行办法》第十一条")
    assert decided.kind == "rejection_notice"
    with UnitOfWork(db, CLERK, write=False) as uow:
        case = uow.session.get(Case, decided.case_id)
        assert case is not None and case.status == "rejected"
        assert case.decision_reason == "户籍不在本镇\n家庭存款超过规定"
        assert case.decision_basis == "《社会救助暂行办法》第十一条"
        printables = [p.kind for p in case_documents.printables(uow, case.id)]
    assert printables == ["rejection_notice"]
    entries = _audit(db, "case.reject")
    assert len(entries) == 1 and entries[0]["reasons"] == ["户籍不在本镇", "家庭存款超过规定"]
    assert APPLICANT_ID not in json.dumps(entries[0], ensure_ascii=False)  # people by internal id only
    printed = _pdftotext(_issue(db, decided.case_id, "rejection_notice").pdf)
    for value in ("不予受理告知书", "户籍不在本镇", "家庭存款超过规定", "第十一条", "示范区人民政府", "示范区人民法院"):
        assert value in printed, value


def test_rejection_needs_a_reason_and_a_basis(db) -> None:  # type: ignore[no-untyped-def]
    for reasons, basis, field in ((["  "], "第十一条", "不予受理理由"), (["户籍不在本镇"], "", "政策依据")):
        with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError) as err:
            intake.reject_case(uow, _payload(), "示范镇", reasons, basis)
        assert err.value.field == field
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert uow.session.scalars(select(Case)).first() is None


def test_one_time_notice_lists_every_missing_item_and_the_supplement_by_date(db) -> None:  # type: ignore[no-untyped-def]
    by = date(2026, 12, 9)
    with UnitOfWork(db, CLERK) as uow:
        decided = intake.notify_missing(uow, _payload(), "示范镇", ["户口簿", "收入情况证明", "村委会出具的居住证明"], by)
    with UnitOfWork(db, CLERK, write=False) as uow:
        case = uow.session.get(Case, decided.case_id)
        assert case is not None and case.status == "missing_materials" and case.supplement_by == by
    assert len(_audit(db, "case.missing_materials")) == 1
    printed = _pdftotext(_issue(db, decided.case_id, "missing_materials_notice").pdf)
    for value in ("一次性告知书", "户口簿", "收入情况证明", "村委会出具的居住证明", "2026年12月9日"):
        assert value in printed or value.replace("年", "-").replace("月", "-").rstrip("日") in printed, value


def test_supplement_by_is_never_before_the_application_date(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError) as err:
        intake.notify_missing(uow, _payload(), "示范镇", ["户口簿"], date.fromisoformat(DAY).replace(day=20))
    assert err.value.field == "补齐期限"
    assert intake.default_supplement_by(date(2026, 11, 24), date(2026, 11, 24)) > date(2026, 11, 24)
    # An application dated later than "today" (a wrong PC clock) still gets a date after it.
    assert intake.default_supplement_by(date(2026, 12, 1), date(2026, 11, 1)) > date(2026, 12, 1)


def test_acceptance_notice_states_the_application_date(db) -> None:  # type: ignore[no-untyped-def]
    accepted = _submit(db, _payload())
    with UnitOfWork(db, CLERK, write=False) as uow:
        data = case_documents.data_for(uow, accepted.case_id, "acceptance_notice")
    assert data["accepted_at"] == DAY
    assert data["deadline"] >= DAY


def test_authorization_before_acceptance_lists_guardians_and_joins_the_case(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    payload["members"][1]["guardian"] = {"name": "王䶮", "relation": "parent", "id_number": APPLICANT_ID}
    adult = intake.blank_member("parent")
    adult.update(name="王老汉", id_number=OTHER_ID, lacks_capacity=True, signed=True,
                 guardian={"name": "王大山", "relation": "child", "id_number": "110105197001010011"})
    payload["members"].append(adult)
    with UnitOfWork(db, CLERK) as uow:
        issued = case_documents.issue_authorization(uow, payload)
    assert issued.case_id is None and "救授" in issued.number
    printed = _pdftotext(issued.pdf)
    for value in ("王小明", "监护人：王䶮（父母）", "王老汉", "监护人：王大山（子女）", "110105197001010011"):
        assert value in printed, value
    assert "（监护人）" not in printed
    payload["authorization_documents"] = [issued.id]
    accepted = _submit(db, payload)
    with UnitOfWork(db, CLERK, write=False) as uow:
        doc = uow.session.get(Document, issued.id)
        assert doc is not None and doc.case_id == accepted.case_id
        members = uow.session.scalars(select(Member).order_by(Member.seq)).all()
        assert [(m.guardian_name, m.guardian_relation, m.lacks_capacity) for m in members] == [
            ("", "", False), ("王䶮", "parent", False), ("王大山", "child", True)]


def test_a_minor_without_a_guardian_cannot_be_printed_or_accepted(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    payload["members"][1]["guardian"] = intake.blank_guardian()
    with UnitOfWork(db, CLERK) as uow, pytest.raises(UserError) as err:
        case_documents.issue_authorization(uow, payload)
    assert "监护人" in str(err.value)
    with pytest.raises(intake.FormErrors) as errors:
        _submit(db, payload)
    assert [p.path for p in errors.value.problems] == [
        ("members", 1, "guardian", "name"), ("members", 1, "guardian", "relation"),
        ("members", 1, "guardian", "id_number")]


def test_acceptance_waits_for_signatures_or_a_written_reason(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload()
    payload["members"][1]["signed"] = False
    with pytest.raises(UserError) as err:
        _submit(db, payload)
    assert err.value.field == "未签字原因" and "王小明（由监护人王䶮代签）" in err.value.message
    payload["unsigned_reason"] = "监护人外出务工,三日内补签"
    accepted = _submit(db, payload)
    with UnitOfWork(db, CLERK, write=False) as uow:
        case = uow.session.get(Case, accepted.case_id)
        assert case is not None and case.unsigned_reason == "监护人外出务工,三日内补签"
    assert _audit(db, "case.accept")[0]["unsigned_reason"] == "监护人外出务工,三日内补签"
    printed = _pdftotext(_issue(db, accepted.case_id, "application").pdf)
    assert "监护人外出务工" in printed


def test_every_form_error_at_once_in_form_order(db) -> None:  # type: ignore[no-untyped-def]
    payload = _payload(matter="", application_date="2099-01-01")
    payload["members"][0]["income"]["wage"] = "-500"
    payload["members"][1]["income"]["other"] = "1,200"
    payload["assets"]["deposits"] = "12.345"
    problems = intake.form_errors(payload, date(2026, 12, 1))
    assert [p.path for p in problems] == [
        ("application_date",), ("matter",), ("members", 0, "income", "wage"),
        ("members", 1, "income", "other"), ("assets", "deposits")]
    texts = [p.text() for p in problems]
    assert "不能晚于今天" in texts[0]
    assert texts[2].startswith("第1位成员（王䶮）·工资性收入：不能为负数")
    assert "千位分隔符" in texts[3] and "最多保留两位小数" in texts[4]


def test_a_member_in_another_open_case_stops_acceptance_until_a_reason_is_written(db) -> None:  # type: ignore[no-untyped-def]
    first = _submit(db, _payload())
    # A new household: someone else applies, with the child of the first case as a member (another name typed).
    payload = _payload()
    payload["members"][0].update(name="李芳", id_number=OTHER_ID)
    payload["members"][1]["name"] = "王晓明"
    payload["members"][1]["guardian"] = {"name": "李芳", "relation": "parent", "id_number": OTHER_ID}
    with UnitOfWork(db, CLERK, write=False) as uow:
        findings = intake.duplicate_check(uow, payload)
    blocking = [f for f in findings if f.blocking]
    assert [(f.member_index, f.case_number) for f in blocking] == [(1, first.number)]
    assert any(not f.blocking and "王小明" in f.text and "王晓明" in f.text for f in findings)  # the name differs
    with pytest.raises(intake.DuplicateAssistance) as err:
        _submit(db, payload)
    assert first.number in str(err.value)
    payload["duplicate_reason"] = "原个案已申请撤回,监护关系变更"
    second = _submit(db, payload)
    with UnitOfWork(db, CLERK, write=False) as uow:
        case = uow.session.get(Case, second.case_id)
        assert case is not None and case.duplicate_reason == "原个案已申请撤回,监护关系变更"
    entry = _audit(db, "case.accept")[1]
    assert entry["duplicates"] == [first.number] and entry["duplicate_reason"] == "原个案已申请撤回,监护关系变更"


def test_a_person_already_receiving_the_benefit_is_stopped(db) -> None:  # type: ignore[no-untyped-def]
    first = _submit(db, _payload())
    with UnitOfWork(db, CLERK) as uow:
        case = uow.session.get(Case, first.case_id)
        assert case is not None
        case.status = "closed"  # granted and done: the household now receives 低保
        uow.commit()
    payload = _payload()
    with UnitOfWork(db, CLERK, write=False) as uow:
        assert [f for f in intake.duplicate_check(uow, payload) if f.blocking] == []  # not open any more
        findings = intake.duplicate_check(uow, payload, {"dibao"})
    assert {f.member_index for f in findings if f.blocking} == {0, 1}
    assert all("享受最低生活保障" in f.text or "享受低保" in f.text for f in findings if f.blocking)
    with pytest.raises(intake.DuplicateAssistance):
        _submit(db, payload)


def test_history_queries_use_indexes(db) -> None:  # type: ignore[no-untyped-def]
    _submit(db, _payload())
    statements = []
    from sqlalchemy import event

    def record(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with UnitOfWork(db, CLERK, write=False) as uow:
            intake.history_for(uow, [APPLICANT_ID, CHILD_ID])
            intake.duplicate_check(uow, _payload(), {"dibao"})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) >= 5
    with db.engine.connect() as conn:
        for statement, params in statements:
            plan = " | ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                             tuple(params)))
            # Every table is reached through an index (a full SCAN only of a table with no rows to pick by).
            for table in ("persons", "members", "cases", "referrals", "inquiries"):
                assert f"SCAN {table}" not in plan.replace(f"SCAN {table} USING", ""), (statement, plan)
