"""Gapless numbers per kind, office and year.

The counter row is bumped inside the caller's transaction, so a number exists
exactly when the record that carries it was committed: a rolled-back print
leaves no gap, and a committed number is never handed out again.
"""

from __future__ import annotations

from sqlalchemy import select

from window_desk.db.models import DocumentCounter
from window_desk.uow import UnitOfWork


def next_seq(uow: UnitOfWork, kind: str, office: str, year: int) -> int:
    counter = uow.session.execute(
        select(DocumentCounter)
        .where(DocumentCounter.kind == kind, DocumentCounter.office == office, DocumentCounter.year == year)
        .with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        counter = DocumentCounter(kind=kind, office=office, year=year, last_seq=0)
        uow.session.add(counter)
    counter.last_seq += 1
    uow.session.flush()
    return counter.last_seq


def case_number(office: str, year: int, seq: int) -> str:
    """Case numbers read like the register's: 示范镇-2026-00042."""
    return f"{office}-{year}-{seq:05d}"
