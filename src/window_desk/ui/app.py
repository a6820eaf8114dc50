"""Starting the desk: open the database, log in, show the main window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QThreadPool, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from window_desk import __version__
from window_desk.actor import Actor
from window_desk.db.engine import Database, open_database
from window_desk.errors import UserError
from window_desk.paths import default_db_url
from window_desk.services import users
from window_desk.ui.context import DeskContext
from window_desk.ui.errors import show_error
from window_desk.ui.login import FirstAdminDialog, LoginDialog
from window_desk.ui.mainwindow import MainWindow
from window_desk.ui.pages import PAGE_CLASSES
from window_desk.ui.tasks import TaskRunner
from window_desk.uow import UnitOfWork

log = logging.getLogger(__name__)

# Preferred UI faces, first found wins per character; BabelStone Han last for rare characters (生僻字).
UI_FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                    "WenQuanYi Zen Hei", "LXGW WenKai", "SimSun", "BabelStone Han"]


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("window-desk")
    app.setApplicationDisplayName("社会救助一门受理窗口")
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    install_qt_translations(app)
    font = QFont(app.font())
    font.setFamilies(UI_FONT_FAMILIES)
    font.setPointSize(max(font.pointSize(), 11))
    app.setFont(font)
    return app


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own zh_CN catalogue (qtbase: OK/Cancel/Yes/No, the print and file dialogs) so standard
    buttons and system dialogs speak Chinese. Loaded once per application; False if it is missing."""
    if getattr(app, "_window_desk_qt_zh", None) is not None:
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        log.warning("Qt zh_CN translations not found in %s", folder)
        return False
    app.installTranslator(translator)
    app._window_desk_qt_zh = translator  # type: ignore[attr-defined]  # kept alive with the application
    return True


def build_main_window(db: Database, user: users.UserInfo, tasks: TaskRunner, policy_path: str | None = None) -> MainWindow:
    ctx = DeskContext(db=db, user=user, tasks=tasks, policy_path=policy_path)
    return MainWindow(ctx, PAGE_CLASSES)


def login_flow(db: Database, tasks: TaskRunner) -> users.UserInfo | None:
    """First-run administrator (on an empty database), then login. None if the person cancels."""
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        empty = users.count_users(uow) == 0
    username = ""
    if empty:
        first = FirstAdminDialog(db, tasks)
        if first.exec() != FirstAdminDialog.DialogCode.Accepted or first.created is None:
            return None
        username = first.created.username
    login = LoginDialog(db, tasks, username=username)
    if login.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return login.user


def run_desk(db_url: str | None = None, policy_path: str | None = None) -> int:
    app = make_application()
    tasks = TaskRunner(on_unhandled_error=lambda exc, trace: show_error(app.activeWindow(), exc, trace))
    try:
        db = open_database(db_url or default_db_url())
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 2
    try:
        user = login_flow(db, tasks)
        if user is None:
            return 0
        window = build_main_window(db, user, tasks, policy_path)
        window.show()
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        db.dispose()


__all__ = ["run_desk", "make_application", "build_main_window", "login_flow", "Qt"]
