"""每日台账 — the supervisor's daily review: a day's sections with totals, sign-off, amendments, export.

Keyboard: the date box has the focus (arrow keys change the day, PageUp/PageDown one day
back/forward); Tab reaches the sections (Ctrl+Tab switches between them), Enter on a line
opens its case (``sig_open_case``); the comment box signs the day off with Ctrl+Enter (or the
签字确认 button). A signed day shows who signed, when, and the audit chain anchor; its
amendments are listed in their own tab.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from window_desk import timeutil
from window_desk.services import daily, register_export
from window_desk.ui.context import DeskContext
from window_desk.ui.errors import show_error
from window_desk.ui.pages.base import Page

RED = QColor("#c62828")
Index = QModelIndex | QPersistentModelIndex


class SectionModel(QAbstractTableModel):
    """One section of a day (plain rows; a day's sections are bounded by one day's work)."""

    def __init__(self, columns: tuple[str, ...], items: tuple[daily.Item, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.items = items

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.cells[index.column()] if index.column() < len(item.cells) else ""
        if role == Qt.ItemDataRole.ForegroundRole and item.overdue:
            return RED
        if role == Qt.ItemDataRole.UserRole:
            return item.case_id
        return None


class DailyReviewPage(Page):
    page_id = "daily_review"
    title = "每日台账"
    shortcut = "Ctrl+5"

    sig_open_case = Signal(int)
    """Emitted with the case id when the supervisor opens a case from a line of the day."""
    sig_signed = Signal(object)
    """Emitted with the ReviewInfo after the day is signed off."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        """The daily review page.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(ctx, parent)
        self.case_dialog: QWidget | None = None
        self.sig_open_case.connect(self.open_case)
        self.register: daily.DayRegister | None = None
        from window_desk.ui.pages.referrals import DayEdit

        self.day = DayEdit()
        self.day.setObjectName("review_day")
        today = timeutil.today()
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.state = QLabel()
        self.state.setObjectName("review_state")
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals = QLabel()
        self.totals.setObjectName("review_totals")
        self.totals.setWordWrap(True)
        self.export_xlsx = QPushButton("导出 Excel(&X)…")
        self.export_pdf = QPushButton("导出 PDF(&F)…")
        top = QHBoxLayout()
        top.addWidget(QLabel("台账日期："))
        top.addWidget(self.day)
        top.addWidget(self.state, 1)
        top.addWidget(self.export_xlsx)
        top.addWidget(self.export_pdf)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("review_tabs")
        self.views: dict[str, QTableView] = {}

        self.comment = QPlainTextEdit()
        self.comment.setObjectName("review_comment")
        self.comment.setPlaceholderText("审核意见（Ctrl+回车 签字确认）")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(80)
        self.sign_button = QPushButton("签字确认（&S）")
        self.sign_button.setObjectName("review_sign")
        self.message = QLabel()
        self.message.setObjectName("review_message")
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.comment, 1)
        bottom.addWidget(self.sign_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)

        self.can_sign = ctx.user.role in daily.SUPERVISOR_ROLES
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.sign_button.clicked.connect(self.sign_off)
        QShortcut(QKeySequence("Ctrl+Return"), self.comment, activated=self.sign_off,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+Enter"), self.comment, activated=self.sign_off,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self.day, activated=lambda: self._step(-1),
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self.day, activated=lambda: self._step(1),
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self._update_sign_state(None)


    def open_case(self, case_id: int) -> None:
        """The case behind a line of the day: household, assessment, referrals, papers, audit trail."""
        from window_desk.ui.case_detail import CaseDetailDialog

        dialog = CaseDetailDialog(self.ctx, case_id, "", self)
        self.case_dialog = dialog
        dialog.open()
    def current_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _step(self, days: int) -> None:
        self.day.setDate(self.day.date().addDays(days))

    def on_shown(self) -> None:
        today = timeutil.today()
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.refresh()
        self.day.setFocus()

    def refresh(self) -> None:
        day = self.current_day()

        def load() -> daily.DayRegister:
            with self.ctx.uow(write=False) as uow:
                return daily.build_day(uow, day)

        self.run_task(load, on_done=lambda reg: self._show(day, reg))

    def _show(self, day: date, register: daily.DayRegister) -> None:
        if day != self.current_day():
            return  # an older answer for a day no longer shown
        self.register = register
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.views = {}
        for section in register.sections:
            self._add_tab(section.key, f"{section.title}（{section.total}）", section.columns, section.items)
        amend_items = tuple(daily.Item((timeutil.format_local(a.created_at), a.created_by,
                                        f"{a.entity_type}:{a.entity_id}", a.field, a.old_value, a.new_value, a.reason))
                            for a in register.amendments)
        self._add_tab("amendments", f"更正记录（{len(amend_items)}）",
                      ("更正时间", "更正人", "记录", "字段", "原值", "新值", "理由"), amend_items)
        self.tabs.setCurrentIndex(max(0, min(current, self.tabs.count() - 1)))
        self.totals.setText("本日合计：" + ",".join(f"{s.title}{s.total}件" for s in register.sections))
        self._update_sign_state(register.review)

    def _add_tab(self, key: str, label: str, columns: tuple[str, ...], items: tuple[daily.Item, ...]) -> None:
        view = QTableView()
        view.setObjectName(f"review_{key}")
        view.setModel(SectionModel(columns, items, view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Widths from the text itself (a day's lines are few): measured once, not ResizeToContents.
        metrics = view.fontMetrics()
        for c, name in enumerate(columns):
            texts = [name] + [item.cells[c] for item in items[:200] if c < len(item.cells)]
            header.resizeSection(c, min(360, max(metrics.horizontalAdvance(t) for t in texts) + 18))
        view.activated.connect(lambda index, v=view: self._open(v, index))
        self.views[key] = view
        self.tabs.addTab(view, label)

    def _open(self, view: QTableView, index: QModelIndex) -> None:
        case_id = view.model().data(view.model().index(index.row(), 0), Qt.ItemDataRole.UserRole)
        if case_id is not None:
            self.sig_open_case.emit(int(case_id))

    def _update_sign_state(self, review: daily.ReviewInfo | None) -> None:
        if review is None:
            self.state.setText("本日台账尚未签字确认")
            self.state.setStyleSheet("")
        else:
            self.state.setText(f"已签字确认：{review.supervisor} {timeutil.format_local(review.reviewed_at)}"
                               f"（已锁定，更改须留更正记录）　审计链锚点：第{review.audit_entry_id}条 {review.audit_hash}")
            self.state.setStyleSheet("color: #1b5e20;")
            self.comment.setPlainText(review.comment)
        editable = self.can_sign and review is None
        self.comment.setReadOnly(not editable)
        self.sign_button.setEnabled(editable)
        if not self.can_sign:
            self.sign_button.setToolTip("只有审核人可以签字确认")

    def sign_off(self) -> None:
        if not self.sign_button.isEnabled():
            return
        day, comment = self.current_day(), self.comment.toPlainText()

        def sign() -> daily.ReviewInfo:
            with self.ctx.uow() as uow:
                return daily.sign_off(uow, day, comment)

        def done(review: daily.ReviewInfo) -> None:
            self.message.setText(f"{day.isoformat()} 的台账已签字确认并锁定")
            self.sig_signed.emit(review)
            self.refresh()

        def failed(exc: BaseException) -> bool:
            self.message.setText(str(exc))
            if not hasattr(exc, "field"):
                show_error(self, exc)
            return True

        self.sign_button.setEnabled(False)
        self.run_task(sign, on_done=done, on_error=lambda exc: (self.sign_button.setEnabled(True), failed(exc))[1])

    def export(self, fmt: str, path: str | None = None) -> None:
        day = self.current_day()
        if path is None:
            suggested = f"每日台账-{day.isoformat()}.{fmt}"
            filt = "Excel 工作簿 (*.xlsx)" if fmt == "xlsx" else "PDF (*.pdf)"
            path, _ = QFileDialog.getSaveFileName(self, "导出每日台账", suggested, filt)
            if not path:
                return
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
        target = path

        def write() -> int:
            with self.ctx.uow(write=False) as uow:
                return register_export.export_day(uow, day, target)

        self.message.setText("正在导出…")
        self.run_task(write, on_done=lambda n: self.message.setText(f"已导出 {n} 行：{target}"))


__all__ = ["DailyReviewPage", "SectionModel"]
