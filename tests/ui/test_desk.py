"""The desk as a clerk meets it: first run, login, moving through pages by keyboard."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.ui.conftest import PASSWORD
from tests.ui.keys import type_text


def _type_into_focus(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit), widget
    widget.selectAll()
    type_text(qtbot, widget, text)


def _tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def _enter(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def _show(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)


def test_first_run_creates_the_administrator_by_keyboard(db, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.login import FirstAdminDialog

    dialog = FirstAdminDialog(db, tasks)
    _show(qtbot, dialog)
    _type_into_focus(qtbot, "chief")
    _tab(qtbot)
    _type_into_focus(qtbot, "李站长")
    _tab(qtbot)
    _type_into_focus(qtbot, "long-password")
    _tab(qtbot)
    _type_into_focus(qtbot, "different-one")
    _enter(qtbot)
    assert "不一致" in dialog.message.text()
    assert dialog.created is None
    dialog.confirm.setFocus()
    _type_into_focus(qtbot, "long-password")
    _enter(qtbot)
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=10_000)
    assert dialog.created.username == "chief"
    assert dialog.created.role == "admin"
    assert dialog.result() == dialog.DialogCode.Accepted


def test_first_run_rejects_a_short_password_in_the_dialog(db, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.login import FirstAdminDialog

    dialog = FirstAdminDialog(db, tasks)
    _show(qtbot, dialog)
    dialog.password.setText("short")
    dialog.confirm.setText("short")
    dialog.confirm.setFocus()
    _enter(qtbot)
    qtbot.waitUntil(lambda: "至少需要" in dialog.message.text(), timeout=10_000)
    assert dialog.created is None and dialog.isVisible()


def test_login_by_keyboard_with_a_wrong_password_first(db, admin, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.login import LoginDialog

    dialog = LoginDialog(db, tasks)
    _show(qtbot, dialog)
    _type_into_focus(qtbot, "admin")
    _tab(qtbot)
    _type_into_focus(qtbot, "not-the-password")
    _enter(qtbot)
    qtbot.waitUntil(lambda: "用户名或密码错误" in dialog.message.text(), timeout=10_000)
    assert dialog.password.text() == ""
    assert QApplication.focusWidget() is dialog.password
    _type_into_focus(qtbot, PASSWORD)
    _enter(qtbot)
    qtbot.waitUntil(lambda: dialog.user is not None, timeout=10_000)
    assert dialog.user.username == "admin"


def test_login_flow_on_an_empty_database_goes_through_both_dialogs(db, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.app import login_flow
    from window_desk.ui.login import FirstAdminDialog, LoginDialog

    seen: list[str] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FirstAdminDialog) and "first" not in seen:
            seen.append("first")
            dialog.password.setText("long-password")
            dialog.confirm.setText("long-password")
            dialog.buttons.accepted.emit()
        elif isinstance(dialog, LoginDialog) and "login" not in seen:
            seen.append("login")
            assert dialog.username.text() == "admin"  # carried over from the first dialog
            dialog.password.setText("long-password")
            dialog.buttons.accepted.emit()
        if "login" not in seen:
            QTimer.singleShot(50, drive)

    QTimer.singleShot(50, drive)
    user = login_flow(db, tasks)
    assert seen == ["first", "login"]
    assert user is not None and user.username == "admin" and user.role == "admin"


def test_every_page_has_a_shortcut_and_the_status_bar_names_the_user(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.pages import PAGE_CLASSES

    assert "张窗口" in window.user_label.text() and "窗口受理员" in window.user_label.text()
    assert window.current_page.page_id == PAGE_CLASSES[0].page_id
    changes: list[str] = []
    window.sig_page_changed.connect(changes.append)
    for cls in reversed(PAGE_CLASSES):
        if not cls.visible_to("clerk"):
            continue
        number = int(cls.shortcut.rsplit("+", 1)[1])
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page.page_id == cls.page_id, cls.title
    assert changes and changes[-1] == PAGE_CLASSES[0].page_id
    shortcuts = [cls.shortcut for cls in PAGE_CLASSES]
    assert len(set(shortcuts)) == len(shortcuts)
    titles = [window.nav.item(i).text().split("\t")[0] for i in range(window.nav.count())]
    assert titles[:3] == ["首问登记", "受理", "个案台账"]


def test_task_runner_works_off_the_gui_thread_and_answers_on_it(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    main = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        return threading.get_ident()

    def done(worker_ident: int) -> None:
        seen["worker"] = worker_ident
        seen["callback"] = threading.get_ident()

    tasks.run(work, on_done=done)
    qtbot.waitUntil(lambda: "callback" in seen, timeout=5000)
    assert seen["worker"] != main
    assert seen["callback"] == main
    assert tasks.busy == 0


def test_task_runner_routes_errors(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.errors import UserError

    handled: list[BaseException] = []

    def boom() -> None:
        raise UserError("不能为空", field="姓名")

    tasks.run(boom, on_error=lambda exc: handled.append(exc) or True)
    qtbot.waitUntil(lambda: handled != [], timeout=5000)
    assert str(handled[0]) == "姓名：不能为空"
    # An error nobody handles reaches the runner's default handler.
    tasks.run(lambda: 1 / 0)
    qtbot.waitUntil(lambda: tasks.unhandled != [], timeout=5000)
    assert isinstance(tasks.unhandled.pop(), ZeroDivisionError)
