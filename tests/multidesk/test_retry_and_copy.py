"""A connection killed mid-save is retried or reported (nothing half-saved); db status/upgrade/copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.conftest import run_cli
from window_desk import audit
from tests.multidesk.workers import CLERK, id_numbers, payload
from window_desk.db.engine import open_database
from window_desk.db.models import AuditEntry, Case, Household, Person
from window_desk.errors import DatabaseBusy
from window_desk.services import demo, intake
from window_desk.services.policy_store import active_policy
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork, run_in_uow


def _counts(db) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, CLERK, write=False) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (Case, Household, Person, AuditEntry))


def _killing_submit(db, pg_url: str, kills: list[int]):  # type: ignore[no-untyped-def]
    """A save whose connection is terminated by the server (pg_terminate_backend) half-way, ``len(kills)`` times."""
    with UnitOfWork(db, CLERK, write=False) as uow:
        active = active_policy(uow)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    attempts = []

    def save(uow: UnitOfWork):  # type: ignore[no-untyped-def]
        attempts.append(1)
        p = payload(id_numbers(1, 1)[0])
        if kills:
            kills.pop()
            pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            uow.session.add(Household(area="urban", created_at=intake.now(), created_by="t"))
            uow.session.flush()  # something is already written in this transaction
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return intake.submit_case(uow, p, active, "示范镇")  # fails on the dead connection, or saves

    return save, attempts


@pytest.mark.postgres
def test_a_killed_connection_mid_save_is_retried(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        save, attempts = _killing_submit(db, pg_url, [1])
        accepted = run_in_uow(db, CLERK, save, retries=3)
        assert len(attempts) == 2 and accepted.number == "示范镇-2026-00001"
        cases, households, persons, entries = _counts(db)
        assert (cases, households, persons) == (1, 1, 1)  # the killed attempt's extra household is gone
        with UnitOfWork(db, CLERK, write=False) as uow:
            assert audit.verify(uow.session).ok and entries == len(list(uow.session.scalars(select(AuditEntry.id))))
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_connection_that_keeps_dying_is_reported_in_chinese_and_saves_nothing(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        save, attempts = _killing_submit(db, pg_url, [1, 1, 1])
        with pytest.raises(DatabaseBusy, match="与数据库的连接中断，已重试 2 次仍未恢复；本次内容没有保存"):
            run_in_uow(db, CLERK, save, retries=2)
        assert len(attempts) == 3
        assert _counts(db) == (0, 0, 0, 0)
        # The desk goes on: the next save works on a fresh connection and takes number 1 (gapless).
        save, _ = _killing_submit(db, pg_url, [])
        assert run_in_uow(db, CLERK, save).number == "示范镇-2026-00001"
    finally:
        db.dispose()


def test_sqlite_busy_is_retried_then_reported(db_url: str) -> None:
    """Another window holds the write lock: the unit of work waits, retries, and finally reports."""
    import sqlite3

    db = open_database(db_url)
    path = db.sqlite_path()
    assert path is not None
    db.dispose()
    from window_desk.db import engine as engine_mod

    old = engine_mod.BUSY_TIMEOUT_MS
    engine_mod.BUSY_TIMEOUT_MS = 50
    try:
        db = open_database(db_url)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        calls = []
        with pytest.raises(DatabaseBusy, match=re.escape("数据库正忙（其他窗口同时在保存），已重试 1 次仍未成功")):
            run_in_uow(db, CLERK, lambda uow: calls.append(1), retries=1)
        assert calls == []  # never ran half: the write lock is taken before the service starts
        blocker.execute("ROLLBACK")
        blocker.close()
        assert run_in_uow(db, CLERK, lambda uow: "saved") == "saved"
    finally:
        engine_mod.BUSY_TIMEOUT_MS = old
        db.dispose()


def test_db_status_and_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    status = run_cli("--db", url, "db", "status")
    assert status.returncode == 1 and "空数据库" in status.stdout
    upgrade = run_cli("--db", url, "db", "upgrade")
    assert upgrade.returncode == 0 and "升级到 0" in upgrade.stdout, upgrade.stderr
    again = run_cli("--db", url, "db", "status", "--json")
    assert again.returncode == 0 and '"state": "current"' in again.stdout
    assert run_cli("--db", url, "db", "upgrade").stdout.startswith("数据库已是最新版本")


def test_db_status_hides_the_password() -> None:
    out = run_cli("--db", "postgresql+psycopg://desk:secret-pw@127.0.0.1:1/nothing?connect_timeout=1", "db", "status")
    assert out.returncode == 2 and "secret-pw" not in out.stdout + out.stderr and "无法打开数据库" in out.stderr


@pytest.mark.postgres
def test_db_copy_round_trip_keeps_every_row_and_the_audit_chain(tmp_path: Path, pg_url: str) -> None:
    src = f"sqlite:///{tmp_path / 'township.sqlite3'}"
    back = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    db = open_database(src)
    demo.fill(db, CLERK, 12, 10, 7, today(), "示范镇")
    before = _counts(db)
    db.dispose()

    out = run_cli("db", "copy", "--from", src, "--to", pg_url)
    assert out.returncode == 0 and "哈希链校验通过" in out.stdout, out.stderr
    assert run_cli("--db", pg_url, "audit", "verify").returncode == 0
    # The county server goes on numbering after the copied rows (sequences moved past the copied ids).
    pg = open_database(pg_url)
    try:
        assert _counts(pg) == before
        with UnitOfWork(pg, CLERK, write=False) as uow:
            active = active_policy(uow)
        run_in_uow(pg, CLERK, lambda uow: intake.submit_case(uow, payload(id_numbers(900, 1)[0], day=today().isoformat()),
                                                               active, "示范镇"))
        after = _counts(pg)
    finally:
        pg.dispose()
    assert after[0] == before[0] + 1

    out = run_cli("db", "copy", "--from", pg_url, "--to", back)
    assert out.returncode == 0, out.stderr
    verify = run_cli("--db", back, "audit", "verify")
    assert verify.returncode == 0 and f"共 {after[3]} 条记录" in verify.stdout
    # Format-4 assessments came back through PostgreSQL byte for byte: still read and explained, input NULL.
    from sqlalchemy import select, text

    from window_desk.db.models import Assessment
    from window_desk.services import assessment_store

    copied = open_database(back)
    try:
        with UnitOfWork(copied, CLERK, write=False) as uow:
            rows = uow.session.scalars(select(Assessment)).all()
            assert rows and all(assessment_store.full_result(uow, r)["matches"] for r in rows)
            assert uow.session.execute(text("SELECT count(*) FROM assessments WHERE input IS NOT NULL")).scalar() == 0
    finally:
        copied.dispose()

    # A second copy into a database that has data is refused, and changes nothing.
    refused = run_cli("db", "copy", "--from", src, "--to", back)
    assert refused.returncode == 2 and "目标数据库中已有数据" in refused.stderr
    assert run_cli("--db", back, "audit", "verify").returncode == 0


def test_a_tampered_copy_source_is_not_hidden(tmp_path: Path) -> None:
    """db copy verifies the chain on the target: a source whose audit log was edited is reported."""
    src = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    db = open_database(src)
    demo.fill(db, CLERK, 2, 1, 3, today(), "示范镇")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 2"))
    db.dispose()
    out = run_cli("db", "copy", "--from", src, "--to", f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert out.returncode == 2 and "审计日志校验失败：第 2 条" in out.stderr


@pytest.mark.postgres
def test_a_deadlock_between_two_desks_is_retried(pg_url: str) -> None:
    """Two saves take two counter rows in opposite order: PostgreSQL kills one, run_in_uow re-runs it."""
    import threading

    from window_desk.services.numbering import next_seq

    db = open_database(pg_url)
    barrier = threading.Barrier(2, timeout=10)
    attempts = {"ab": 0, "ba": 0}
    results: dict[str, object] = {}

    def save(order: str):  # type: ignore[no-untyped-def]
        def fn(uow: UnitOfWork) -> tuple[int, int]:
            attempts[order] += 1
            first, second = ("doc:a", "doc:b") if order == "ab" else ("doc:b", "doc:a")
            one = next_seq(uow, first, "示范镇", 2026)
            if attempts[order] == 1:
                barrier.wait()  # both hold their first row: the second lock closes the cycle
            two = next_seq(uow, second, "示范镇", 2026)
            uow.audit("test.numbers", "counter", order, {"first": one, "second": two})
            uow.commit()
            return one, two
        return fn

    def desk(order: str) -> None:
        try:
            results[order] = run_in_uow(db, CLERK, save(order))
        except BaseException as exc:  # reported by the assertion below
            results[order] = exc

    threads = [threading.Thread(target=desk, args=(o,)) for o in ("ab", "ba")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    db.dispose()
    assert all(isinstance(r, tuple) for r in results.values()), results
    assert sorted(attempts.values()) == [1, 2]  # exactly one of them was chosen as the deadlock victim
    assert sorted(v for r in results.values() for v in r) == [1, 1, 2, 2]  # type: ignore[union-attr]
