"""The register at scale: query plans that must not scan, the dense-search path, matched members,
sorting and filters, closing a case, slim assessments, and the bulk demo data's audit chain."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.conftest import run_cli
from tests.sqlplans import select_statements, sqlite_plans
from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.models import Assessment, AuditEntry, Case, Member, Person
from window_desk.errors import UserError
from window_desk.services import assessment_store, demo, intake, register
from window_desk.services.persons import name_initials
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

ADMIN = Actor.cli()
TABLE_SCAN = re.compile(r"\bSCAN (persons|members|cases|households|referrals|case_name_keys)\b")
END = date(2026, 11, 24)


@pytest.fixture
def filled(db):  # type: ignore[no-untyped-def]
    demo.fill(db, ADMIN, 60, 30, 11, END, "示范镇")
    return db


def _sqlite_plans(db: Any, fn: Any) -> list[str]:
    return [plan for _statement, plan in sqlite_plans(db, fn)]


def _search(db: Any, flt: register.CaseFilter) -> Any:
    def run() -> None:
        with UnitOfWork(db, ADMIN, write=False) as uow:
            register.find_cases(uow, flt, limit=50)
            register.count_cases(uow, flt)
    return run


def _queries(db: Any) -> dict[str, register.CaseFilter]:
    with UnitOfWork(db, ADMIN, write=False) as uow:
        person = uow.session.scalars(select(Person).order_by(Person.id.desc())).first()
        assert person is not None
        return {"id": register.CaseFilter(query=person.id_number), "name": register.CaseFilter(query=person.name[:2]),
                "initials": register.CaseFilter(query=person.name_initials[:2]),
                "none": register.CaseFilter(query="不存在"), "with filters": register.CaseFilter(
                    query=person.name[:1], status="accepted", tier="dibao", overdue_only=True, sort="deadline"),
                "surname": register.CaseFilter(query=person.name[:1]),
                "surname, filtered": register.CaseFilter(query=person.name[:1], status="accepted", descending=False)}


def test_searches_never_scan_a_table_on_sqlite(filled) -> None:  # type: ignore[no-untyped-def]
    for label, flt in _queries(filled).items():
        plans = _sqlite_plans(filled, _search(filled, flt))
        assert plans, label
        for plan in plans:
            # Every table reached by SEARCH on an index (a SCAN of a small subquery's result is fine).
            assert not TABLE_SCAN.search(plan), f"{label}: {plan}"


def test_the_unfiltered_register_is_read_in_index_order(filled) -> None:  # type: ignore[no-untyped-def]
    for sort in register.SORTS:
        for descending in (True, False):
            flt = register.CaseFilter(sort=sort, descending=descending)

            def first_and_next(flt: register.CaseFilter = flt) -> None:
                with UnitOfWork(filled, ADMIN, write=False) as uow:
                    page = register.find_cases(uow, flt, limit=5)
                    register.find_cases(uow, flt, after=register.cursor_after(page[-1], flt), limit=5)

            for plan in _sqlite_plans(filled, first_and_next):
                assert "TEMP B-TREE" not in plan, f"{sort}: sorted in memory: {plan}"
                for line in plan.splitlines():
                    assert "SCAN cases" not in line or "INDEX" in line, f"{sort}: {plan}"


def test_a_surname_page_comes_off_the_name_keys_in_page_order(filled) -> None:  # type: ignore[no-untyped-def]
    """One character: the first page and the next read ``case_name_keys`` by its primary key, in the
    page's order (no sorting in memory, no scan), and no other table but by primary key."""
    first = _queries(filled)["surname"].query
    for descending in (True, False):
        flt = register.CaseFilter(query=first, descending=descending)

        def first_and_next(flt: register.CaseFilter = flt) -> None:
            with UnitOfWork(filled, ADMIN, write=False) as uow:
                page = register.find_cases(uow, flt, limit=3)
                register.find_cases(uow, flt, after=register.cursor_after(page[-1], flt), limit=3)

        plans = _sqlite_plans(filled, first_and_next)
        keyed = [p for p in plans if "case_name_keys" in p]
        assert len(keyed) == 2, plans
        for plan in keyed:
            assert "SEARCH case_name_keys USING PRIMARY KEY (name_first=?" in plan, plan
            assert "TEMP B-TREE" not in plan and not TABLE_SCAN.search(plan), plan


def test_surname_keys_agree_with_the_people_index(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same pages and counts by ``case_name_keys`` as by persons → members → cases, paged, filtered."""
    first = _queries(filled)["surname"].query
    filters = [register.CaseFilter(query=first), register.CaseFilter(query=first, descending=False),
               register.CaseFilter(query=first, status="accepted"), register.CaseFilter(query=first, overdue_only=True)]

    def pages(flt: register.CaseFilter) -> tuple[list[Any], register.CountResult]:
        with UnitOfWork(filled, ADMIN, write=False) as uow:
            seen, after = [], None
            while page := register.find_cases(uow, flt, after=after, limit=4):
                seen += page
                after = register.cursor_after(page[-1], flt)
            return seen, register.count_cases(uow, flt)

    keyed = [pages(f) for f in filters]
    monkeypatch.setattr(register, "surname_of", lambda _q: None)
    assert keyed == [pages(f) for f in filters]
    assert keyed[0][0] and keyed[0][1].n == len(keyed[0][0]) and any(r.matched for r in keyed[0][0])


def test_a_renamed_person_moves_between_surname_keys(filled) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import persons

    with UnitOfWork(filled, ADMIN) as uow:
        person = uow.session.scalars(select(Person).order_by(Person.id)).first()
        assert person is not None
        old_first, number = person.name[:1], person.id_number
        persons.upsert(uow, number, "䶮" + person.name[1:], person.sex, person.birth_date)
        uow.commit()
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        found = register.find_cases(uow, register.CaseFilter(query="䶮"), limit=500)
        assert any(r.applicant_id_masked[:4] == number[:4] for r in found)
        mine = {c for (c,) in uow.session.execute(
            select(Case.id).join(Member, Member.household_id == Case.household_id)
            .join(Person, Person.id == Member.person_id).where(Person.id_number == number))}
        assert mine <= {r.id for r in found}
        again = {r.id for r in register.find_cases(uow, register.CaseFilter(query=old_first), limit=500)}
        still = {c for (c,) in uow.session.execute(
            select(Case.id).join(Member, Member.household_id == Case.household_id)
            .join(Person, Person.id == Member.person_id).where(Person.name.like(old_first + "%")))}
        assert again == still


def test_dense_matches_walk_the_cases_and_agree(filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    flt = register.CaseFilter(query=_queries(filled)["name"].query[:1])
    monkeypatch.setattr(register, "surname_of", lambda _q: None)  # the walk, not the surname keys
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        sparse = register.find_cases(uow, flt, limit=100)
        sparse_count = register.count_cases(uow, flt)
    monkeypatch.setattr(register, "DENSE", 1)
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        assert register._matched_households(uow, register.person_match(flt.query)) is None  # noqa: SLF001
        dense = register.find_cases(uow, flt, limit=100)
        assert register.count_cases(uow, flt) == sparse_count
    assert sparse and dense == sparse


def test_the_member_who_matched_is_named_when_not_the_applicant(filled) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        member, person, case = uow.session.execute(
            select(Member, Person, Case).join(Person, Person.id == Member.person_id)
            .join(Case, Case.household_id == Member.household_id).where(Member.seq > 0).limit(1)).one()
        applicant = uow.session.get(Person, case.applicant_person_id)
        by_member = register.find_cases(uow, register.CaseFilter(query=person.id_number))
        by_applicant = register.find_cases(uow, register.CaseFilter(query=applicant.id_number))
        case_id, person_name, applicant_name = case.id, person.name, applicant.name
    assert [r.id for r in by_member] == [case_id]
    assert by_member[0].matched.startswith(person_name + "(") and by_member[0].applicant_name == applicant_name
    assert by_applicant[0].matched == ""  # the applicant is already shown
    assert by_member[0].to_json()["matched_member"] == by_member[0].matched


def test_sorting_and_filters_page_without_gaps(filled) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        cases = uow.session.scalars(select(Case)).all()
        for sort, key in (("deadline", lambda c: c.deadline), ("tier", lambda c: c.tier),
                          ("status", lambda c: c.status), ("date", lambda c: c.application_date)):
            for descending in (False, True):
                flt = register.CaseFilter(sort=sort, descending=descending)
                seen: list[int] = []
                after = None
                while page := register.find_cases(uow, flt, after=after, limit=7):
                    seen += [r.id for r in page]
                    after = register.cursor_after(page[-1], flt)
                dated = sorted((c for c in cases if key(c) is not None), key=lambda c: (key(c), c.id),
                               reverse=descending)
                undated = sorted((c.id for c in cases if key(c) is None), reverse=descending)
                assert seen == [c.id for c in dated] + undated, (sort, descending)
        overdue = register.find_cases(uow, register.CaseFilter(overdue_only=True), limit=1000)
        assert overdue and all(r.overdue for r in overdue)
        assert {r.id for r in overdue} == {c.id for c in cases if c.deadline and c.deadline < today()
                                           and c.status in register.OPEN_STATUSES}
        clerk = register.clerks(uow)[0]
        mine = register.find_cases(uow, register.CaseFilter(clerk=clerk), limit=1000)
        assert mine and {r.id for r in mine} == {c.id for c in cases if c.created_by == clerk}
        day = cases[0].application_date
        that_day = register.find_cases(uow, register.CaseFilter(day=day), limit=1000)
        assert {r.id for r in that_day} == {c.id for c in cases if c.application_date == day}
        assert set(register.clerks(uow)) == {c.created_by for c in cases}
        with pytest.raises(UserError) as err:
            register.find_cases(uow, register.CaseFilter(sort="matter"))
        assert err.value.field == "排序"


def test_closing_and_withdrawing_need_a_reason_and_are_audited(filled) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        open_ids = [r.id for r in register.find_cases(uow, register.CaseFilter(status="accepted"), limit=2)]
    with UnitOfWork(filled, ADMIN) as uow:
        with pytest.raises(UserError) as err:
            register.close_case(uow, open_ids[0], "closed", " 好 ")
        assert err.value.field == "理由"
        with pytest.raises(UserError):
            register.close_case(uow, open_ids[0], "lost", "申请人搬走")
    with UnitOfWork(filled, ADMIN) as uow:
        register.close_case(uow, open_ids[0], "withdrawn", "申请人书面撤回申请")
    with UnitOfWork(filled, ADMIN) as uow:
        with pytest.raises(UserError) as err:
            register.close_case(uow, open_ids[0], "closed", "再次办结")
        assert "已撤回" in err.value.message
    with UnitOfWork(filled, ADMIN, write=False) as uow:
        detail = register.case_detail(uow, open_ids[0])
        assert detail.status == "withdrawn" and detail.decision_reason == "申请人书面撤回申请" and not detail.is_open
        assert detail.audit[-1]["action"] == "case.withdraw" and detail.audit[0]["action"] == "case.accept"
        assert [a["action"] for a in detail.audit].count("case.accept") == 1  # one entry for the decision
        assert not any(a["action"] in ("assessment.create", "referral.create") for a in detail.audit)
        assert detail.payments == [] and detail.members and all("*" in m["id_number"] for m in detail.members)
        assert detail.measures and all(m["reason"] for m in detail.measures)  # reasons recomputed
        last = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        applicant = uow.session.get(Person, uow.session.get(Case, open_ids[0]).applicant_person_id)
        assert last is not None and applicant is not None and applicant.id_number not in last.changes
        assert audit.verify(uow.session).ok


def test_bulk_demo_data_matches_the_validated_path() -> None:
    for payload in demo.payloads(200, 30, 5, END):
        full, household = demo.fast_input(payload)
        assert full == intake.json_ready(intake.assessment_input(payload))
        from window_desk.assessment import household_from_json
        assert household == household_from_json(intake.assessment_input(payload))
        assert assessment_store.expand_input(assessment_store.compact_input(full)) == full


def test_bulk_demo_data_is_reproducible_and_names_are_indexed(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from window_desk.db.engine import open_database

    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        a = demo.fill(db, ADMIN, 30, 10, 4, END, "示范镇")
        b = demo.fill(other, ADMIN, 30, 10, 4, END, "示范镇")
        assert a == b

        def snapshot(database: Any) -> list[Any]:
            with UnitOfWork(database, ADMIN, write=False) as uow:
                return [tuple(r) for r in uow.session.execute(
                    select(Case.number, Case.status, Case.tier, Case.deadline, Case.created_by, Person.name,
                           Person.name_initials).join(Person, Person.id == Case.applicant_person_id)
                    .order_by(Case.id)).all()]

        rows = snapshot(db)
        assert rows == snapshot(other)
        assert all(initials == name_initials(name) for *_, name, initials in rows)
        with UnitOfWork(db, ADMIN, write=False) as uow:
            statuses = {r.status for r in uow.session.execute(text("SELECT status FROM referrals"))}
            assert {"sent", "received"} <= statuses  # receipts back and still out
            slim = uow.session.scalars(select(Assessment)).first()
            assert slim is not None and slim.format == assessment_store.SLIM
            assert slim.input is None and slim.result is None and slim.packed is not None
            entry = uow.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.accept",
                                                                 AuditEntry.entity_id == str(slim.case_id)))
            assert entry is not None
            said = json.loads(entry.changes)["assessment"]["input_sha256"]
            assert intake.sha256_json(assessment_store.expand_input(assessment_store.stored_input(slim))) == said
            assert assessment_store.full_result(uow, slim)["matches"]
    finally:
        other.dispose()


def test_bulk_initials_table_equals_pinyin_for_every_pair_the_generator_makes() -> None:
    """demo.initials_of joins per-character initials; pypinyin reads phrases, so every adjacent pair of
    characters a generated name can hold (surname + given, given + given, rare + given) is checked."""
    from window_desk.services.demo_people import GIVEN, RARE, SURNAMES

    firsts = list(SURNAMES) + list(GIVEN) + RARE
    pairs = [a + b for a in firsts for b in list(GIVEN) + RARE]
    assert len(pairs) > 10_000
    assert [demo.initials_of(p) for p in pairs] == [name_initials(p) for p in pairs]
    names = [p["members"][0]["name"] for p in demo.payloads(300, 30, 9, END)]
    assert [demo.initials_of(n) for n in names] == [name_initials(n) for n in names]


def test_bulk_acceptance_is_one_audit_entry_per_case(filled) -> None:  # type: ignore[no-untyped-def]
    """Each bulk case has the one ``case.accept`` entry submit_case writes (no separate assessment or
    referral entries); each receipt that came back has its own entry, as referrals.record_receipt writes."""
    import json

    with UnitOfWork(filled, ADMIN, write=False) as uow:
        entries = uow.session.scalars(select(AuditEntry).where(AuditEntry.actor.like("demo:%"))).all()
        accepts = [e for e in entries if e.action == "case.accept"]
        assert len(accepts) == 60 and {e.action for e in entries} == {"case.accept", "referral.receipt"}
        said = json.loads(accepts[0].changes)
        case = uow.session.get(Case, int(accepts[0].entity_id))
        assert case is not None and said["number"] == case.number
        row = uow.session.scalar(select(Assessment).where(Assessment.case_id == case.id))
        assert row is not None and said["assessment"]["id"] == row.id
        referral_ids = [i for (i,) in uow.session.execute(text(f"SELECT id FROM referrals WHERE case_id = {case.id}"))]
        assert said["referral_ids"] == referral_ids
        receipt = next(e for e in entries if e.action == "referral.receipt")
        assert set(json.loads(receipt.changes)) == {"status", "received_on", "feedback_on", "department", "late"}
        assert audit.verify(uow.session).ok


def test_rows_of_formats_two_and_three_stay_explained_and_format_four_packs(filled) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import assessment_pack

    with UnitOfWork(filled, ADMIN) as uow:
        row = uow.session.scalars(select(Assessment)).first()
        assert row is not None and row.format == 4 == assessment_store.SLIM
        assert row.input is None and row.result is None and row.policy_sha256 is None
        assert not {"policy", "tier"} & set(assessment_store.stored_result(row))  # in the row's columns
        assert len(row.packed) < len(json.dumps([assessment_store.stored_input(row),
                                                   assessment_store.stored_result(row)], ensure_ascii=False)) / 2
        full = assessment_store.full_result(uow, row)
        assert full["recomputed"] and full["matches"]
        shaped = assessment_store.stored_proposal(row)
        assert shaped == assessment_store.proposal(full, 2) and shaped["tier"] == row.tier
        for fmt in (2, 3):
            older = Assessment(case_id=row.case_id, policy_version_id=row.policy_version_id,
                               policy_locality=row.policy_locality, policy_effective_from=row.policy_effective_from,
                               tier=row.tier, input=assessment_store.stored_input(row),
                               result=assessment_store.proposal(full, fmt), format=fmt,
                               policy_sha256="0" * 64 if fmt == 2 else None, created_at=row.created_at,
                               created_by="old")
            uow.session.add(older)
            uow.session.flush()
            again = assessment_store.full_result(uow, older)
            # Format 2's stored policy hash is checked against its version row: a different one does not match.
            assert again["matches"] == (fmt == 3) and again["measures"] == full["measures"]
            assert assessment_store.stored_proposal(older) == shaped
        # A stored proposal that no longer matches today's rules stands as stored.
        kept = assessment_store.stored_result(row)
        row.packed = assessment_pack.pack(assessment_store.stored_input(row), dict(kept, measures=kept["measures"][:1]))
        changed = assessment_store.full_result(uow, row)
        assert not changed["matches"] and len(changed["measures"]) == 1 and changed["tier"] == row.tier


def test_the_packing_dictionary_is_the_one_format_four_was_written_with() -> None:
    """A changed byte of the preset dictionary would make every stored format-4 row unreadable."""
    import hashlib

    from window_desk.services import assessment_pack

    assert hashlib.sha256(assessment_pack.ZDICT_V1).hexdigest() == assessment_pack.ZDICT_V1_SHA256
    sample = ({"application_date": "2026-03-02", "members": [{"id_number": "11010519491231002X", "name": "王䶮"}]},
              {"measures": [{"code": "medical", "department": "区医保局", "due_date": "2026-03-16"}]})
    blob = assessment_pack.pack(*sample)
    assert assessment_pack.unpack(blob) == sample
    # Deflated against the dictionary: shorter than the text itself and than deflate without it.
    import zlib

    text = json.dumps({"i": sample[0], "p": sample[1]}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert len(blob) < len(zlib.compress(text.encode("utf-8"), 9)) < len(text.encode("utf-8"))


def test_old_full_assessments_stay_explained_as_stored(filled) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(filled, ADMIN) as uow:
        row = uow.session.scalars(select(Assessment)).first()
        assert row is not None
        full = assessment_store.full_result(uow, row)
        stored_full = {k: v for k, v in full.items() if k not in ("recomputed", "matches")}
        old = Assessment(case_id=row.case_id, policy_version_id=row.policy_version_id,
                         policy_locality=row.policy_locality, policy_effective_from=row.policy_effective_from,
                         tier=row.tier, input=assessment_store.expand_input(assessment_store.stored_input(row)),
                         result=stored_full,
                         format=1, created_at=row.created_at, created_by="old")
        uow.session.add(old)
        uow.session.flush()
        again = assessment_store.full_result(uow, old)
        assert not again["recomputed"] and again["measures"] == stored_full["measures"]


def test_cli_demo_data_keeps_the_chain_and_find_shows_the_member(db_url) -> None:  # type: ignore[no-untyped-def]
    made = run_cli("--db", db_url, "demo-data", "--cases", "25", "--days", "5", "--seed", "3")
    assert made.returncode == 0, made.stderr
    verified = run_cli("--db", db_url, "audit", "verify")
    assert verified.returncode == 0 and "校验通过" in verified.stdout, verified.stdout + verified.stderr
    payload = next(p for p in demo.payloads(25, 5, 3, today()) if len(p["members"]) > 1)
    member = payload["members"][1]
    found = run_cli("--db", db_url, "register", "find", member["id_number"])
    assert found.returncode == 0, found.stderr
    assert f'"matched_member": "{member["name"]}(' in found.stdout and member["id_number"] not in found.stdout


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.mark.postgres
def test_searches_use_indexes_on_postgres(pg_url: str) -> None:
    from window_desk.db.engine import open_database

    pg = open_database(pg_url)
    try:
        demo.fill(pg, ADMIN, 40, 20, 13, END, "示范镇")
        checked = 0
        for label, flt in _queries(pg).items():
            for statement, params in select_statements(pg, _search(pg, flt)):
                with pg.engine.connect() as conn:
                    # Tiny tables make a sequential scan cheapest; forbid it to see whether an index path exists.
                    conn.exec_driver_sql("SET enable_seqscan = off")
                    plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {statement}", params).all())
                for table in ("persons", "members", "cases", "case_name_keys"):
                    assert f"Seq Scan on {table}" not in plan, f"{label}: {plan}"
                checked += 1
        assert checked >= 10
    finally:
        pg.dispose()


def test_generated_guardians_are_the_ones_default_guardians_fills() -> None:
    """demo's fast guardian fill reads the age from the generated number; the intake rule must agree."""
    import copy

    made = list(demo.payloads(400, 30, 11, END))
    assert any(m["guardian"]["name"] for p in made for m in p["members"][1:])  # minors are generated
    for payload in made:
        again = copy.deepcopy(payload)
        for m in again["members"]:
            m["guardian"] = intake.blank_guardian()
        intake.default_guardians(again)
        assert again == payload
