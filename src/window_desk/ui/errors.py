"""Showing errors to a person: UserErrors as they are, anything else as an internal error."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from window_desk.errors import UserError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, "无法完成", str(exc))
        return
    from window_desk.crashlog import write_crash_log
    from window_desk.redact import redact_text, redact_traceback

    # The resident being served must not end up in a log or a screenshot of this box.
    trace = redact_traceback(trace) if trace else ""
    message = redact_text(str(exc))
    try:
        path = write_crash_log(trace or f"{type(exc).__name__}: {message}\n")
    except OSError:
        path = None
    log.error("unexpected error: %s: %s (crash log %s)", type(exc).__name__, message, path)
    box = QMessageBox(QMessageBox.Icon.Critical, "内部错误",
                      f"程序出现内部错误，已记录。\n{type(exc).__name__}：{message}", parent=parent)
    if trace:
        box.setDetailedText(trace)
    box.exec()
