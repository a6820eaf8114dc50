"""设置 → 数据库：what this desk is connected to; an administrator points it at a shared server."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.db import config as dbconfig
from window_desk.db import connection_check
from window_desk.ui.context import DeskContext

SSL_LABELS = {"disable": "不加密", "prefer": "优先加密（prefer）", "require": "必须加密（require）",
              "verify-ca": "加密并验证证书（verify-ca）", "verify-full": "加密并验证证书与主机名（verify-full）"}
STORE_LABELS = {"keyring": "系统钥匙串", "pgpass": ".pgpass 文件（由管理员维护）"}


def restart_desk() -> None:
    """Start a new desk process with the same arguments and close this one."""
    QProcess.startDetached(sys.executable, [a for a in sys.argv if a])
    QApplication.quit()


class DatabaseGroup(QGroupBox):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 restart: Callable[[], None] = restart_desk) -> None:
        """The database group of the settings page.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__("数据库", parent)
        self.setObjectName("database_group")
        self.ctx = ctx
        self._restart = restart
        admin = ctx.user.role == "admin"
        form = QFormLayout(self)
        self.current = QLabel(dbconfig.describe(ctx.db.url))
        self.current.setObjectName("db_current")
        self.current.setWordWrap(True)
        form.addRow("当前连接", self.current)

        saved = None
        try:
            saved = dbconfig.load()
        except UserError as exc:
            self.current.setText(f"{self.current.text()}({exc})")
        self.host = QLineEdit(saved.host if saved else "")
        self.port = QLineEdit(str(saved.port) if saved else "5432")
        self.database = QLineEdit(saved.database if saved else "window_desk")
        self.user = QLineEdit(saved.user if saved else "window_desk")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("留空：沿用钥匙串中已存的密码或 .pgpass")
        self.sslmode = QComboBox()
        for code, label in SSL_LABELS.items():
            self.sslmode.addItem(label, code)
        self.sslmode.setCurrentIndex(list(SSL_LABELS).index(saved.sslmode if saved else "prefer"))
        self.store = QComboBox()
        for code, label in STORE_LABELS.items():
            self.store.addItem(label, code)
        self.store.setCurrentIndex(list(STORE_LABELS).index(saved.password_store if saved else "keyring"))
        for name, widget, label in (("db_host", self.host, "服务器"), ("db_port", self.port, "端口"),
                                    ("db_name", self.database, "数据库名"), ("db_user", self.user, "用户名"),
                                    ("db_password", self.password, "密码"), ("db_sslmode", self.sslmode, "TLS"),
                                    ("db_store", self.store, "密码保存方式")):
            widget.setObjectName(name)
            widget.setEnabled(admin)
            form.addRow(label, widget)
        self.result = QLabel()
        self.result.setObjectName("db_result")
        self.result.setWordWrap(True)
        form.addRow("", self.result)
        row = QHBoxLayout()
        self.test_button = QPushButton("测试连接")
        self.test_button.setObjectName("db_test")
        self.save_button = QPushButton("保存并重新启动")
        self.save_button.setObjectName("db_save")
        self.local_button = QPushButton("改用本机数据库")
        self.local_button.setObjectName("db_local")
        for button in (self.test_button, self.save_button, self.local_button):
            button.setEnabled(admin)
            row.addWidget(button)
        row.addStretch(1)
        form.addRow("", row)
        if not admin:
            form.addRow("", QLabel("只有系统管理员可以更改数据库连接。"))
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.local_button.clicked.connect(self.use_local)

    def _config(self) -> dbconfig.ServerConfig | None:
        try:
            return dbconfig.check_config({
                "host": self.host.text(), "port": self.port.text(), "database": self.database.text(),
                "user": self.user.text(), "sslmode": self.sslmode.currentData(),
                "password_store": self.store.currentData(),
            })
        except UserError as exc:
            self.result.setText(str(exc))
            return None

    def test(self) -> None:
        cfg = self._config()
        if cfg is None:
            return
        typed = self.password.text() or None
        self.result.setText("正在连接…")
        self.test_button.setEnabled(False)

        def check() -> connection_check.ConnectionCheck:
            password = typed
            if password is None and cfg.password_store == "keyring":
                password = dbconfig.password_for(cfg.url())  # the keyring may be slow: off the GUI thread
            return connection_check.test_connection(cfg, password)

        def done(result: dbconfig.ConnectionCheck) -> None:
            self.test_button.setEnabled(True)
            self.result.setText(result.message)

        self.ctx.tasks.run(check, on_done=done, owner=self)

    def save(self) -> None:
        cfg = self._config()
        if cfg is None:
            return
        try:
            dbconfig.save(cfg, self.password.text() or None)
        except UserError as exc:
            self.result.setText(str(exc))
            return
        self.password.clear()
        answer = QMessageBox.question(self, "数据库", f"已保存：{cfg.describe()}。\n现在重新启动本程序，连接到该服务器？")
        if answer == QMessageBox.StandardButton.Yes:
            self._restart()

    def use_local(self) -> None:
        dbconfig.use_local()
        self.result.setText("已改为本机数据库，重新启动后生效。")
        answer = QMessageBox.question(self, "数据库", "已改为本机数据库。现在重新启动本程序？")
        if answer == QMessageBox.StandardButton.Yes:
            self._restart()
