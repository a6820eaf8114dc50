"""设置 → 用户: the administrator's user management, by keyboard.

The list shows every account with its role, whether it is active and its last login (China time).
添加用户 (Alt+N), 停用/启用 (Alt+T) and 重置密码 (Alt+R) act on the selected row through
``services.users``, which refuses anyone but an administrator and writes the audit entries; the
group is shown to administrators only. A refused input keeps its dialog open with the field-named
message and the cursor in that field; nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk import vocab
from window_desk.errors import UserError
from window_desk.passwords import MIN_LENGTH
from window_desk.services import users
from window_desk.timeutil import format_local
from window_desk.ui.context import DeskContext
from window_desk.ui.login import FormDialog

HEADERS = ["用户名", "姓名", "角色", "状态", "最近登录"]


class _UserDialog(FormDialog):
    """A form whose OK runs one service call; a UserError is shown and its field focused."""

    def __init__(self, ctx: DeskContext, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(title, intro, ctx.tasks, parent)
        self.ctx = ctx
        self.fields: dict[str, QWidget] = {}
        self.result_info: users.UserInfo | None = None

    def _field(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        self.fields[label] = widget
        return widget

    def _fail(self, message: str, field: str) -> None:
        self.message.setText(f"{field}：{message}")
        widget = self.fields.get(field)
        if widget is not None:
            widget.setFocus()

    def _call(self, work: Callable[[Any], users.UserInfo]) -> None:
        ctx = self.ctx

        def run() -> users.UserInfo:
            with ctx.uow() as uow:
                return work(uow)

        def done(info: users.UserInfo) -> None:
            self._set_busy(False)
            self.result_info = info
            self.accept()

        def failed(exc: BaseException) -> bool:
            self._set_busy(False)
            if not isinstance(exc, UserError):
                return False
            self.message.setText(str(exc))
            widget = self.fields.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
            return True

        self.message.clear()
        self._set_busy(True)
        self.tasks.run(run, on_done=done, on_error=failed, owner=self)


class AddUserDialog(_UserDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "添加用户", "新用户首次登录时须自行修改初始密码。", parent)
        self.username = self._field("用户名", QLineEdit())
        self.username.setObjectName("new_username")
        self.display_name = self._field("姓名", QLineEdit())
        self.role = self._field("角色", QComboBox())
        for code, label in vocab.ROLES.items():
            self.role.addItem(label, code)
        self.password = self._field("初始密码", QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"至少{MIN_LENGTH}位")
        self.initial_focus = self.username

    def _submit(self) -> None:
        username, display = self.username.text(), self.display_name.text()
        role, password = self.role.currentData(), self.password.text()
        if not username.strip():
            self._fail("不能为空", "用户名")
            return
        if not password:
            self._fail("不能为空", "初始密码")
            return
        self._call(lambda uow: users.add_user(uow, username, role, password, display,
                                                   must_change_password=True, password_field="初始密码"))


class ResetPasswordDialog(_UserDialog):
    def __init__(self, ctx: DeskContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "重置密码", f"为用户 {username} 设置临时密码；该用户下次登录时必须修改密码。", parent)
        self.username = username
        self.password = self._field("临时密码", QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("temporary_password")
        self.password.setPlaceholderText(f"至少{MIN_LENGTH}位")
        self.initial_focus = self.password

    def _submit(self) -> None:
        temporary, username = self.password.text(), self.username
        if not temporary:
            self._fail("不能为空", "临时密码")
            return
        self._call(lambda uow: users.reset_password(uow, username, temporary))


class ActiveDialog(_UserDialog):
    def __init__(self, ctx: DeskContext, username: str, active: bool, parent: QWidget | None = None) -> None:
        verb = "启用" if active else "停用"
        super().__init__(ctx, f"{verb}用户", f"{verb}用户 {username}，请写明理由（记入审计日志）。", parent)
        self.username, self.active = username, active
        self.reason = self._field("理由", QLineEdit())
        self.reason.setObjectName("active_reason")
        self.initial_focus = self.reason

    def _submit(self) -> None:
        reason, username, active = self.reason.text(), self.username, self.active
        if not reason.strip():
            self._fail("请写明理由", "理由")
            return
        self._call(lambda uow: users.set_active(uow, username, active, reason))


class UsersGroup(QGroupBox):
    """The user list and its three actions; for administrators only (the services check it again)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__("用户", parent)
        self.ctx = ctx
        self.users: list[users.UserInfo] = []
        self.dialog: _UserDialog | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("user_table")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("添加用户（&N）…")
        self.active_button = QPushButton("停用/启用（&T）…")
        self.reset_button = QPushButton("重置密码（&R）…")
        for b in (self.add_button, self.active_button, self.reset_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("users_status")
        layout.addWidget(self.status)
        self.add_button.clicked.connect(self.add_user)
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.setVisible(ctx.user.role == "admin")

    def refresh(self) -> None:
        if self.ctx.user.role != "admin":
            return
        ctx = self.ctx

        def read() -> list[users.UserInfo]:
            with ctx.uow(write=False) as uow:
                return users.list_users(uow)

        ctx.tasks.run(read, on_done=self._show, owner=self)

    def _show(self, rows: list[users.UserInfo]) -> None:
        selected = self.selected()
        self.users = rows
        self.table.setRowCount(len(rows))
        for r, u in enumerate(rows):
            state = "停用" if not u.active else ("须改密码" if u.must_change_password else "启用")
            for c, value in enumerate([u.username, u.display_name, u.role_label, state,
                                       format_local(u.last_login_at) or "从未登录"]):
                self.table.setItem(r, c, QTableWidgetItem(value))
        names = [u.username for u in rows]
        if rows:
            keep = selected is not None and selected.username in names
            self.table.setCurrentCell(names.index(selected.username) if keep and selected else 0, 0)

    def selected(self) -> users.UserInfo | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def _open(self, dialog: _UserDialog, said: Callable[[users.UserInfo], str]) -> None:
        self.dialog = dialog

        def finished() -> None:
            if dialog.result_info is not None:
                self.status.setText(said(dialog.result_info))
                self.refresh()
            # Back to the list for the next action (and the window active again: some platforms leave none).
            self.window().activateWindow()
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.finished.connect(finished)
        dialog.open()

    def add_user(self) -> None:
        self._open(AddUserDialog(self.ctx, self), lambda u: f"已添加用户 {u.username}（{u.role_label}）")

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            self.status.setText("用户：请先在列表中选择一个用户")
            return
        self._open(ActiveDialog(self.ctx, user.username, not user.active, self),
                   lambda u: f"已{'启用' if u.active else '停用'}用户 {u.username}")

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            self.status.setText("用户：请先在列表中选择一个用户")
            return
        self._open(ResetPasswordDialog(self.ctx, user.username, self),
                   lambda u: f"已重置 {u.username} 的密码，该用户下次登录时须修改密码")
