"""Typing as a clerk does: keys for ASCII, an input-method commit for Chinese.

QTest can only synthesise key events for Latin-1 characters; Chinese arrives
from the IME (搜狗, 微软拼音…) as a committed string, which is what we send.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    for is_ascii, chunk in itertools.groupby(text, key=lambda c: ord(c) < 128):
        part = "".join(chunk)
        if is_ascii:
            qtbot.keyClicks(widget, part)
        else:
            event = QInputMethodEvent()
            event.setCommitString(part)
            QApplication.sendEvent(widget, event)


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def tab(qtbot, times: int = 1) -> QWidget:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    return focus()


def enter(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focus(), Qt.Key.Key_Return)


def key(qtbot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focus(), k, modifier)
