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
    log.error("unexpected error: %s\n%s", exc, trace)
    box = QMessageBox(QMessageBox.Icon.Critical, "内部错误", f"程序出现内部错误，已记录。\n{type(exc).__name__}: {exc}",
                      parent=parent)
    if trace:
        box.setDetailedText(trace)
    box.exec()
