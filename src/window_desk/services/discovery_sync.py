"""Accepted cases onto the observation and monitoring lists, a page of cases at a time.

Each case is looked at once, when it is new: the highest case id looked at is kept (``MARK_KEY``), and a
step reads the next ``SYNC_PAGE`` cases by primary key, so a step costs the same on a register of a
thousand cases or a million, and the lists stay current without reading the whole register on every
refresh. An assessment belongs to its case from acceptance on (a case is never re-assessed), so a case
looked at never needs looking at again — except, on PostgreSQL, the last ``LOOK_BACK`` ids below the mark:
there a case numbered lower can commit after a higher one was seen (desks' transactions last moments).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from window_desk.db.models import Case, Setting
from window_desk.permissions import requires
from window_desk.services.discovery_monitoring import sync_monitoring
from window_desk.services.discovery_observation import sync_observation
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

SYNC_PAGE = 2000
LOOK_BACK = 200
MARK_KEY = "discovery_synced_case_id"  # bookkeeping, not a township setting: not in settings.DEFAULTS


@dataclass(frozen=True)
class SyncStep:
    """What one step did: entries added, the highest case id looked at, whether cases remain, and how
    many cases the register holds above that id (an estimate from ids, for the status line)."""

    added: int
    reached: int
    done: bool
    left: int


def _mark(uow: UnitOfWork) -> int:
    row = uow.session.get(Setting, MARK_KEY)
    return int(row.value) if row is not None else 0


def _set_mark(uow: UnitOfWork, value: int) -> None:
    row = uow.session.get(Setting, MARK_KEY)
    if row is None:
        uow.session.add(Setting(key=MARK_KEY, value=value, updated_at=now(), updated_by=uow.actor.label))
    elif int(row.value) != value:
        row.value, row.updated_at, row.updated_by = value, now(), uow.actor.label


def _page(uow: UnitOfWork, size: int | None) -> SyncStep:
    size = size or SYNC_PAGE
    mark = _mark(uow)
    ids = list(uow.session.scalars(select(Case.id).where(Case.id > mark).order_by(Case.id).limit(size)))
    reached = ids[-1] if ids else mark
    # SQLite has one writer at a time and numbers a case inside its write: no case commits out of order.
    back = LOOK_BACK if uow.session.bind.dialect.name == "postgresql" else 0
    low = max(mark - back, 0)
    added = sync_observation(uow, low, reached) + sync_monitoring(uow, low, reached)
    _set_mark(uow, reached)
    uow.session.flush()
    top = uow.session.scalar(select(func.max(Case.id))) or 0
    return SyncStep(added, reached, len(ids) < size, max(top - reached, 0))


@requires("discovery.write")
def sync_step(uow: UnitOfWork, size: int | None = None) -> SyncStep:
    """Look at the next ``size`` new cases (and the last few below them again); commits."""
    step = _page(uow, size)
    uow.commit()
    return step


@requires("discovery.write")
def sync_from_cases(uow: UnitOfWork, size: int | None = None) -> int:
    """Every new case at once, page by page in one transaction (the CLI, demo data and tests; the desk
    takes ``sync_step``s in the background). Returns how many entries were added. Commits."""
    added = 0
    while True:
        step = _page(uow, size)
        added += step.added
        uow.session.expunge_all()  # a page's cases and assessments are not needed again
        if step.done:
            break
    uow.commit()
    return added
