"""Saving a page's work in progress as a draft: soon after a change, never later than a second,
on every focus change, and again and again until it is saved.

- A change starts a short debounce (``delay_ms``, 400 ms): a pause in typing saves then. Typing that
  never pauses still starts a save ``max_wait_ms`` (0.8 s) after the first unsaved change, so it is
  saved within the second and a crash loses at most the last second.
- The keyboard focus leaving a widget of the page (Tab to the next field, a dialog, another window)
  saves at once.
- One save runs at a time, on a worker; changes made meanwhile are saved right after it. Only
  ``flush`` (the window closing) starts another beside a running one; a lock and a sequence number
  make sure an older payload never overwrites a newer one.
- A save that fails (the database locked by another program, a dropped connection, a full disk) is
  retried with a growing pause (0.5 s, 1 s, 2 s … at most 5 s) until one succeeds. Each failure is
  shown in the page's status line and written to ``logs/drafts.log`` (the error's kind and the
  attempt, never the draft's content); the success after failures is logged too.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from window_desk.errors import UserError
from window_desk.services import drafts
from window_desk.timeutil import format_local
from window_desk.ui.context import DeskContext

DELAY_MS = 400
# 1 s is the promise ("saved at most 1 s after any change"): the timer fires earlier, leaving the save
# itself (a few ms on a local SQLite file, tens on a server) time to finish within it.
MAX_WAIT_MS = 800
RETRY_FIRST_MS = 500
RETRY_MAX_MS = 5000
LOG_NAME = "drafts"


def _why(exc: BaseException) -> str:
    """What went wrong, in words that carry no personal data (a DBAPIError's text holds the SQL
    parameters, i.e. the draft itself, so only its kind is kept)."""
    from window_desk.uow import retry_reason

    reason = retry_reason(exc)
    if reason == "busy":
        return "数据库被占用"
    if reason == "lost":
        return "与数据库的连接中断"
    if isinstance(exc, OSError):
        return "无法写入磁盘"
    if isinstance(exc, UserError):
        return exc.message if exc.field == "数据库" else "保存被拒绝"
    return "数据库错误"


class DraftSaver(QObject):
    sig_saved = Signal(object)
    """Emitted with the moment (datetime) a draft was saved."""
    sig_failed = Signal(int, str)
    """Emitted with the attempt number and the reason when a save failed (a retry is scheduled)."""

    def __init__(self, ctx: DeskContext, page: QWidget, kind: str, payload: Callable[[], dict[str, Any]],
                 status: Callable[[str, bool], None], *, delay_ms: int | None = None,
                 max_wait_ms: int | None = None) -> None:
        super().__init__(page)
        self.ctx, self.page, self.kind = ctx, page, kind
        self._payload, self._status = payload, status
        self.delay_ms = DELAY_MS if delay_ms is None else delay_ms
        self.max_wait_ms = MAX_WAIT_MS if max_wait_ms is None else max_wait_ms
        self.dirty = False
        self.in_flight = False
        self.failures = 0
        self._generation = 0  # bumped by cancel(): a late answer or retry of a dropped draft is ignored
        self._since = QElapsedTimer()  # time since the first unsaved change
        self._seq = 0  # payloads handed to workers
        self._written = 0  # the newest one written (read and set by workers under _lock)
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.save_now)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        page.destroyed.connect(self._disconnect)

    def _disconnect(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            try:
                app.focusChanged.disconnect(self._focus_changed)
            except (RuntimeError, TypeError):
                pass

    @property
    def pending(self) -> bool:
        """Something typed is not saved yet (waiting, being saved or to be retried)."""
        return self.dirty or self.in_flight

    def changed(self) -> None:
        """The page's content changed: save after a pause, and at the latest ``max_wait_ms`` after
        the first change not yet saved."""
        if not self.dirty:
            self.dirty = True
            self._since.start()
        if self.in_flight or self._retry.isActive():
            return  # saved when the running save (or the retry) comes back
        self._arm()

    def _arm(self) -> None:
        left = self.max_wait_ms - (self._since.elapsed() if self._since.isValid() else 0)
        self._timer.start(max(0, min(self.delay_ms, left)))

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if not self.dirty or old is None or not shiboken6.isValid(self.page) or not shiboken6.isValid(old):
            return
        if old is self.page or self.page.isAncestorOf(old):
            self.save_now()

    def cancel(self) -> None:
        """The work was submitted or thrown away: nothing left to save (the page discards the draft)."""
        self._generation += 1
        self._timer.stop()
        self._retry.stop()
        self.dirty = False
        self.failures = 0
        self._since.invalidate()

    def hold(self) -> None:
        """The page submits its content now: no draft save meanwhile (``changed`` or ``save_now`` resumes)."""
        self._timer.stop()
        self._retry.stop()

    def flush(self) -> None:
        """The window is closing: save now, even beside a save still running (the caller waits)."""
        self.save_now(force=True)

    def save_now(self, *, force: bool = False) -> None:
        """Save what is on the page now (a worker does the writing); no-op when nothing changed."""
        self._timer.stop()
        if not self.dirty or (self.in_flight and not force):
            return
        self._retry.stop()
        self.dirty = False
        self._since.invalidate()
        self.in_flight = True
        payload = copy.deepcopy(self._payload())
        ctx, kind, generation = self.ctx, self.kind, self._generation
        self._seq += 1
        seq = self._seq

        def save() -> datetime | None:
            with self._lock:
                if seq < self._written:
                    return None  # a newer payload is saved already
                with ctx.uow() as uow:
                    at = drafts.save(uow, kind, payload)
                self._written = seq
                return at

        self.ctx.tasks.run(save, on_done=lambda at: self._saved(generation, at),
                           on_error=lambda exc: self._failed(generation, exc), owner=self.page)

    def _saved(self, generation: int, at: datetime | None) -> None:
        self.in_flight = False
        if generation != self._generation or at is None:
            return
        if self.failures:
            self._log(f"draft '{self.kind}' saved after {self.failures} failed attempt(s)")
        self.failures = 0
        self._status(f"草稿已自动保存 {format_local(at, seconds=True)}", False)
        self.sig_saved.emit(at)
        if self.dirty:  # typed while it was being saved
            self._arm()

    def _failed(self, generation: int, exc: BaseException) -> bool:
        self.in_flight = False
        if generation != self._generation:
            return True
        self.dirty = True  # what was on the page is still not saved
        if not self._since.isValid():
            self._since.start()
        self.failures += 1
        why = _why(exc)
        pause = min(RETRY_FIRST_MS * 2 ** (self.failures - 1), RETRY_MAX_MS)
        self._log(f"draft '{self.kind}' save failed (attempt {self.failures}, {type(exc).__name__}: "
                  f"{_ascii_reason(exc)}); retry in {pause} ms")
        self._status(f"草稿保存失败（{why}），{pause / 1000:g} 秒后自动重试（第 {self.failures} 次失败）；"
                     "已写入日志，录入内容仍在本页，请勿关闭程序", True)
        self.sig_failed.emit(self.failures, why)
        self._retry.start(pause)
        return True

    @staticmethod
    def _log(line: str) -> None:
        from window_desk.crashlog import write_event_log

        try:
            write_event_log(LOG_NAME, line)
        except OSError:
            pass  # the disk that refused the draft may refuse the log as well: the status line still says it


def _ascii_reason(exc: BaseException) -> str:
    from window_desk.uow import retry_reason

    return retry_reason(exc) or ("disk" if isinstance(exc, OSError) else "error")
