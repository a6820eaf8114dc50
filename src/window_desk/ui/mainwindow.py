"""The main window: a navigation bar, the pages, and a status bar. Nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from window_desk import __version__
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page


class MainWindow(QMainWindow):
    sig_page_changed = Signal(str)
    """Emitted with the page_id of the page now shown."""

    def __init__(self, ctx: DeskContext, page_classes: Sequence[type[Page]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"社会救助“一门受理”窗口 — window-desk {__version__}")
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.nav.setStyleSheet("QListWidget::item { padding: 10px 8px; }")
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}

        for cls in page_classes:
            if not cls.visible_to(ctx.user.role):
                continue
            page = cls(ctx, self)
            index = self.stack.addWidget(page)
            self.pages[cls.page_id] = page
            item = QListWidgetItem(f"{cls.title}\t{QKeySequence(cls.shortcut).toString(QKeySequence.SequenceFormat.NativeText)}")
            item.setData(Qt.ItemDataRole.UserRole, cls.page_id)
            self.nav.addItem(item)
            shortcut = QShortcut(QKeySequence(cls.shortcut), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda i=index: self.nav.setCurrentRow(i))

        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        user = ctx.user
        self.user_label = QLabel(f"当前用户：{user.display_name}（{user.role_label}）")
        self.user_label.setObjectName("user_label")
        self.busy_label = QLabel()
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.busy_label)
        ctx.tasks.sig_busy_changed.connect(self._on_busy)
        if self.nav.count():
            self.nav.setCurrentRow(0)

    @property
    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def show_page(self, page_id: str) -> Page:
        page = self.pages[page_id]
        self.nav.setCurrentRow(self.stack.indexOf(page))
        return page

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.current_page
        page.on_shown()
        self.sig_page_changed.emit(page.page_id)

    def _on_busy(self, count: int) -> None:
        self.busy_label.setText(f"后台处理中（{count}）…" if count else "")

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window must never lose what was typed: save, then let the saves finish.
        for page in self.pages.values():
            page.flush()
        self.ctx.tasks.wait_all()
        super().closeEvent(event)
