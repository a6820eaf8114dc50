"""The unit of work: one session, one transaction, its audit entries inside it.

Services take a ``UnitOfWork`` and call ``commit()`` once at the end; leaving
the block without committing (an error, an early return) rolls everything
back, audit entries included, so nothing is ever half-saved.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.engine import Database
from window_desk.errors import DatabaseBusy

log = logging.getLogger(__name__)
T = TypeVar("T")

# PostgreSQL SQLSTATEs that mean "another transaction got in the way; the same work may well succeed now":
# serialization_failure, deadlock_detected, lock_not_available.
RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
DEFAULT_RETRIES = 3


class UnitOfWork:
    def __init__(self, db: Database, actor: Actor, *, write: bool = True) -> None:
        self.db = db
        self.actor = actor
        self.write = write
        self._session: Session | None = None
        self.changed: list[tuple[str, str]] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self.db.session_factory()
        # Procure the connection now so the SQLite "begin" hook sees the write flag.
        self._session.connection(execution_options={"write": self.write})
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def audit(self, action: str, entity_type: str, entity_id: object, changes: Any) -> None:
        """Record what changed, in this transaction."""
        if not self.write:
            raise RuntimeError("read-only unit of work cannot write audit entries")
        audit.append(self.session, self.actor.label, action, entity_type, entity_id, changes)
        self.changed.append((entity_type, str(entity_id)))

    def audit_many(self, entries: list[tuple[str, str, object, Any]]) -> None:
        """Several entries ``(action, entity_type, entity_id, changes)`` in order, in one statement."""
        if not self.write:
            raise RuntimeError("read-only unit of work cannot write audit entries")
        audit.append_many(self.session, self.actor.label, [(a, t, str(i), c) for a, t, i, c in entries])
        self.changed.extend((t, str(i)) for _a, t, i, _c in entries)

    def commit(self) -> None:
        if self.changed and self.db.engine.dialect.name == "postgresql":
            # Other windows refresh (window_desk.changes); delivered only if this commits.
            from sqlalchemy import text

            from window_desk.changes import notify_sql

            stmt = notify_sql(entity for entity, _id in self.changed)
            if stmt is not None:
                self.session.execute(text(stmt[0]), stmt[1])
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def retry_reason(exc: BaseException) -> str | None:
    """Why ``exc`` is worth re-running the whole unit of work for: "busy", "lost", or None (a real error)."""
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated:
        return "lost"
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in RETRY_SQLSTATES:
        return "busy"
    if sqlstate and sqlstate.startswith("08"):  # connection exceptions
        return "lost"
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text or "database table is locked" in text:
        return "busy"
    if "server closed the connection" in text or "terminating connection" in text or "connection is closed" in text:
        return "lost"
    return None


def run_in_uow(
    db: Database, actor: Actor, fn: Callable[[UnitOfWork], T], *, retries: int = DEFAULT_RETRIES, write: bool = True
) -> T:
    """Run ``fn(uow)`` in a fresh unit of work; re-run it as a whole when another desk got in the way.

    ``fn`` is a service call that commits once at its end. A serialization failure, deadlock, SQLite
    busy database or a dropped connection rolls the attempt back entirely (nothing half-saved) and runs
    ``fn`` again in a new transaction, up to ``retries`` more times with a short random back-off; then a
    ``DatabaseBusy`` error says in Chinese that nothing was saved. Any other error propagates at once.
    """
    attempt = 0
    while True:
        try:
            with UnitOfWork(db, actor, write=write) as uow:
                return fn(uow)
        except DBAPIError as exc:
            reason = retry_reason(exc)
            if reason is None:
                raise
            if attempt >= retries:
                log.warning("unit of work given up after %d retries (%s): %s", attempt, reason, type(exc.orig).__name__)
                if reason == "lost":
                    raise DatabaseBusy(
                        f"与数据库的连接中断,已重试 {attempt} 次仍未恢复;本次内容没有保存,请检查网络后再试",
                        field="数据库",
                    ) from exc
                raise DatabaseBusy(
                    f"数据库正忙(其他窗口同时在保存),已重试 {attempt} 次仍未成功;本次内容没有保存,请稍后再试",
                    field="数据库",
                ) from exc
            attempt += 1
            log.info("unit of work retried (%s, attempt %d)", reason, attempt)
            time.sleep(random.uniform(0.02, 0.1) * (2 ** (attempt - 1)))
