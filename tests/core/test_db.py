from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.db.models import AuditEntry, Base, Household
from window_desk.errors import DatabaseVersionError
from window_desk.timeutil import TZ, now
from window_desk.uow import UnitOfWork


def test_migrations_match_the_models(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_sqlite_pragmas(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_newer_database_is_refused(db_url: str, db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.dispose()
    with pytest.raises(DatabaseVersionError) as err:
        open_database(db_url)
    assert "更新版本" in str(err.value)


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stuff (x INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseVersionError):
        open_database(f"sqlite:///{path}")
    # and it was left untouched
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["stuff"]
    conn.close()


def test_money_and_aware_times_round_trip(db) -> None:  # type: ignore[no-untyped-def]
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)
    with UnitOfWork(db, Actor.cli()) as uow:
        household = Household(area="urban", deposits=Decimal("12345678.91"), rigid_medical=Decimal("0.1"),
                               created_at=moment, created_by="t")
        uow.session.add(household)
        uow.commit()
        hid = household.id
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        back = uow.session.get(Household, hid)
        assert back is not None
        assert back.deposits == Decimal("12345678.91")
        assert back.rigid_medical == Decimal("0.10")
        assert back.created_at == moment
        assert back.created_at.tzinfo is not None and back.created_at.utcoffset() == TZ.utcoffset(back.created_at)
        assert back.rigid_housing == Decimal("0.00")


def test_naive_datetime_and_float_money_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        uow.session.add(Household(area="urban", created_at=datetime(2026, 1, 1), created_by="t"))
        with pytest.raises(Exception, match="naive"):
            uow.session.flush()
    with UnitOfWork(db, Actor.cli()) as uow:
        uow.session.add(Household(area="urban", deposits=1.5, created_at=now(), created_by="t"))  # type: ignore[arg-type]
        with pytest.raises(Exception, match="Decimal"):
            uow.session.flush()


def test_unit_of_work_rolls_back_everything_on_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError):
        with UnitOfWork(db, Actor.cli()) as uow:
            uow.session.add(Household(area="urban", created_at=now(), created_by="t"))
            uow.audit("household.add", "household", 1, {"area": "urban"})
            raise RuntimeError("boom")
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert uow.session.scalars(select(Household)).all() == []
        assert uow.session.scalars(select(AuditEntry)).all() == []


def test_unit_of_work_without_commit_saves_nothing(db) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        uow.session.add(Household(area="rural", created_at=now(), created_by="t"))
        uow.audit("household.add", "household", 1, {})
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert uow.session.scalars(select(Household)).all() == []


def test_concurrent_sqlite_writers_keep_one_chain(db) -> None:  # type: ignore[no-untyped-def]
    """Two windows on one SQLite file: BEGIN IMMEDIATE queues them instead of failing."""
    import threading

    from window_desk import audit

    def worker(n: int) -> None:
        for i in range(20):
            with UnitOfWork(db, Actor(label=f"window{n}", role="clerk")) as uow:
                uow.audit("test.write", "thing", f"{n}-{i}", {"i": i})
                uow.commit()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        result = audit.verify(uow.session)
    assert result.ok and result.checked == 60


def test_upgrading_from_0001_keeps_every_case(tmp_path: Path) -> None:
    """A database made by the first release gains the materials column and loses nothing."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from window_desk.db.engine import _alembic_config, head_revision_from_files, open_database

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = _alembic_config(conn)
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO persons (id, id_number, name, name_initials, created_at, created_by) "
                          "VALUES (1, '110105198603150032', '王䶮', 'wy', '2026-01-02 03:04:05+00:00', 't')"))
        conn.execute(text("INSERT INTO households (id, area, address, phone, housing, current_benefits, events, "
                          "deposits, non_essential_vehicles, extra_houses, rigid_medical, rigid_education, rigid_care, "
                          "rigid_housing, created_at, created_by) VALUES (1, 'urban', '幸福路1号', '', 'adequate', '[]', "
                          "'[]', 0, 0, 0, 0, 0, 0, 0, '2026-01-02 03:04:05+00:00', 't')"))
        conn.execute(text("INSERT INTO cases (id, number, office, household_id, applicant_person_id, application_date, "
                          "matter, urgent, status, decision_reason, created_at, created_by) VALUES (1, '示范镇-2026-00001', "
                          "'示范镇', 1, 1, '2026-01-02', '申请低保', 0, 'accepted', '', '2026-01-02 03:04:05+00:00', 't')"))
    engine.dispose()
    database = open_database(url)  # migrates to head
    try:
        with database.engine.connect() as conn:
            row = conn.execute(text("SELECT number, matter, materials FROM cases")).one()
            assert tuple(row) == ("示范镇-2026-00001", "申请低保", "[]")
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision_from_files()
    finally:
        database.dispose()


def test_file_name_head_matches_alembic() -> None:
    """The start-up fast path reads the head revision from file names; it must agree with Alembic."""
    from alembic.script import ScriptDirectory

    from window_desk.db.engine import _alembic_config, head_revision_from_files, known_revisions

    script = ScriptDirectory.from_config(_alembic_config())
    assert head_revision_from_files() == script.get_current_head()
    for rev in script.walk_revisions():
        assert rev.module.__file__ is not None
        assert Path(rev.module.__file__).name.startswith(f"{rev.revision}_")
    assert head_revision_from_files() in known_revisions()
