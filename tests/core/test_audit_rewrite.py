"""Migration 0012 on a database built at 0011 with old audit entries that hold ID numbers: afterwards
no ID number is left anywhere in audit_log, the chain verifies, anchors written down before the
upgrade are explained by the recorded ``audit.rewrite`` entry, and tampering with what it records is
caught. Signed entries are re-signed with the key; without the key a signed log is not upgraded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import run_cli
from tests.core.test_audit import _rechain
from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.engine import _alembic_config, head_revision_from_files, open_database
from window_desk.uow import UnitOfWork

APPLICANT = "110105198603150032"  # in persons (id 1)
SPOUSE = "110105201003070017"  # in persons (id 2)
STRANGER = "11010519491231002X"  # a valid number that no person has: masked
NOT_AN_ID = "123456789012345678"  # 18 digits, wrong check digit, nobody's: a document hash, kept
STAMP = "2026-01-02 03:04:05+00:00"

OLD_ENTRIES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("user.add", "user", "1", {"username": "admin", "role": "admin", "display_name": "王管理"}),
    ("document.issue", "document", "1", {"number": "示范镇-2026-W0001", "sha256": NOT_AN_ID}),
    ("case.accept", "case", "1", {"number": "示范镇-2026-00001", "applicant": APPLICANT, "members": 2,
                                  "application_date": "2026-01-02", "tier": "dibao", "matter": "申请低保"}),
    ("person.unmask", "case", "1", {"case": "示范镇-2026-00001", "reason": f"核对{SPOUSE}的户籍"}),
    ("test.legacy", "person", APPLICANT, {"guardian_id_number": SPOUSE, "others": [APPLICANT, STRANGER]}),
    ("case.accept", "case", "2", {"number": "示范镇-2026-00002", "applicant": STRANGER, "members": 1,
                                  "application_date": "2026-01-03", "tier": "none", "matter": "临时救助"}),
    ("document.issue", "document", "2", {"number": "示范镇-2026-W0002", "kind": "acceptance_notice"}),
]


def _old_database(tmp_path: Path, key: bytes | None) -> tuple[str, list[str]]:
    """A database at revision 0011 holding OLD_ENTRIES, chained (and signed, with ``key``) as then."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    hashes: list[str] = []
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0011")
        for pid, number, name in ((1, APPLICANT, "王䶮"), (2, SPOUSE, "朱小红")):
            conn.execute(text("INSERT INTO persons (id, id_number, name, name_initials, created_at, created_by) "
                              "VALUES (:i, :n, :m, '', :t, 't')"), {"i": pid, "n": number, "m": name, "t": STAMP})
        prev = audit.GENESIS
        for n, (action, etype, eid, changes) in enumerate(OLD_ENTRIES, start=1):
            at = f"2026-01-02T03:04:{n:02d}.000000+00:00"
            body = audit.canonical_json(changes)
            digest = audit.entry_hash(n, at, "clerk", action, etype, eid, body, prev)
            conn.execute(text("INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, changes, "
                              "prev_hash, hash, mac) VALUES (:i, :at, 'clerk', :a, :t, :e, :c, :p, :h, :m)"),
                         {"i": n, "at": at, "a": action, "t": etype, "e": eid, "c": body, "p": prev, "h": digest,
                          "m": audit.entry_mac(key, digest) if key and n >= 5 else None})
            hashes.append(digest)
            prev = digest
        conn.execute(text("UPDATE audit_head SET last_id = :i, last_hash = :h WHERE id = 1"),
                     {"i": len(OLD_ENTRIES), "h": prev})
    engine.dispose()
    return url, hashes


def _rows(db) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM audit_log ORDER BY id"))]


def _verify(db, **kw: Any) -> audit.VerifyResult:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        return audit.verify(uow.session, **kw)


@pytest.fixture
def no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(tmp_path / "absent.key"))
    audit._KEY_CACHE.clear()


def test_upgrade_removes_every_id_number_and_the_chain_verifies(tmp_path: Path, no_key: None) -> None:
    url, old = _old_database(tmp_path, None)
    db = open_database(url)  # migrates 0011 -> head
    try:
        rows = _rows(db)
        dump = json.dumps(rows, ensure_ascii=False, default=str)
        for number in (APPLICANT, SPOUSE, STRANGER):
            assert number not in dump
        assert NOT_AN_ID in dump  # not an ID number: left alone
        accept = json.loads(rows[2]["changes"])
        assert accept["applicant_person_id"] == 1 and "applicant" not in accept and accept["matter"] == "申请低保"
        assert json.loads(rows[3]["changes"])["reason"] == "核对[person:2]的户籍"
        legacy = json.loads(rows[4]["changes"])
        assert rows[4]["entity_id"] == "1" and legacy["guardian_person_id"] == 2
        assert legacy["others"] == [1, "110105********002X"]
        assert json.loads(rows[5]["changes"])["applicant"] == "110105********002X"
        # Entries before the first rewritten one keep their bytes and hashes; from it on, re-hashed.
        assert [r["hash"] for r in rows[:2]] == old[:2] and all(r["rewritten_from"] is None for r in rows[:2])
        assert [r["rewritten_from"] for r in rows[2:7]] == old[2:]
        assert all(r["hash"] != h for r, h in zip(rows[2:7], old[2:]))
        rewrite = rows[7]
        record = json.loads(rewrite["changes"])
        assert (rewrite["id"], rewrite["action"], rewrite["actor"]) == (8, "audit.rewrite", "migration")
        assert record["old_head"] == f"7:{old[-1]}" and record["new_head"] == f"7:{rows[6]['hash']}"
        assert (record["first_rewritten"], record["rewritten"], record["rechained"]) == (3, 4, 5)
        result = _verify(db)
        assert result.ok and result.checked == 8 and result.note == ""
        with db.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == head_revision_from_files()
    finally:
        db.dispose()


def test_anchors_written_before_the_upgrade(tmp_path: Path, no_key: None) -> None:
    url, old = _old_database(tmp_path, None)
    db = open_database(url)
    try:
        early = _verify(db, anchor=audit.Anchor(2, old[1][:16]))  # before the first rewritten entry
        assert early.ok and early.note == ""
        for n in (4, 7):  # a re-hashed entry, and the old head itself (on a signed paper, a manifest)
            result = _verify(db, anchor=audit.Anchor(n, old[n - 1][:20]))
            assert result.ok, result.problem
            assert f"锚点第 {n} 条早于第 8 条记录所载的改写" in result.note and f"7:{old[-1]}" in result.note
        wrong = _verify(db, anchor=audit.Anchor(4, "ab" * 10))
        assert not wrong.ok and wrong.bad_entry == 4
        beyond = _verify(db, anchor=audit.Anchor(12, old[-1]))
        assert not beyond.ok and beyond.bad_entry == 12
    finally:
        db.dispose()
    out = run_cli("--db", url, "audit", "verify", "--anchor", f"4:{old[3]}")
    assert out.returncode == 0, out.stderr
    assert "早于第 8 条记录所载的改写" in out.stdout


@pytest.mark.parametrize("sql", [
    # A recorded old hash changed (to make a forged anchor pass): the rewrite entry's digest catches it.
    "UPDATE audit_log SET rewritten_from = '{fake}' WHERE id = 4",
    # An old hash claimed for an entry after the rewrite, which no rewrite entry covers.
    "UPDATE audit_log SET rewritten_from = '{fake}' WHERE id = 8",
])
def test_tampering_with_the_recorded_rewrite_is_caught(tmp_path: Path, no_key: None, sql: str) -> None:
    url, _old = _old_database(tmp_path, None)
    db = open_database(url)
    try:
        with UnitOfWork(db, Actor.cli()) as uow:  # one more entry after the rewrite
            uow.audit("test.after", "thing", 1, {"n": 1})
            uow.commit()
        assert _verify(db).ok
        fake = "f" * 64
        with db.engine.begin() as conn:
            conn.execute(text(sql.format(fake=fake)))
        result = _verify(db, anchor=audit.Anchor(4, fake[:16]))
        assert not result.ok and result.bad_entry in (4, 8)
        assert not _verify(db).ok
    finally:
        db.dispose()


def test_signed_entries_are_re_signed_and_never_upgraded_without_the_key(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from window_desk.errors import UserError

    key_file = tmp_path / "audit.key"
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(key_file))
    audit._KEY_CACHE.clear()
    audit.create_key()
    key = audit.load_key()
    assert key is not None
    url, old = _old_database(tmp_path, key)
    # Without the key: refused, with the key file named, and nothing changed (one transaction).
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(tmp_path / "elsewhere.key"))
    with pytest.raises(UserError) as err:
        open_database(url).dispose()
    assert err.value.field == "audit.key" and "elsewhere.key" in str(err.value)
    raw = create_engine(url)
    with raw.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0011"
        assert [r[0] for r in conn.execute(text("SELECT hash FROM audit_log ORDER BY id"))] == old
        assert APPLICANT in " ".join(r[0] for r in conn.execute(text("SELECT changes FROM audit_log")))
    raw.dispose()
    # With it: every signed entry re-signed, the rewrite entry signed, the chain and macs verify.
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(key_file))
    db = open_database(url)
    try:
        rows = _rows(db)
        assert [r["mac"] is not None for r in rows] == [False] * 4 + [True] * 4
        assert all(r["mac"] == audit.entry_mac(key, r["hash"]) for r in rows if r["mac"])
        result = _verify(db, key=key)
        assert result.ok and result.macs_checked == 4, result.problem
        with db.engine.begin() as conn:  # a forged change to a signed, re-hashed entry...
            conn.execute(text("UPDATE audit_log SET action = 'forged' WHERE id = 6"))
        _rechain(db, 6)  # ...and the chain recomputed after it, as someone with SQL access would
        assert _verify(db).ok  # invisible without the key
        forged = _verify(db, key=key)
        assert not forged.ok and forged.bad_entry == 6
    finally:
        db.dispose()
        audit._KEY_CACHE.clear()


def test_a_database_without_id_numbers_gets_no_rewrite_entry(tmp_path: Path, no_key: None) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'clean.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0011")
    engine.dispose()
    db = open_database(url)
    try:
        with UnitOfWork(db, Actor.cli()) as uow:
            uow.audit("test.clean", "thing", 1, {"n": 1})
            uow.commit()
        assert [r["action"] for r in _rows(db)] == ["test.clean"] and _verify(db).ok
    finally:
        db.dispose()
