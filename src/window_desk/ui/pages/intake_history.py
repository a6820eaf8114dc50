"""The history panel of the intake page: every earlier record of the household's people, readable.

As soon as an ID number is entered (by card or keyboard) the page asks the services for the
history of every member and for duplicate-assistance findings, and shows them here: the warnings
in red on top, then one wrapped line per inquiry, case, benefit, referral or prepayment, the
still-open ones first and in red. The panel's width is kept per user by the page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk.services import drafts, intake
from window_desk.ui.pages.base import Page

KIND_LABELS = {"case": "个案", "benefit": "待遇", "inquiry": "首问", "referral": "转介"}


class HistoryPanel(QWidget):
    """The duplicate warnings and the history table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("history_list")
        self.table.setHorizontalHeaderLabels(["日期", "姓名", "类别", "内容"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)  # readable: long lines wrap, never cut off
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.warning = QLabel()
        self.warning.setObjectName("duplicate_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020; font-weight: bold;")
        self.setMinimumWidth(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>历史记录</b>（录入身份证号后自动查询本人及家庭成员的既往个案、待遇、转介、首问登记；"
                       "未办结的排在前面，红色）")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)

    def show_found(self, items: list[intake.HistoryItem], findings: list[intake.DuplicateFinding]) -> None:
        """Show what the history lookup found (an empty history says so)."""
        self.warning.setText("\n".join(("⚠ " if f.blocking else "注意：") + f.text for f in findings))
        self.table.setRowCount(0)
        rows = [([f"{i.day:%Y-%m-%d}", i.name,
                  intake.HISTORY_KINDS.get(i.kind, KIND_LABELS.get(i.kind, i.kind)), i.text], i.open)
                for i in items] or [(["", "", "", "无既往记录"], False)]
        self.table.setRowCount(len(rows))
        for r, (values, is_open) in enumerate(rows):
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if col == 3:
                    cell.setToolTip(value)
                if is_open:
                    cell.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(r, col, cell)
        self.table.resizeRowsToContents()


class SplitterMemory(QObject):
    """Keeps a splitter's sizes per user (stored like a draft of kind ``kind``, reference ``ref``):
    saved half a second after the clerk stops dragging, put back by ``restore``."""

    def __init__(self, page: Page, splitter: QSplitter, kind: str, ref: str) -> None:
        super().__init__(page)
        self.page, self.splitter, self.kind, self.ref = page, splitter, kind, ref
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(500)
        self.timer.timeout.connect(self.save)
        splitter.splitterMoved.connect(lambda *_: self.timer.start())

    def restore(self) -> None:
        ctx = self.page.ctx

        def load() -> tuple[dict[str, Any], Any] | None:
            with ctx.uow(write=False) as uow:
                return drafts.load(uow, self.kind, self.ref)

        def done(found: tuple[dict[str, Any], Any] | None) -> None:
            sizes = (found or ({}, None))[0].get("splitter")
            if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(v, int) and v > 0 for v in sizes):
                self.splitter.setSizes(sizes)

        self.page.run_task(load, on_done=done)

    def save(self) -> None:
        sizes = [int(v) for v in self.splitter.sizes()]
        ctx = self.page.ctx

        def save() -> Any:
            with ctx.uow() as uow:
                return drafts.save(uow, self.kind, {"splitter": sizes}, self.ref)

        self.page.run_task(save)
