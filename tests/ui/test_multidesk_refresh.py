"""A case accepted at window 2 (another process) appears in window 1's register within 2 s."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from tests.conftest import run_cli


def test_register_shows_a_case_from_another_window(window, db_url, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "register"
    qtbot.waitUntil(lambda: "共 0 件" in page.count.text(), timeout=5000)
    # Window 2: another desk process on the same database file.
    other = run_cli("--db", db_url, "demo-data", "--cases", "1")
    assert other.returncode == 0, other.stderr
    committed = time.monotonic()
    qtbot.waitUntil(lambda: "共 1 件" in page.count.text(), timeout=2000)
    assert time.monotonic() - committed < 2.0
    assert page.model.index(0, 0).data().endswith("-00001")


def test_a_hidden_register_does_not_poll(window, db_url, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The register is not shown (intake is): the SQLite change counter is not polled."""
    assert window.current_page.page_id != "register"
    watcher = window.ctx.changes._watcher  # noqa: SLF001 - the poller's state is what is checked
    assert not watcher._active.is_set()  # noqa: SLF001
