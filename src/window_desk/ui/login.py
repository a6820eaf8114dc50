"""The first-run administrator dialog and the login dialog."""

from __future__ import annotations

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


class _FormDialog(QDialog):
    def __init__(self, title: str, intro: str, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.tasks = tasks
        layout = QVBoxLayout(self)
        heading = QLabel(intro)
        heading.setWordWrap(True)
        layout.addWidget(heading)
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


class FirstAdminDialog(_FormDialog):
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


class LoginDialog(_FormDialog):
    """User name and password; five wrong passwords lock the account for 15 minutes."""

    def __init__(self, db: Database, tasks: TaskRunner, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__("登录 — 社会救助一门受理窗口", "请输入用户名和密码。", tasks, parent)
        self.db = db
        self.username = self._line("用户名", text=username)
        self.password = self._line("密码", password=True)
        self.user: UserInfo | None = None
        self.initial_focus = self.password if username else self.username

    def _submit(self) -> None:
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
            self.user = info
            self.accept()

        def failed(exc: BaseException) -> bool:
            handled = self._show_error(exc)
            self.password.clear()
            self.password.setFocus()
            return handled

        self._set_busy(True)
        self.tasks.run(login, on_done=done, on_error=failed, owner=self)
