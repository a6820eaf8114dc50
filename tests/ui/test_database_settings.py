"""设置 → 数据库: an administrator points the desk at a server by keyboard; an unreachable server at start asks."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from sqlalchemy.engine import make_url

from tests.conftest import missing
from tests.multidesk.test_dbconfig import memory_keyring  # noqa: F401 - fixture
from tests.ui.conftest import open_window
from tests.ui.keys import type_text
from window_desk.db import config as dbconfig
from window_desk.db.config import default_db_url


def _server() -> tuple[str, str, str, str]:
    base = os.environ.get("WINDOW_DESK_TEST_PG")
    if not base:
        missing("WINDOW_DESK_TEST_PG is not set (scripts/test.sh sets it where PostgreSQL is installed)")
    url = make_url(base)
    return url.query["host"], url.query["port"], url.database or "", url.username or ""  # type: ignore[return-value]


def _settings_page(window, qtbot):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "settings"
    return page.findChild(QPushButton, "db_test").parent()


def _retype(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


@pytest.mark.postgres
def test_admin_tests_and_saves_a_server(db, admin, tasks, qtbot, monkeypatch, memory_keyring) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    host, port, database, user = _server()
    window = open_window(db, admin, tasks, qtbot)
    group = _settings_page(window, qtbot)
    assert group.current.text().startswith("本机数据库（SQLite）")
    for edit, text in ((group.host, host), (group.port, port), (group.database, database), (group.user, user),
                       (group.password, "pw-typed")):
        _retype(qtbot, edit, text)
    group.sslmode.setFocus()
    qtbot.keyClick(group.sslmode, Qt.Key.Key_Home)  # 不加密: the test server has no TLS
    qtbot.mouseClick(group.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: group.result.text().startswith("连接成功"), timeout=10_000)

    restarted = []
    group._restart = lambda: restarted.append(True)  # noqa: SLF001 - a real restart would end the test run
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(group.save_button, Qt.MouseButton.LeftButton)
    assert restarted == [True]
    saved = make_url(default_db_url())
    assert (saved.database, saved.username, saved.query["sslmode"]) == (database, user, "disable")
    assert "pw-typed" not in dbconfig.config_path().read_text(encoding="utf-8")
    assert list(memory_keyring.items.values()) == ["pw-typed"]
    assert group.password.text() == ""


def test_bad_port_is_named_and_nothing_is_saved(db, admin, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(db, admin, tasks, qtbot)
    group = _settings_page(window, qtbot)
    _retype(qtbot, group.host, "db.county")
    _retype(qtbot, group.port, "99999")
    qtbot.mouseClick(group.save_button, Qt.MouseButton.LeftButton)
    assert group.result.text() == "端口：端口应为 1–65535 的整数"
    assert not dbconfig.config_path().exists()


def test_a_clerk_sees_the_connection_but_cannot_change_it(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    group = _settings_page(window, qtbot)
    assert group.current.text().startswith("本机数据库（SQLite）")
    assert not group.host.isEnabled() and not group.save_button.isEnabled() and not group.test_button.isEnabled()


def test_unreachable_server_at_start_offers_retry_and_local(app, qtbot, _isolated_home) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.app import open_desk_database

    dbconfig.save(dbconfig.ServerConfig("127.0.0.1", 1, "county", "desk", "disable", "pgpass"), None)
    clicks = ["重试", "使用本机数据库"]
    asked = []

    def click_next() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click_next)
            return
        asked.append(box.text())
        label = clicks.pop(0)
        button = next(b for b in box.buttons() if b.text() == label)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        if clicks:
            QTimer.singleShot(50, click_next)

    QTimer.singleShot(50, click_next)
    db = open_desk_database(None)
    try:
        assert db is not None and db.is_sqlite
        assert len(asked) == 2 and all("无法连接：PostgreSQL 服务器 127.0.0.1:1" in text for text in asked)
    finally:
        if db is not None:
            db.dispose()
