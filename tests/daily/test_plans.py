"""Every query the referral list and the daily review run uses an index on the big tables (no full scan),
and migration 0007 keeps what an 0002 database held."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, text

from tests.daily.conftest import DAY
from window_desk.services import daily, referrals, register_export
from window_desk.uow import UnitOfWork

BIG = ("cases", "persons", "members", "households", "referrals", "inquiries", "documents", "amendments",
       "assessments", "audit_log")


def test_no_full_scan_of_a_big_table(db, filled, clock, people) -> None:  # type: ignore[no-untyped-def]
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        clock.set(DAY + timedelta(days=20))
        with UnitOfWork(db, people["clerk"].actor(), write=False) as uow:
            referrals.list_referrals(uow, referrals.ReferralFilter(status="open"))
            referrals.list_referrals(uow, referrals.ReferralFilter(overdue_only=True), after=(DAY, 3))
            referrals.list_referrals(uow, referrals.ReferralFilter(department="区医保局", status="open"))
            referrals.get(uow, 1)
            daily.build_day(uow, DAY)
            daily.register_rows(uow, DAY)
            register_export.render_day(uow, DAY, "xlsx")
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(statements) > 15
    problems = []
    with db.engine.connect() as conn:
        for sql, params in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
            for row in plan:
                detail = row[-1]
                for table in BIG:
                    if detail.startswith(f"SCAN {table}") and "USING" not in detail:
                        problems.append(f"{detail}  ←  {sql[:160]}")
    assert problems == []


def test_upgrading_from_0002_keeps_referrals_and_reviews(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from window_desk.db.engine import _alembic_config, open_database

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002")
        conn.execute(text("INSERT INTO persons (id, id_number, name, name_initials, created_at, created_by) "
                          "VALUES (1, '110105198603150032', '王䶮', 'wy', '2026-01-02 03:04:05', 't')"))
        conn.execute(text("INSERT INTO households (id, area, address, phone, housing, current_benefits, events, "
                          "deposits, non_essential_vehicles, extra_houses, rigid_medical, rigid_education, rigid_care, "
                          "rigid_housing, created_at, created_by) VALUES (1, 'urban', '', '', 'adequate', '[]', "
                          "'[]', 0, 0, 0, 0, 0, 0, 0, '2026-01-02 03:04:05', 't')"))
        conn.execute(text("INSERT INTO cases (id, number, office, household_id, applicant_person_id, application_date, "
                          "matter, materials, urgent, status, decision_reason, created_at, created_by) VALUES (1, 'C1', "
                          "'示范镇', 1, 1, '2026-01-02', 'm', '[]', 0, 'accepted', '', '2026-01-02 03:04:05', 't')"))
        conn.execute(text("INSERT INTO referrals (id, case_id, measure_code, department, referred_at, due_date, status, "
                          "receipt_signer, result, created_at, created_by) VALUES (1, 1, 'medical', '区医保局', "
                          "'2026-01-02 03:04:05', '2026-01-16', 'received', '李', '', '2026-01-02 03:04:05', 't')"))
        conn.execute(text("INSERT INTO daily_reviews (id, office, day, supervisor, reviewed_at, comment, created_at, "
                          "created_by) VALUES (1, '示范镇', '2026-01-02', '陈', '2026-01-02 10:00:00', '同意', "
                          "'2026-01-02 10:00:00', 'chen')"))
        conn.execute(text("INSERT INTO amendments (id, day, entity_type, entity_id, field, old_value, new_value, "
                          "reason, created_at, created_by) VALUES (1, '2026-01-02', 'case', '1', 'matter', 'a', 'b', "
                          "'r', '2026-01-03 10:00:00', 'zhang')"))
    engine.dispose()
    database = open_database(url)
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT department, status, receipt_signer, return_reason FROM referrals")).one() \
                == ("区医保局", "received", "李", "")
            assert conn.execute(text("SELECT comment, audit_entry_id FROM daily_reviews")).one() == ("同意", None)
            assert conn.execute(text("SELECT field, office, review_id FROM amendments")).one() == ("matter", "", None)
    finally:
        database.dispose()
