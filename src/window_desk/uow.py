"""The unit of work: one session, one transaction, its audit entries inside it.

Services take a ``UnitOfWork`` and call ``commit()`` once at the end; leaving
the block without committing (an error, an early return) rolls everything
back, audit entries included, so nothing is ever half-saved.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.engine import Database


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

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
