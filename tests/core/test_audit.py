from __future__ import annotations

from sqlalchemy import text

from tests.conftest import run_cli
from window_desk import audit
from window_desk.actor import Actor
from window_desk.uow import UnitOfWork


def _fill(db, n: int = 5) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        with UnitOfWork(db, Actor.cli()) as uow:
            uow.audit("test.action", "thing", i + 1, {"n": i + 1, "名字": "朱𠈌", "amount": "12.50"})
            uow.commit()


def _verify(db):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        return audit.verify(uow.session)


def test_intact_chain_verifies(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    result = _verify(db)
    assert result.ok and result.checked == 5


def test_empty_chain_verifies(db) -> None:  # type: ignore[no-untyped-def]
    assert _verify(db).ok


def _tamper(db, sql: str) -> None:  # type: ignore[no-untyped-def]
    with db.engine.begin() as conn:
        conn.execute(text(sql))


def test_changed_row_is_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    _tamper(db, "UPDATE audit_log SET changes = replace(changes, '12.50', '1250.00') WHERE id = 3")
    result = _verify(db)
    assert not result.ok and result.bad_entry == 3 and "修改" in result.problem


def test_changed_actor_is_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    _tamper(db, "UPDATE audit_log SET actor = 'someone' WHERE id = 2")
    assert _verify(db).bad_entry == 2


def test_deleted_middle_row_is_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    _tamper(db, "DELETE FROM audit_log WHERE id = 3")
    result = _verify(db)
    assert not result.ok and result.bad_entry == 3


def test_deleted_last_row_is_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    _tamper(db, "DELETE FROM audit_log WHERE id = 5")
    result = _verify(db)
    assert not result.ok and result.bad_entry == 5


def test_inserted_row_is_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    # Make room after entry 2 and slip a forged entry in with a self-consistent hash.
    _tamper(db, "UPDATE audit_log SET id = id + 100 WHERE id > 2")
    _tamper(db, "UPDATE audit_log SET id = id - 99 WHERE id > 100")
    with db.engine.begin() as conn:
        prev = conn.execute(text("SELECT hash FROM audit_log WHERE id = 2")).scalar_one()
        forged = audit.entry_hash(3, "2026-01-01T00:00:00+08:00", "x", "forged", "t", "1", "{}", prev)
        conn.execute(text("INSERT INTO audit_log VALUES (3, '2026-01-01T00:00:00+08:00', 'x', 'forged', 't', '1', '{}', :p, :h)"),
                     {"p": prev, "h": forged})
    result = _verify(db)
    assert not result.ok and result.bad_entry == 4


def test_reordered_rows_are_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    _tamper(db, "UPDATE audit_log SET id = 100 WHERE id = 2")
    _tamper(db, "UPDATE audit_log SET id = 2 WHERE id = 4")
    _tamper(db, "UPDATE audit_log SET id = 4 WHERE id = 100")
    result = _verify(db)
    assert not result.ok and result.bad_entry == 2


def test_cli_verify_exit_codes(db_url: str, db) -> None:  # type: ignore[no-untyped-def]
    _fill(db, 3)
    ok = run_cli("--db", db_url, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "3" in ok.stdout
    _tamper(db, "UPDATE audit_log SET entity_id = '99' WHERE id = 2")
    bad = run_cli("--db", db_url, "audit", "verify")
    assert bad.returncode == 1
    assert "第 2 条" in bad.stderr
    assert "Traceback" not in bad.stderr
