"""设置 → 用户 by key events: an administrator lists, adds, deactivates, reactivates and resets; every bad
input is refused with the field named and nothing saved; the reset user must change the password at the
next login; a clerk sees none of it and the services refuse it too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from tests.ui.conftest import PASSWORD, open_window
from tests.ui.keys import focus, key, tab, type_text
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, User
from window_desk.errors import PermissionDenied, UserError
from window_desk.services import users
from window_desk.timeutil import format_local
from window_desk.uow import UnitOfWork


def _settings(win, qtbot):  # type: ignore[no-untyped-def]
    qtbot.keyClick(win, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    assert page.page_id == "settings"
    return page


def _names(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def _cell(table, username: str, column: int) -> str:  # type: ignore[no-untyped-def]
    return table.item(_names(table).index(username), column).text()


def _stored(db, username: str) -> User:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        user = uow.session.scalar(select(User).where(User.username == username))
        assert user is not None
        uow.session.expunge(user)
        return user


def _actions(db) -> list[str]:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        return [e.action for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _enter(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focus(), Qt.Key.Key_Return)


def _retype(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focus(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focus(), Qt.Key.Key_Delete)
    type_text(qtbot, focus(), text)


def _open_dialog(group, qtbot, letter: Qt.Key):  # type: ignore[no-untyped-def]
    before = group.dialog
    key(qtbot, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: group.dialog is not before and group.dialog is not None and group.dialog.isVisible(),
                    timeout=5000)
    dialog = group.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is dialog,
                    timeout=5000)
    return dialog


def _refused(dialog, qtbot, expected: str) -> None:  # type: ignore[no-untyped-def]
    _enter(qtbot)
    qtbot.waitUntil(lambda: dialog.message.text().startswith(expected), timeout=10_000)
    assert dialog.isVisible() and dialog.buttons.isEnabled()


def _select(group, qtbot, username: str) -> None:  # type: ignore[no-untyped-def]
    table = group.table
    qtbot.waitUntil(table.window().isActiveWindow, timeout=5000)  # the dialog before has closed
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(table.hasFocus, timeout=5000)
    qtbot.keyClick(table, Qt.Key.Key_Home)
    for _ in range(_names(table).index(username)):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert group.selected() is not None and group.selected().username == username


def test_admin_adds_a_user_by_keyboard_with_bad_input_refused(db, admin, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor(label="login", role="")) as uow:
        users.authenticate(uow, "zhang", PASSWORD)
    zhang_login = _stored(db, "zhang").last_login_at
    win = open_window(db, admin, tasks, qtbot)
    page = _settings(win, qtbot)
    group = page.users_box
    assert group.isVisible()
    qtbot.waitUntil(lambda: _names(group.table) == ["admin", "zhang"], timeout=10_000)
    assert [group.table.horizontalHeaderItem(c).text() for c in range(5)] == ["用户名", "姓名", "角色", "状态", "最近登录"]
    assert _cell(group.table, "zhang", 2) == "窗口受理员" and _cell(group.table, "zhang", 3) == "启用"
    assert _cell(group.table, "zhang", 4) == format_local(zhang_login)  # China time, to the minute
    before = _actions(db)

    _select(group, qtbot, "admin")
    dialog = _open_dialog(group, qtbot, Qt.Key.Key_N)
    assert focus() is dialog.username
    _refused(dialog, qtbot, "用户名：不能为空")
    type_text(qtbot, focus(), "zhang")
    tab(qtbot)
    type_text(qtbot, focus(), "李四")
    tab(qtbot, 2)
    assert focus() is dialog.password
    _refused(dialog, qtbot, "初始密码：不能为空")
    type_text(qtbot, focus(), "12345678")
    _refused(dialog, qtbot, "初始密码：过于简单")
    assert focus() is dialog.password
    _retype(qtbot, "short")
    _refused(dialog, qtbot, "初始密码：至少需要 8 个字符")
    _retype(qtbot, "window-pass-2")
    _refused(dialog, qtbot, "用户名：用户名 zhang 已存在")
    assert focus() is dialog.username
    _retype(qtbot, "li si")
    _refused(dialog, qtbot, "用户名：")
    _retype(qtbot, "lisi")
    assert _actions(db) == before  # nothing saved by any refusal
    _enter(qtbot)
    qtbot.waitUntil(lambda: "lisi" in _names(group.table), timeout=10_000)
    assert not dialog.isVisible() and "已添加用户 lisi" in group.status.text()
    assert _cell(group.table, "lisi", 1) == "李四" and _cell(group.table, "lisi", 4) == "从未登录"
    assert _cell(group.table, "lisi", 3) == "须改密码"
    stored = _stored(db, "lisi")
    assert stored.role == "clerk" and stored.must_change_password and stored.active
    assert _actions(db) == [*before, "user.add"]


def test_admin_deactivates_reactivates_and_resets(db, admin, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    win = open_window(db, admin, tasks, qtbot)
    group = _settings(win, qtbot).users_box
    qtbot.waitUntil(lambda: _names(group.table) == ["admin", "zhang"], timeout=10_000)
    before = _actions(db)

    _select(group, qtbot, "zhang")
    dialog = _open_dialog(group, qtbot, Qt.Key.Key_T)
    assert "停用" in dialog.windowTitle() and focus() is dialog.reason
    _refused(dialog, qtbot, "理由：请写明理由")
    type_text(qtbot, focus(), "调离本所")
    _enter(qtbot)
    qtbot.waitUntil(lambda: _cell(group.table, "zhang", 3) == "停用", timeout=10_000)
    assert not _stored(db, "zhang").active
    qtbot.waitUntil(group.table.hasFocus, timeout=5000)  # back to the list for the next action
    with UnitOfWork(db, Actor(label="login", role="")) as uow, pytest.raises(UserError):
        users.authenticate(uow, "zhang", PASSWORD)

    # The last administrator cannot be deactivated: the service's words, the field named.
    _select(group, qtbot, "admin")
    dialog = _open_dialog(group, qtbot, Qt.Key.Key_T)
    type_text(qtbot, focus(), "测试")
    _refused(dialog, qtbot, "用户名：")
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert _stored(db, "admin").active

    _select(group, qtbot, "zhang")
    dialog = _open_dialog(group, qtbot, Qt.Key.Key_T)
    assert "启用" in dialog.windowTitle()
    type_text(qtbot, focus(), "返岗")
    _enter(qtbot)
    qtbot.waitUntil(lambda: _cell(group.table, "zhang", 3) == "启用", timeout=10_000)

    _select(group, qtbot, "zhang")
    dialog = _open_dialog(group, qtbot, Qt.Key.Key_R)
    assert focus() is dialog.password
    _refused(dialog, qtbot, "临时密码：不能为空")
    type_text(qtbot, focus(), "short")
    _refused(dialog, qtbot, "临时密码：至少需要 8 个字符")
    _retype(qtbot, "aaaaaaaa")
    _refused(dialog, qtbot, "临时密码：过于简单")
    _retype(qtbot, "zhang")
    _refused(dialog, qtbot, "临时密码：")
    assert _actions(db)[-1] == "user.activate" and _stored(db, "zhang").must_change_password is False
    _retype(qtbot, "temp-pass-9")
    _enter(qtbot)
    qtbot.waitUntil(lambda: _cell(group.table, "zhang", 3) == "须改密码", timeout=10_000)
    assert _actions(db) == [*before, "user.deactivate", "user.login_failed", "user.activate", "user.password_reset"]
    assert _stored(db, "zhang").must_change_password


def test_a_reset_user_must_change_the_password_at_login(db, admin, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.login import LoginDialog

    with UnitOfWork(db, admin.actor()) as uow:
        users.reset_password(uow, "zhang", "temp-pass-9")
    dialog = LoginDialog(db, tasks, username="zhang")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focus() is dialog.password, timeout=5000)
    type_text(qtbot, focus(), "temp-pass-9")
    _enter(qtbot)
    qtbot.waitUntil(lambda: focus() is dialog.new_password, timeout=10_000)
    assert dialog.user is None and dialog.isVisible() and not dialog.password.isVisible()
    _refused(dialog, qtbot, "新密码：不能为空")
    type_text(qtbot, focus(), "new-pass-77")
    tab(qtbot)
    type_text(qtbot, focus(), "new-pass-78")
    _refused(dialog, qtbot, "再次输入新密码：两次输入的密码不一致")
    assert focus() is dialog.confirm
    qtbot.keyClick(focus(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    _retype(qtbot, "temp-pass-9")
    tab(qtbot)
    type_text(qtbot, focus(), "temp-pass-9")
    _refused(dialog, qtbot, "新密码：新密码不能与临时密码相同")
    assert dialog.user is None and _stored(db, "zhang").must_change_password
    _retype(qtbot, "new-pass-77")
    tab(qtbot)
    _retype(qtbot, "new-pass-77")
    _enter(qtbot)
    qtbot.waitUntil(lambda: dialog.user is not None, timeout=10_000)
    assert dialog.user.username == "zhang" and not dialog.user.must_change_password
    assert not _stored(db, "zhang").must_change_password
    with UnitOfWork(db, Actor(label="login", role="")) as uow:
        assert users.authenticate(uow, "zhang", "new-pass-77").username == "zhang"


def test_a_clerk_has_no_user_management(db, admin, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    win = open_window(db, clerk, tasks, qtbot)
    page = _settings(win, qtbot)
    assert not page.users_box.isVisible()
    key(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    key(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(200)
    assert page.users_box.dialog is None and page.users_box.table.rowCount() == 0
    before = _actions(db)
    for call in (lambda uow: users.list_users(uow), lambda uow: users.reset_password(uow, "admin", "temp-pass-9"),
                 lambda uow: users.set_active(uow, "admin", False, "试试")):
        with UnitOfWork(db, clerk.actor()) as uow, pytest.raises(PermissionDenied):
            call(uow)
    assert _actions(db) == before and not _stored(db, "admin").must_change_password
