"""个案台账 — the case register: search by ID, name or pinyin initials; filter; fetch as you scroll."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from window_desk import vocab
from window_desk.services.register import CaseFilter, CaseRow, count_cases, find_cases
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.tasks import TaskRunner
from window_desk.ui.widgets.inputs import CodeCombo
from window_desk.uow import UnitOfWork

PAGE_SIZE = 200
COLUMNS = ("个案编号", "申请日期", "申请人", "身份证号", "人口", "类别", "状态", "办理期限", "申请事项")
Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    """Rows arrive a page at a time on a worker (keyset pagination on the case id),
    as Qt's fetchmore example does, but without blocking the GUI thread."""

    sig_loaded = Signal(int)
    """Emitted with the number of rows now held, after each page arrives."""

    def __init__(self, open_uow: Any, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._open_uow = open_uow
        self._tasks = tasks
        self._rows: list[CaseRow] = []
        self._filter = CaseFilter()
        self._exhausted = True
        self._loading = False
        self._generation = 0

    # --- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.number,
                row.application_date.isoformat(),
                row.applicant_name,
                row.applicant_id_masked,
                str(row.members),
                vocab.TIERS.get(row.tier or "none", ""),
                vocab.CASE_STATUSES.get(row.status, row.status),
                (row.deadline.isoformat() if row.deadline else "") + (" 逾期" if row.overdue else ""),
                row.matter,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._exhausted or self._loading:
            return
        self._loading = True
        generation = self._generation
        flt = self._filter
        after = self._rows[-1].id if self._rows else None

        def fetch() -> list[CaseRow]:
            with self._open_uow() as uow:
                return find_cases(uow, flt, after_id=after, limit=PAGE_SIZE)

        self._tasks.run(fetch, on_done=lambda rows: self._append(generation, rows),
                        on_error=lambda _exc: self._failed(generation), owner=self)

    # --- ours
    def row_at(self, row: int) -> CaseRow:
        return self._rows[row]

    def set_filter(self, flt: CaseFilter) -> None:
        """Start over with a new search; stale pages still in flight are dropped."""
        self.beginResetModel()
        self._generation += 1
        self._filter = flt
        self._rows = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def _append(self, generation: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if len(rows) < PAGE_SIZE:
            self._exhausted = True
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.sig_loaded.emit(len(self._rows))

    def _failed(self, generation: int) -> bool:
        if generation == self._generation:
            self._loading = False
        return False  # let the runner show it


class RegisterPage(Page):
    page_id = "register"
    title = "个案台账"
    shortcut = "Ctrl+3"

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.search = QLineEdit()
        self.search.setObjectName("register_search")
        self.search.setPlaceholderText("身份证号、姓名开头或拼音首字母（如 zs）")
        self.search.setClearButtonEnabled(True)
        self.status = CodeCombo(vocab.CASE_STATUSES, empty_label="全部状态")
        self.tier = CodeCombo(vocab.TIERS, empty_label="全部类别")
        self.overdue = QCheckBox("只看逾期")
        self.count = QLabel()
        self.count.setObjectName("register_count")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("查找："))
        bar.addWidget(self.search, 2)
        bar.addWidget(self.status)
        bar.addWidget(self.tier)
        bar.addWidget(self.overdue)
        bar.addWidget(self.count, 1)

        self.model = CaseTableModel(lambda: UnitOfWork(ctx.db, ctx.actor, write=False), ctx.tasks, self)
        self.view = QTableView()
        self.view.setObjectName("register_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        # Typing searches as you go, after a short pause (no button, no Enter needed).
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.refresh)
        for combo in (self.status, self.tier):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _b: self.refresh())
        self.model.sig_loaded.connect(lambda _n: self._update_count())
        self._total: int | None = None
        # Enter or a double click on a case opens its papers (issue, reprint, void).
        self.view.activated.connect(lambda index: self.open_documents(index.row()))
        self.documents_dialog: QWidget | None = None
        # A case accepted or changed at another window shows up here while this page is shown.
        if ctx.changes is not None:
            ctx.changes.watch(self, lambda entity: self.refresh() if entity == "case" else None)

    def open_documents(self, row: int) -> None:
        from window_desk.ui.case_documents import CaseDocumentsDialog

        case = self.model.row_at(row)
        dialog = CaseDocumentsDialog(self.ctx, case.id, case.number, self)
        self.documents_dialog = dialog
        dialog.open()

    def current_filter(self) -> CaseFilter:
        return CaseFilter(query=self.search.text(), status=self.status.code(), tier=self.tier.code(),
                          overdue_only=self.overdue.isChecked())

    def on_shown(self) -> None:
        self.refresh()
        self.search.setFocus()

    def refresh(self) -> None:
        self._debounce.stop()
        flt = self.current_filter()
        self.model.set_filter(flt)
        self._total = None

        def count() -> int:
            with self.ctx.uow(write=False) as uow:
                return count_cases(uow, flt)

        def show(total: int) -> None:
            if flt == self.current_filter():
                self._total = total
                self._update_count()

        self.run_task(count, on_done=show)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        self.count.setText(f"共 {self._total} 件，已显示 {shown} 件" if self._total is not None else f"已显示 {shown} 件")
