"""The preview window: it fits the screen it opens on and remembers the size the clerk gave it.

The size is changed the way a window manager changes it (the platform window is resized, and the
dialog gets its resize event from there), the window is closed by Esc and by the window's ×, and a
new preview opens at the remembered size — never larger than the screen's available area.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize, Qt

from tests.forms.pdf_tools import load_sample
from window_desk.forms import render_pdf


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf("acceptance_notice", load_sample("acceptance_notice"))


def _open(pdf: bytes, tasks, qtbot):  # type: ignore[no-untyped-def]
    from window_desk.ui.preview import PreviewDialog

    dialog = PreviewDialog(pdf, "受理通知书", tasks, suggested_name="受理通知书")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    return dialog


def _fits(dialog) -> None:  # type: ignore[no-untyped-def]
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.geometry()), (area, dialog.geometry())
    for button in (dialog.print_button, dialog.save_button):
        assert button.isVisible()
        assert area.contains(button.mapToGlobal(button.rect().bottomRight()))
        assert area.contains(button.mapToGlobal(QPoint(0, 0)))


def _resize_by_window_system(dialog, size: QSize, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Resize the platform window, as dragging its border does; the dialog hears of it by a resize event."""
    seen: list[QSize] = []
    original = dialog.resizeEvent

    def spy(event):  # type: ignore[no-untyped-def]
        seen.append(event.size())
        original(event)

    dialog.resizeEvent = spy
    dialog.windowHandle().resize(size)
    qtbot.waitUntil(lambda: bool(seen) and dialog.size() == seen[-1], timeout=2000)
    dialog.resizeEvent = original


def test_preview_opens_within_the_screen(pdf, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(pdf, tasks, qtbot)
    _fits(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def test_preview_remembers_the_size_the_clerk_gave_it(pdf, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    first = _open(pdf, tasks, qtbot)
    start = first.size()
    wanted = QSize(max(300, start.width() - 90), max(300, start.height() - 120))
    assert wanted != start
    _resize_by_window_system(first, wanted, qtbot)
    assert first.size() == wanted
    qtbot.keyClick(first, Qt.Key.Key_Escape)  # closed by the key
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=2000)

    second = _open(pdf, tasks, qtbot)
    assert second.size() == wanted
    _fits(second)
    smaller = QSize(wanted.width() - 40, wanted.height() - 50)
    _resize_by_window_system(second, smaller, qtbot)
    second.windowHandle().close()  # closed by the window's ×: a close event from the window system
    qtbot.waitUntil(lambda: not second.isVisible(), timeout=2000)

    third = _open(pdf, tasks, qtbot)
    assert third.size() == smaller
    qtbot.keyClick(third, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not third.isVisible(), timeout=2000)


def test_a_size_remembered_on_a_bigger_screen_is_cut_to_this_one(pdf, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Made three screens large (a desk moved from a wall monitor to a laptop), it opens within this one."""
    first = _open(pdf, tasks, qtbot)
    area = first.screen().availableGeometry()
    huge = QSize(area.width() * 3, area.height() * 3)
    _resize_by_window_system(first, huge, qtbot)
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=2000)

    second = _open(pdf, tasks, qtbot)
    _fits(second)
    assert second.width() < huge.width() and second.height() < huge.height()
    assert second.width() >= area.width() - 16 - 1  # as wide as the screen lets it be, not a default
    qtbot.keyClick(second, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not second.isVisible(), timeout=2000)
