"""Starting the desk: open the database, log in, show the main window."""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QThreadPool, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from window_desk import __version__
from window_desk.actor import Actor
from window_desk.db.engine import Database, open_database
from window_desk.errors import UserError
from window_desk.db.config import default_db_url
from window_desk.services import discovery, intake, users
from window_desk.ui.context import DeskContext
from window_desk.ui.errors import show_error
from window_desk.ui.login import FirstAdminDialog, LoginDialog
from window_desk.ui.mainwindow import MainWindow
from window_desk.ui.pages import PAGE_CLASSES
from window_desk.ui.tasks import TaskRunner
from window_desk.uow import UnitOfWork

log = logging.getLogger(__name__)

# Preferred UI faces, first found wins per character; BabelStone Han last for rare characters （生僻字）.
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
    from window_desk.ui.changes import ChangeNotifier

    ctx = DeskContext(db=db, user=user, tasks=tasks, policy_path=policy_path, changes=ChangeNotifier(db))
    intake.register_history_source("discovery", "主动发现", discovery.history_items)  # 受理 history: on a roster
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


def ask_unreachable(url: str, exc: UserError) -> str:
    """The database cannot be reached at start: "retry", "local" or "quit" (never a traceback)."""
    from window_desk.db.config import describe

    box = QMessageBox(QMessageBox.Icon.Warning, "无法连接数据库",
                      f"无法连接：{describe(url)}\n\n{exc}\n\n请检查网络或服务器后重试；"
                      "也可以暂时使用本机数据库（本机数据不会自动并入服务器）。")
    retry = box.addButton("重试", QMessageBox.ButtonRole.AcceptRole)
    local = box.addButton("使用本机数据库", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.setObjectName("db_unreachable")
    box.exec()
    clicked = box.clickedButton()
    return "retry" if clicked is retry else "local" if clicked is local else "quit"


def open_desk_database(db_url: str | None, ask: Any = ask_unreachable) -> Database | None:
    """Open the desk's database; an unreachable server asks retry / use local instead of failing."""
    from window_desk.errors import DatabaseVersionError
    from window_desk.paths import local_db_url

    try:
        url = db_url or default_db_url()
    except UserError as exc:  # a broken database.json
        QMessageBox.warning(None, "数据库连接设置有误", f"{exc}\n将使用本机数据库。")
        url = local_db_url()
    while True:
        try:
            return open_database(url)
        except DatabaseVersionError as exc:
            QMessageBox.critical(None, "无法打开数据库", str(exc))
            return None
        except UserError as exc:
            if url == local_db_url():
                QMessageBox.critical(None, "无法打开数据库", str(exc))
                return None
            choice = ask(url, exc)
            if choice == "local":
                url = local_db_url()
            elif choice != "retry":
                return None


def settle_memory() -> None:
    """Once the desk is up: what is alive now (modules, Qt wrappers, mappers, the main window) lives as long
    as the desk, so it is put out of the cyclic collector's reach (``gc.freeze``). Otherwise each full
    collection walks all of it again — 130 ms on the GUI thread, which landed inside the first register
    page on a million cases (docs/performance.md). No collection first: that would add to the start."""
    gc.freeze()


def run_desk(db_url: str | None = None, policy_path: str | None = None) -> int:
    app = make_application()
    tasks = TaskRunner(on_unhandled_error=lambda exc, trace: show_error(app.activeWindow(), exc, trace))
    from window_desk.filesafety import check_data_folder
    from window_desk.paths import data_dir

    widened = check_data_folder(data_dir())
    if widened:
        QMessageBox.warning(None, "数据文件权限", "发现数据文件夹的权限被放宽，已恢复为仅本用户可访问：\n" + "\n".join(widened[:10]))
    db = open_desk_database(db_url)
    if db is None:
        return 2
    window: MainWindow | None = None
    try:
        user = login_flow(db, tasks)
        if user is None:
            return 0
        window = build_main_window(db, user, tasks, policy_path)
        window.show()
        settle_memory()
        from window_desk.ui.pages.reserve import show_pending_on_login

        show_pending_on_login(window)  # a supervisor sees the prepayments waiting for approval
        return app.exec()
    finally:
        if window is not None:
            window.ctx.changes.stop()
        QThreadPool.globalInstance().waitForDone(30_000)
        db.dispose()


__all__ = ["run_desk", "make_application", "build_main_window", "login_flow", "settle_memory", "Qt"]
