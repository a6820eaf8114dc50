"""Several desks at once on one database (spawned processes, released together), on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.multidesk.workers import CLERK, at_once, desk_open, desk_submit, id_numbers
from window_desk import audit
from window_desk.db.engine import head_revision_from_files, open_database
from window_desk.db.models import Case, DocumentCounter, Member, Person
from window_desk.uow import UnitOfWork


def _verify(url: str) -> tuple[list[str], int, bool]:
    db = open_database(url)
    try:
        with UnitOfWork(db, CLERK, write=False) as uow:
            numbers = list(uow.session.scalars(select(Case.number).order_by(Case.number)))
            persons = uow.session.scalar(select(func.count()).select_from(Person)) or 0
            ok = audit.verify(uow.session).ok
            versions = uow.session.execute(text("SELECT version_num FROM alembic_version")).all()
            assert [v[0] for v in versions] == [head_revision_from_files()]
        return numbers, persons, ok
    finally:
        db.dispose()


def test_four_desks_open_an_empty_database_at_once(shared_url: str, tmp_path: Path) -> None:
    revisions = at_once(desk_open, str(tmp_path), [(shared_url,)] * 4)
    assert revisions == [head_revision_from_files()] * 4
    numbers, persons, ok = _verify(shared_url)
    assert numbers == [] and persons == 0 and ok


def test_first_case_of_a_year_at_four_desks(shared_url: str, tmp_path: Path) -> None:
    open_database(shared_url).dispose()  # the schema exists; the year's counter row does not
    ids = id_numbers(1, 8)
    results = at_once(desk_submit, str(tmp_path), [(shared_url, ids[i * 2:i * 2 + 2]) for i in range(4)])
    issued = sorted(n for desk in results for n in desk)
    numbers, persons, ok = _verify(shared_url)
    assert issued == numbers == [f"示范镇-2026-{seq:05d}" for seq in range(1, 9)]  # unique and gapless
    assert persons == 8 and ok
    db = open_database(shared_url)
    with UnitOfWork(db, CLERK, write=False) as uow:
        counters = uow.session.execute(select(DocumentCounter.kind, DocumentCounter.last_seq)).all()
    db.dispose()
    assert counters == [("case", 8)]


def test_the_same_person_at_two_windows(shared_url: str, tmp_path: Path) -> None:
    open_database(shared_url).dispose()
    same = id_numbers(7, 1)
    results = at_once(desk_submit, str(tmp_path), [(shared_url, same)] * 3)
    numbers, persons, ok = _verify(shared_url)
    assert sorted(n for desk in results for n in desk) == numbers and len(numbers) == 3
    assert persons == 1 and ok
    db = open_database(shared_url)
    with UnitOfWork(db, CLERK, write=False) as uow:
        person_ids = set(uow.session.scalars(select(Member.person_id)))
    db.dispose()
    assert len(person_ids) == 1  # all three cases point at the one person row


@pytest.mark.postgres
def test_a_database_newer_than_the_desk_is_refused(pg_url: str) -> None:
    from window_desk.errors import DatabaseVersionError

    db = open_database(pg_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(DatabaseVersionError, match="请先把本窗口的程序升级"):
        open_database(pg_url)


@pytest.mark.postgres
def test_postgres_notifies_other_desks_of_a_new_case(pg_url: str) -> None:
    import threading

    from window_desk.changes import ChangeWatcher
    from window_desk.services import intake
    from window_desk.services.policy_store import active_policy
    from window_desk.uow import run_in_uow

    from tests.multidesk.workers import payload

    db = open_database(pg_url)
    seen: list[str] = []
    arrived = threading.Event()
    watcher = ChangeWatcher(db, lambda t: (seen.append(t), arrived.set()))
    watcher.start()
    try:
        time.sleep(0.5)  # LISTEN issued
        other = open_database(pg_url)  # window 2: its own engine and connections
        with UnitOfWork(other, CLERK, write=False) as uow:
            active = active_policy(uow)
        run_in_uow(other, CLERK, lambda uow: intake.submit_case(uow, payload(id_numbers(3, 1)[0]), active, "示范镇"))
        committed = time.monotonic()
        other.dispose()
        assert arrived.wait(2.0) and time.monotonic() - committed < 2.0
        assert "case" in seen
    finally:
        watcher.stop()
        db.dispose()


def test_sqlite_change_counter_is_polled_only_when_active(db_url: str) -> None:
    import threading

    from window_desk.actor import Actor
    from window_desk.changes import ChangeWatcher
    from window_desk.services import users

    db = open_database(db_url)
    seen: list[str] = []
    arrived = threading.Event()
    watcher = ChangeWatcher(db, lambda t: (seen.append(t), arrived.set()), interval=0.1)
    try:
        watcher.set_active(True)
        time.sleep(0.3)  # the first poll notes where the chain is
        with UnitOfWork(db, Actor.cli()) as uow:
            users.add_user(uow, "li", "admin", "password-123")
            uow.commit()
        assert arrived.wait(2.0) and seen == ["user"]
        watcher.set_active(False)
        time.sleep(0.3)
        arrived.clear()
        with UnitOfWork(db, Actor.cli()) as uow:
            users.add_user(uow, "wu", "clerk", "password-123")
            uow.commit()
        assert not arrived.wait(0.6)  # not looking: not polled
        watcher.set_active(True)  # the page shown again refreshes itself; from now on it is told again
        time.sleep(0.3)
        with UnitOfWork(db, Actor.cli()) as uow:
            users.add_user(uow, "zhao", "clerk", "password-123")
            uow.commit()
        assert arrived.wait(2.0) and seen == ["user", "user"]
    finally:
        watcher.stop()
        db.dispose()
