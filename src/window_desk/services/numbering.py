"""Gapless numbers per kind, office and year.

The counter row is bumped inside the caller's transaction, so a number exists
exactly when the record that carries it was committed: a rolled-back print
leaves no gap, and a committed number is never handed out again.

Across desks sharing one database: the counter row is created with
``INSERT … ON CONFLICT DO NOTHING`` (two desks taking the first number of a
year do not collide on the primary key), then read ``SELECT … FOR UPDATE``, so
the second desk waits for the first to commit and takes the next number. On
SQLite the writer's ``BEGIN IMMEDIATE`` already serialises the whole unit of work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from window_desk.db.models import DocumentCounter
from window_desk.uow import UnitOfWork


def insert_ignoring_conflict(session: Session, model: type, values: dict[str, Any]) -> None:
    """``INSERT … ON CONFLICT DO NOTHING`` for the session's backend (PostgreSQL or SQLite)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    else:  # pragma: no cover - only the two backends are supported
        raise RuntimeError(f"unsupported database backend: {name}")
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def next_seq(uow: UnitOfWork, kind: str, office: str, year: int) -> int:
    session = uow.session
    key = (DocumentCounter.kind == kind, DocumentCounter.office == office, DocumentCounter.year == year)
    insert_ignoring_conflict(session, DocumentCounter, {"kind": kind, "office": office, "year": year, "last_seq": 0})
    last = session.execute(select(DocumentCounter.last_seq).where(*key).with_for_update()).scalar_one()
    seq = last + 1
    session.execute(update(DocumentCounter).where(*key).values(last_seq=seq).execution_options(synchronize_session=False))
    # Any DocumentCounter already in the session must not write its stale value back.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, DocumentCounter) and (obj.kind, obj.office, obj.year) == (kind, office, year):
            session.expire(obj)
    return seq


def case_number(office: str, year: int, seq: int) -> str:
    """Case numbers read like the register's: 示范镇-2026-00042."""
    return f"{office}-{year}-{seq:05d}"
