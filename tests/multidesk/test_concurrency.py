"""Several desks at once on one database (spawned processes, released together), on SQLite and PostgreSQL."""

from __future__ import annotations

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
