"""Migration 0015 both ways on real rows: format-4 assessments written back as format 3 and previous hashes
filled in on the way down, both kept as they are on the way up; the chain verifies throughout, and entries
without a stored previous hash still catch a swap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sqlalchemy import create_engine, select, text

from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.engine import _alembic_config, open_database
from window_desk.db.models import Assessment
from window_desk.services import assessment_pack, assessment_store, demo
from window_desk.uow import UnitOfWork

ADMIN = Actor.cli()


def _verify(db) -> audit.VerifyResult:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, ADMIN, write=False) as uow:
        return audit.verify(uow.session)


def _migrate(url: str, target: str, *, down: bool) -> None:
    from alembic import command

    engine = create_engine(url)
    with engine.begin() as conn:
        (command.downgrade if down else command.upgrade)(_alembic_config(conn), target)
    engine.dispose()


def test_downgrade_unpacks_and_fills_hashes_then_upgrade_keeps_both(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'slim.sqlite3'}"
    db = open_database(url)
    demo.fill(db, ADMIN, 12, 5, 7, date(2026, 3, 2), "示范镇", others=False)
    with UnitOfWork(db, ADMIN, write=False) as uow:
        packed = {r.id: (assessment_store.stored_input(r), assessment_store.stored_result(r))
                  for r in uow.session.scalars(select(Assessment))}
    with db.engine.connect() as conn:
        hashes = [tuple(r) for r in conn.execute(text("SELECT id, hash, prev_hash FROM audit_log ORDER BY id"))]
    assert packed and all(prev is None for _, _, prev in hashes)
    db.dispose()

    _migrate(url, "0014", down=True)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, format, input, result FROM assessments")).all()
        import json

        assert {r.id: (json.loads(r.input), json.loads(r.result)) for r in rows} == packed
        assert {r.format for r in rows} == {3}
        chained = conn.execute(text("SELECT id, hash, prev_hash FROM audit_log ORDER BY id")).all()
        assert [r.prev_hash for r in chained] == [audit.GENESIS] + [h for _, h, _ in hashes[:-1]]
    engine.dispose()

    db = open_database(url)  # up to head again: the format-3 rows and stored hashes stay as they are
    try:
        assert _verify(db).ok
        with UnitOfWork(db, ADMIN) as uow:
            rows = uow.session.scalars(select(Assessment)).all()
            assert {r.format for r in rows} == {3}
            assert all(assessment_store.full_result(uow, r)["matches"] for r in rows)
            audit.append(uow.session, "test", "test.after", "case", 1, {"n": 1})
            uow.commit()
        with db.engine.connect() as conn:
            last = conn.execute(text("SELECT prev_hash FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
        assert last is None and _verify(db).ok
    finally:
        db.dispose()


@pytest.fixture
def few(tmp_path: Path) -> Iterator[Any]:
    """A few demo cases, written as format 4 with entries that keep no previous hash."""
    db = open_database(f"sqlite:///{tmp_path / 'few.sqlite3'}")
    demo.fill(db, ADMIN, 4, 3, 2, date(2026, 3, 2), "示范镇", others=False)
    yield db
    db.dispose()


def test_a_swap_of_entries_without_stored_previous_hashes_is_named(few: Any) -> None:
    db = few
    assert _verify(db).ok
    with db.engine.begin() as conn:  # entries 2 and 3 trade places, each with its own hash
        conn.execute(text("UPDATE audit_log SET id = -1 WHERE id = 2"))
        conn.execute(text("UPDATE audit_log SET id = 2 WHERE id = 3"))
        conn.execute(text("UPDATE audit_log SET id = 3 WHERE id = -1"))
    result = _verify(db)
    assert not result.ok and result.bad_entry == 2 and "调换" in result.problem


def test_a_format_four_blob_that_was_altered_does_not_read_as_the_stored_proposal(few: Any) -> None:
    db = few
    with UnitOfWork(db, ADMIN) as uow:
        row = uow.session.scalars(select(Assessment)).first()
        assert row is not None
        stored_input, kept = assessment_store.stored_input(row), assessment_store.stored_result(row)
        row.packed = assessment_pack.pack(stored_input, dict(kept, measures=[]))
        full = assessment_store.full_result(uow, row)
        assert not full["matches"] and full["measures"] == []


def test_an_upgrade_that_would_leave_a_dangling_reference_is_rolled_back(tmp_path: Path) -> None:
    """Migrations run with SQLite's foreign keys off (table rebuilds); ``foreign_key_check`` before commit
    catches a row that points nowhere, and the database stays at its old revision."""
    from window_desk.errors import UserError

    url = f"sqlite:///{tmp_path / 'dangling.sqlite3'}"
    _migrate(url, "0014", down=False)
    engine = create_engine(url)
    with engine.begin() as conn:  # a referral of a case that does not exist (foreign keys are off here)
        conn.execute(text("INSERT INTO referrals (id, case_id, measure_code, department, referred_at, due_date, "
                          "status, receipt_signer, result, created_at, created_by) VALUES (1, 999, 'medical', "
                          "'区医保局', '2026-03-02 01:00:00', '2026-03-16', 'sent', '', '', '2026-03-02 01:00:00', 't')"))
    with pytest.raises(UserError, match="无效的关联.*referrals.*已撤销升级"):
        open_database(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0014"
        assert conn.execute(text("SELECT count(*) FROM referrals")).scalar() == 1
    engine.dispose()
