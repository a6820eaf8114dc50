"""Running work off the GUI thread.

``TaskRunner.run(fn, on_done=..., on_error=...)`` runs ``fn()`` on a worker
thread and calls back on the GUI thread with its result or its exception (as
Anki's QueryOp / Picard's run_task). Card reading, printing, exports and long
queries all go through it, so the window never freezes with a queue waiting.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; its signals are delivered there (queued) from workers."""

    sig_done = Signal(object)
    """Emitted with the function's return value."""
    sig_failed = Signal(object, str)
    """Emitted with the exception and its formatted traceback."""


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        # Drop the job's references before reporting: the wrapper of a finished job is freed only some
        # time after the run, and the function's closure holds the widget that asked (and what it shows).
        fn, relay = self.fn, self.relay
        self.fn = self.relay = None  # type: ignore[assignment]
        try:
            result = fn()
        except BaseException as exc:  # everything must reach the GUI thread, even a bug
            relay.sig_failed.emit(exc, traceback.format_exc())
        else:
            relay.sig_done.emit(result)


class TaskRunner(QObject):
    """Runs callables on a thread pool and reports back on the GUI thread."""

    sig_busy_changed = Signal(int)
    """Emitted with the number of tasks still running."""

    def __init__(self, on_unhandled_error: Callable[[BaseException, str], None], parent: QObject | None = None,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._on_unhandled_error = on_unhandled_error
        self._running: set[_Relay] = set()

    @property
    def busy(self) -> int:
        return len(self._running)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], bool | None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn`` in a worker. ``on_error`` may return True to say it handled the error;
        otherwise the runner's default handler shows it. When ``owner`` (the widget that
        asked) is gone by the time the answer arrives, the callbacks are skipped."""
        relay = _Relay()
        self._running.add(relay)

        def finish() -> None:
            self._running.discard(relay)
            relay.deleteLater()
            self.sig_busy_changed.emit(len(self._running))

        def owner_gone() -> bool:
            return owner is not None and not shiboken6.isValid(owner)

        @Slot(object)
        def done(result: Any) -> None:
            finish()
            if on_done is not None and not owner_gone():
                on_done(result)

        @Slot(object, str)
        def failed(exc: BaseException, trace: str) -> None:
            finish()
            handled = on_error(exc) if on_error is not None and not owner_gone() else False
            if not handled:
                self._on_unhandled_error(exc, trace)

        # Queued: the relay lives on the GUI thread, so the callbacks run there.
        relay.sig_done.connect(done, Qt.ConnectionType.QueuedConnection)
        relay.sig_failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self.sig_busy_changed.emit(len(self._running))
        self._pool.start(_Job(fn, relay))

    def wait_all(self, msecs: int = 30_000) -> bool:
        """Block until workers finish (used when the window closes)."""
        return self._pool.waitForDone(msecs)
