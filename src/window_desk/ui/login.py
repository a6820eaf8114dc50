"""The first-run administrator dialog and the login dialog."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from window_desk.actor import Actor
from window_desk.db.engine import Database
from window_desk.errors import UserError
from window_desk.services import settings, users
from window_desk.services.users import UserInfo
from window_desk.ui.tasks import TaskRunner
from window_desk.uow import UnitOfWork


class FormDialog(QDialog):
    """A modal form: a heading, fields, a red message line, 确定/取消; subclasses implement ``_submit``."""

    def __init__(self, title: str, intro: str, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.tasks = tasks
        layout = QVBoxLayout(self)
        self.heading = QLabel(intro)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self.initial_focus: QLineEdit | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A clerk starts typing at once: the first field, not the OK button, gets the keys.
        if self.initial_focus is not None:
            self.initial_focus.setFocus(Qt.FocusReason.OtherFocusReason)
            self.initial_focus.selectAll()

    def _line(self, label: str, *, password: bool = False, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        if password:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, edit)
        return edit

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)

    def _show_error(self, exc: BaseException) -> bool:
        self._set_busy(False)
        if isinstance(exc, UserError):
            self.message.setText(str(exc))
            return True
        return False

    def _submit(self) -> None:
        raise NotImplementedError


_FormDialog = FormDialog


class FirstAdminDialog(FormDialog):
    """Shown on an empty database: creates the administrator account and asks what every paper prints
    (office, window phone, contact person, the appeal bodies), so a fresh install prints the same day."""

    # The settings asked here, in this order (labels from services.settings).
    OFFICE_KEYS = ("office_name", "office_full_name", "contact_phone", "contact_person", "review_body", "court")

    def __init__(self, db: Database, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("首次使用：创建系统管理员", "这是一个新的数据库。请先创建系统管理员账户，并填写文书上印的本单位信息"
                         "（以后可在“设置”中修改），之后由管理员添加窗口受理员和审核人。", tasks, parent)
        self.db = db
        self.username = self._line("用户名", text="admin")
        self.display_name = self._line("姓名")
        self.password = self._line("密码（至少8位）", password=True)
        self.confirm = self._line("再次输入密码", password=True)
        heading = QLabel("<b>本单位信息（印在文书上）</b>")
        self.form.addRow(heading)
        self.office: dict[str, QLineEdit] = {}
        for key in self.OFFICE_KEYS:
            label, default = settings.DEFAULTS[key]
            self.office[key] = self._line(label, text=str(default or ""))
            self.office[key].setObjectName(f"setting_{key}")
        self.office["contact_phone"].setPlaceholderText("例如 0376-3123456")
        self.created: UserInfo | None = None
        self.initial_focus = self.username

    def _submit(self) -> None:
        if self.password.text() != self.confirm.text():
            self.message.setText("密码：两次输入的密码不一致")
            self.confirm.setFocus()
            return
        # The phone may be left for later: the 受理 page then names it before a case is accepted.
        for key in ("office_name", "office_full_name", "review_body", "court"):
            if not self.office[key].text().strip():
                self.message.setText(f"{settings.DEFAULTS[key][0]}：不能为空")
                self.office[key].setFocus()
                return
        username, display_name, password = self.username.text(), self.display_name.text(), self.password.text()
        values = {key: edit.text().strip() for key, edit in self.office.items()}
        db = self.db

        def create() -> UserInfo:
            setup = Actor(label="setup", role="admin", display_name="首次设置")
            with UnitOfWork(db, setup) as uow:
                settings.update(uow, values)
            with UnitOfWork(db, setup) as uow:
                return users.add_user(uow, username, "admin", password, display_name)

        def done(info: UserInfo) -> None:
            self._set_busy(False)
            self.created = info
            self.accept()

        self._set_busy(True)
        self.tasks.run(create, on_done=done, on_error=self._show_error, owner=self)


class LoginDialog(FormDialog):
    """User name and password; five wrong passwords lock the account for 15 minutes.

    After an administrator's reset (or a new account's first login) the dialog does not let the user in
    with the temporary password: it asks for a new one, twice, and accepts only once it is saved."""

    def __init__(self, db: Database, tasks: TaskRunner, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__("登录 — 社会救助一门受理窗口", "请输入用户名和密码。", tasks, parent)
        self.db = db
        self.username = self._line("用户名", text=username)
        self.password = self._line("密码", password=True)
        self.new_password = self._line("新密码", password=True)
        self.new_password.setObjectName("new_password")
        self.confirm = self._line("再次输入新密码", password=True)
        self.confirm.setObjectName("confirm_password")
        for edit in (self.new_password, self.confirm):
            self.form.setRowVisible(edit, False)
        self.pending: UserInfo | None = None  # logged in, but the password must be changed first
        self.user: UserInfo | None = None
        self.initial_focus = self.password if username else self.username

    def _ask_new_password(self, info: UserInfo) -> None:
        self.pending = info
        for edit in (self.username, self.password):
            self.form.setRowVisible(edit, False)
        for edit in (self.new_password, self.confirm):
            self.form.setRowVisible(edit, True)
        self.heading.setText(f"{info.display_name}，您的密码已由管理员重置（或是初始密码），请设置新密码后继续。")
        self.message.clear()
        self.new_password.setFocus()

    def _submit_new_password(self, info: UserInfo) -> None:
        new, again = self.new_password.text(), self.confirm.text()
        if not new:
            self.message.setText("新密码：不能为空")
            self.new_password.setFocus()
            return
        if new != again:
            self.message.setText("再次输入新密码：两次输入的密码不一致")
            self.confirm.clear()
            self.confirm.setFocus()
            return
        db = self.db

        def change() -> UserInfo:
            with UnitOfWork(db, info.actor()) as uow:
                users.set_password(uow, info.username, new)
            return replace(info, must_change_password=False)

        def done(changed: UserInfo) -> None:
            self._set_busy(False)
            self.user = changed
            self.accept()

        def failed(exc: BaseException) -> bool:
            handled = self._show_error(exc)
            self.new_password.selectAll()
            self.new_password.setFocus()
            return handled

        self._set_busy(True)
        self.tasks.run(change, on_done=done, on_error=failed, owner=self)

    def _submit(self) -> None:
        if self.pending is not None:
            self._submit_new_password(self.pending)
            return
        username, password = self.username.text(), self.password.text()
        if not username.strip():
            self.message.setText("用户名：不能为空")
            self.username.setFocus()
            return
        db = self.db

        def login() -> UserInfo:
            with UnitOfWork(db, Actor(label="login", role="")) as uow:
                return users.authenticate(uow, username, password)

        def done(info: UserInfo) -> None:
            self._set_busy(False)
            if info.must_change_password:
                self._ask_new_password(info)
                return
            self.user = info
            self.accept()

        def failed(exc: BaseException) -> bool:
            handled = self._show_error(exc)
            self.password.clear()
            self.password.setFocus()
            return handled

        self._set_busy(True)
        self.tasks.run(login, on_done=done, on_error=failed, owner=self)
