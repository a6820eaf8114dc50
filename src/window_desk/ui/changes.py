"""What other windows changed, as a Qt signal pages subscribe to (register, inquiry list…).

    ctx.changes.watch(self, lambda entity_type: ...)   # called on the GUI thread, only while self is shown

On SQLite the database is polled only while at least one watching page is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from window_desk.changes import ChangeWatcher
from window_desk.db.engine import Database


class ChangeNotifier(QObject):
    sig_changed = Signal(str)
    """Emitted on the GUI thread when a desk committed a change; argument: the entity type
    ("case", "inquiry", "document", …) as written in the audit log."""

    def __init__(self, db: Database, parent: QObject | None = None, *, interval: float = 0.4) -> None:
        super().__init__(parent)
        self._watcher = ChangeWatcher(db, self.sig_changed.emit, interval=interval)
        self._shown: set[int] = set()

    def watch(self, page: QWidget, on_change: Callable[[str], None]) -> None:
        """Call ``on_change(entity_type)`` for changes that arrive while ``page`` is shown."""
        page.installEventFilter(self)
        self.sig_changed.connect(lambda entity_type: on_change(entity_type) if page.isVisible() else None)
        if page.isVisible():
            self._set_shown(page, True)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show:
            self._set_shown(obj, True)
        elif event.type() in (QEvent.Type.Hide, QEvent.Type.Close):
            self._set_shown(obj, False)
        return False

    def _set_shown(self, obj: QObject, shown: bool) -> None:
        (self._shown.add if shown else self._shown.discard)(id(obj))
        self._watcher.set_active(bool(self._shown))

    def stop(self) -> None:
        self._watcher.stop()
