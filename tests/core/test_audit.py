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
        conn.execute(text("INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, changes, prev_hash, hash) VALUES (3, '2026-01-01T00:00:00+08:00', 'x', 'forged', 't', '1', '{}', :p, :h)"),
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


# --- issue 14: every row whatever its id, anchors outside the database, the optional key ----------


def test_a_forged_row_numbered_zero_or_below_is_named(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    for forged_id in (0, -5):
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, changes, "
                              "prev_hash, hash) VALUES (:i, 'x', 'x', 'forged', 't', '1', '{}', :g, :g)"),
                         {"i": forged_id, "g": audit.GENESIS})
        result = _verify(db)
        assert not result.ok and result.bad_entry == forged_id and "伪造" in result.problem
        _tamper(db, f"DELETE FROM audit_log WHERE id = {forged_id}")


def test_a_missing_head_is_described_without_a_number(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    _tamper(db, "DELETE FROM audit_head")
    result = _verify(db)
    assert not result.ok and result.bad_entry is None
    assert "None" not in audit.describe_failure(result) and "链头记录缺失" in audit.describe_failure(result)


def _anchor(db) -> audit.Anchor:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        tip = audit.head(uow.session)
    assert tip is not None
    return tip


def _verify_with(db, **kw) -> audit.VerifyResult:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        return audit.verify(uow.session, **kw)


def _rechain(db, start: int) -> None:  # type: ignore[no-untyped-def]
    """What an attacker with SQL access does: recompute every hash from ``start`` on and fix the head."""
    with db.engine.begin() as conn:
        rows = conn.execute(text("SELECT id, at, actor, action, entity_type, entity_id, changes FROM audit_log "
                                 "WHERE id >= :s ORDER BY id"), {"s": start}).all()
        prev = conn.execute(text("SELECT hash FROM audit_log WHERE id = :p"), {"p": start - 1}).scalar() or audit.GENESIS
        for row in rows:
            digest = audit.entry_hash(row.id, row.at, row.actor, row.action, row.entity_type, row.entity_id,
                                      row.changes, prev)
            conn.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                         {"p": prev, "h": digest, "i": row.id})
            prev = digest
        last = conn.execute(text("SELECT max(id) FROM audit_log")).scalar()
        conn.execute(text("UPDATE audit_head SET last_id = :l, last_hash = :h"), {"l": last, "h": prev})


def test_a_deleted_tail_with_a_fixed_head_is_caught_by_an_anchor(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    anchor = _anchor(db)
    _tamper(db, f"DELETE FROM audit_log WHERE id = {anchor.entry}")
    _rechain(db, anchor.entry)  # the head now points at the new last entry: the chain alone looks fine
    assert _verify_with(db).ok
    result = _verify_with(db, anchor=anchor)
    assert not result.ok and result.bad_entry == anchor.entry and "锚点" in result.problem


def test_a_rehashed_suffix_is_caught_by_an_anchor_even_shortened(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    anchor = _anchor(db)
    _tamper(db, "UPDATE audit_log SET action = 'forged' WHERE id = 2")
    _rechain(db, 2)
    assert _verify_with(db).ok
    short = audit.Anchor.parse(f"{anchor.entry}:{anchor.hash[:16]}")
    result = _verify_with(db, anchor=short)
    assert not result.ok and result.bad_entry == anchor.entry


def test_an_anchor_that_matches_passes_and_a_malformed_one_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    _fill(db)
    assert _verify_with(db, anchor=_anchor(db)).ok
    import pytest

    from window_desk.errors import UserError

    for bad in ("12", "x:abc", "0:" + "a" * 64, "3:abc"):
        with pytest.raises(UserError):
            audit.Anchor.parse(bad)


def test_with_a_key_a_recomputed_chain_is_caught(db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(tmp_path / "audit.key"))
    audit._KEY_CACHE.clear()
    path = audit.create_key()
    assert (path.stat().st_mode & 0o777) == 0o600
    key = audit.load_key()
    _fill(db)  # entries now carry macs
    assert _verify_with(db, key=key).macs_checked > 0
    _tamper(db, "UPDATE audit_log SET action = 'forged' WHERE id = 2")
    _rechain(db, 2)
    assert _verify_with(db).ok  # without the key the forgery is invisible...
    result = _verify_with(db, key=key)  # ...with it, it is not
    assert not result.ok and result.bad_entry == 2
    audit._KEY_CACHE.clear()


def test_entries_appended_together_continue_the_same_chain(db) -> None:  # type: ignore[no-untyped-def]
    """``audit_many`` (the discovery sync's page of entries) chains exactly as one ``append`` after another:
    the log verifies, entries before and after it included, and a changed entry among them is named."""
    _fill(db, 2)
    with UnitOfWork(db, Actor.cli()) as uow:
        uow.audit_many([("test.many", "thing", i, {"n": i}) for i in range(1, 6)])
        uow.commit()
    _fill(db, 1)
    assert _verify(db).ok and _verify(db).checked == 8
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, action, entity_id FROM audit_log ORDER BY id")).all()
    assert [(r.action, r.entity_id) for r in rows[2:7]] == [("test.many", str(i)) for i in range(1, 6)]
    _tamper(db, "UPDATE audit_log SET changes = changes || ' ' WHERE id = 5")
    result = _verify(db)
    assert not result.ok and result.bad_entry == 5
