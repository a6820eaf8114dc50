"""Seeing the other windows: what another desk committed, as entity types ("case", "inquiry", …).

PostgreSQL: every unit of work that wrote something sends ``NOTIFY window_desk_changes`` with the entity
types it touched (delivered only when it commits); a watcher LISTENs on its own connection.
SQLite: the audit chain's tip (``audit_head.last_id``, one primary-key read) is a change counter that every
write bumps; while a page that wants to know is shown, it is polled a few times a second, and the entity
types of the new audit entries are read by id range. Payloads carry entity types only — never personal data.

The watcher runs on a daemon thread and calls ``on_change(entity_type)`` from there; the UI relays it
to the GUI thread (ui/changes.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import select, text

from window_desk.db.engine import Database
from window_desk.db.models import AuditEntry, AuditHead

log = logging.getLogger(__name__)

CHANNEL = "window_desk_changes"


def notify_sql(entity_types: Iterable[str]) -> tuple[str, dict[str, str]] | None:
    """The statement a PostgreSQL unit of work runs before committing (None: nothing to say)."""
    types = sorted(set(entity_types))
    if not types:
        return None
    return f"SELECT pg_notify('{CHANNEL}', :payload)", {"payload": ",".join(types)}


class ChangeWatcher:
    def __init__(self, db: Database, on_change: Callable[[str], None], *, interval: float = 0.4) -> None:
        self.db = db
        self.on_change = on_change
        self.interval = interval
        self._active = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_id: int | None = None

    @property
    def listens(self) -> bool:
        return self.db.engine.dialect.name == "postgresql"

    def set_active(self, active: bool) -> None:
        """Poll only while someone looks (SQLite); PostgreSQL listens all the time, at no cost."""
        if active:
            if not self._active.is_set():
                # A page being shown refreshes itself; count only what is committed from now on.
                self._last_id = None
            self._active.set()
            self.start()
        else:
            self._active.clear()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="window-desk-changes", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._active.set()  # wake the poller so it sees the stop
        if self._thread is not None:
            self._thread.join(timeout=3)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen() if self.listens else self._poll()
            except Exception as exc:  # a lost connection: wait a moment and start again
                log.warning("change watcher: %s", type(exc).__name__)
                self._stop.wait(2.0)

    def _emit(self, types: Iterable[str]) -> None:
        for entity_type in sorted(set(types)):
            try:
                self.on_change(entity_type)
            except Exception:  # a subscriber's bug must not stop the watcher
                log.exception("change subscriber failed")

    # --- SQLite (and any backend): the audit tip as a change counter ---
    def _tip(self) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.execute(select(AuditHead.last_id).where(AuditHead.id == 1)).scalar_one())

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._active.wait()
            if self._stop.is_set():
                return
            tip = self._tip()
            if self._last_id is None:
                self._last_id = tip
            elif tip > self._last_id:
                with self.db.engine.connect() as conn:
                    types = conn.execute(
                        select(AuditEntry.entity_type).distinct()
                        .where(AuditEntry.id > self._last_id, AuditEntry.id <= tip)
                    ).scalars().all()
                self._last_id = tip
                self._emit(types)
            self._stop.wait(self.interval)

    # --- PostgreSQL: LISTEN/NOTIFY on a connection of its own ---
    def _listen(self) -> None:
        raw = self.db.engine.raw_connection()
        try:
            conn = raw.driver_connection  # psycopg.Connection
            assert conn is not None
            conn.autocommit = True
            conn.execute(text(f"LISTEN {CHANNEL}").text)
            while not self._stop.is_set():
                for note in conn.notifies(timeout=0.5, stop_after=1):
                    self._emit(t for t in note.payload.split(",") if t)
        finally:
            raw.invalidate()  # never hand a LISTENing connection back to the pool
