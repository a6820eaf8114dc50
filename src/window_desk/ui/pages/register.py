"""个案台账 — the case register: search by ID, name or pinyin initials; filter; sort; fetch as you scroll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from window_desk import paths, vocab
from window_desk.services.register import CaseFilter, CaseRow, CountResult, count_cases, cursor_after, find_cases
from window_desk.timeutil import today
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.tasks import TaskRunner
from window_desk.ui.widgets.inputs import CodeCombo
from window_desk.ui.widgets.paged_model import Fetched, Index, PagedTableModel, list_view
from window_desk.uow import UnitOfWork

PAGE_SIZE = 200
COLUMNS = ("个案编号", "申请日期", "申请人", "匹配成员", "身份证号", "人口", "类别", "状态", "办理期限", "申请事项")
# The widest text each column usually holds: widths are fixed from these (not measured per row).
SAMPLES = ("示范镇-2026-000000", "2026-12-31", "欧阳秀英", "欧阳秀英（配偶）", "110105********0032", "人口",
           "支出型困难", "一次性告知", "2026-12-31 逾期", "申请特困人员救助供养")
SORT_COLUMNS = {1: "date", 6: "tier", 7: "status", 8: "deadline"}


class CaseTableModel(PagedTableModel[CaseRow]):
    """Rows arrive a page at a time on a worker (keyset pagination on the sort key), as Qt's
    fetchmore example does, but without blocking the GUI thread."""

    columns = COLUMNS

    def __init__(self, open_uow: Any, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(tasks, parent)
        self._open_uow = open_uow
        self._filter = CaseFilter()
        self._texts: dict[int, tuple[str, ...]] = {}

    def page_size(self) -> int:
        return PAGE_SIZE  # read each time: a test shrinks the module's page

    def reader(self, last: CaseRow | None, limit: int) -> Callable[[], Fetched[CaseRow]]:
        flt, open_uow = self._filter, self._open_uow
        after = cursor_after(last, flt) if last else None

        def fetch() -> Fetched[CaseRow]:
            with open_uow() as uow:
                return Fetched.page(find_cases(uow, flt, after=after, limit=limit), limit)

        return fetch

    # Qt asks a dozen roles of every visible cell at each paint; the ones answered here are few.
    roles = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
                       Qt.ItemDataRole.UserRole})

    def cell(self, row: CaseRow, index: Index, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            texts = self._texts.get(row.id)
            if texts is None:  # a row's texts made once, not once for each of its cells at each paint
                texts = self._texts[row.id] = self._row_texts(row)
            return texts[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _row_texts(row: CaseRow) -> tuple[str, ...]:
        return (
            row.number,
            row.application_date.isoformat(),
            row.applicant_name,
            row.matched,
            row.applicant_id_masked,
            str(row.members),
            vocab.TIERS.get(row.tier or "none", ""),
            vocab.CASE_STATUSES.get(row.status, row.status),
            (row.deadline.isoformat() if row.deadline else "") + (" 逾期" if row.overdue else ""),
            row.matter,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the database's (keyset on the column's index); other columns keep the order."""
        key = SORT_COLUMNS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self._filter.sort, self._filter.descending):
            self.set_filter(CaseFilter(**{**self._filter.__dict__, "sort": key, "descending": descending}))

    @property
    def filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter) -> None:
        """Start over with a new search; stale pages still in flight are dropped."""
        self._filter = flt
        self.restart()

    def restart(self) -> None:
        """Start over (a new search, or rows changed elsewhere): the texts made for the old rows go too."""
        self._texts.clear()
        super().restart()


class _DownToResults(QObject):
    """Down (or PgDown) in the search box moves to the first result."""

    def __init__(self, page: RegisterPage) -> None:
        super().__init__(page)
        self._page = page

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self._page.model.rowCount():
            self._page.focus_results()
            return True
        return False


def settings_store() -> QSettings:
    """The desk's per-machine view settings (column widths), next to its data."""
    return QSettings(str(paths.data_dir() / "view.ini"), QSettings.Format.IniFormat)


class RegisterPage(Page):
    page_id = "register"
    title = "个案台账"
    shortcut = "Ctrl+3"

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        """The case register page.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(ctx, parent)
        self.search = QLineEdit()
        self.search.setObjectName("register_search")
        self.search.setPlaceholderText("身份证号、姓名开头或拼音首字母（如 zs），↓ 到结果，回车打开")
        self.search.setClearButtonEnabled(True)
        self.status = CodeCombo(vocab.CASE_STATUSES, empty_label="全部状态")
        self.tier = CodeCombo(vocab.TIERS, empty_label="全部类别")
        self.clerk = QComboBox()
        self.clerk.setObjectName("register_clerk")
        self.clerk.addItem("全部经办人", None)
        self.overdue = QCheckBox("只看逾期")
        self.by_day = QCheckBox("当日：")
        self.day = QDateEdit(QDate(today().year, today().month, today().day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.count = QLabel()
        self.count.setObjectName("register_count")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("查找："))
        bar.addWidget(self.search, 2)
        for w in (self.status, self.tier, self.clerk, self.overdue, self.by_day, self.day):
            bar.addWidget(w)
        bar.addWidget(self.count, 1)

        self.model = CaseTableModel(lambda: UnitOfWork(ctx.db, ctx.actor, write=False), ctx.tasks, self)
        self.view = list_view(self.model, "register_view")
        self.view.setWordWrap(False)
        # Every row the same height, known without asking the rows: scrolling costs nothing per row.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        self._apply_widths()
        header.sectionResized.connect(self._remember_width)

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
        self.search.installEventFilter(_DownToResults(self))
        for combo in (self.status, self.tier, self.clerk):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _b: self.refresh())
        self.by_day.toggled.connect(lambda _b: self.refresh())
        self.day.dateChanged.connect(lambda _d: self.by_day.isChecked() and self.refresh())
        self.model.sig_loaded.connect(lambda _n: self._update_count())
        self._total: CountResult | None = None
        self._counted: CaseFilter | None = None
        # Enter or a double click on a case opens it.
        self.view.activated.connect(lambda index: self.open_case(index.row()))
        self.case_dialog: QWidget | None = None
        # A case accepted or changed at another window shows up here while this page is shown.
        if ctx.changes is not None:
            ctx.changes.watch(self, lambda entity: self.refresh() if entity == "case" else None)

    # --- column widths: fitted to their usual content once, then the clerk's own, remembered
    def _apply_widths(self) -> None:
        metrics = QFontMetrics(self.view.font())
        stored = settings_store()
        header = self.view.horizontalHeader()
        for col, sample in enumerate(SAMPLES):
            fitted = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(COLUMNS[col]) + 18) + 16
            width = stored.value(f"register/width/{col}", fitted, int)
            header.resizeSection(col, int(width))

    def _remember_width(self, col: int, _old: int, new: int) -> None:
        if col < len(COLUMNS) - 1:  # the last one stretches with the window
            settings_store().setValue(f"register/width/{col}", new)

    # --- navigation
    def focus_results(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.view.selectRow(self.view.currentIndex().row())

    def open_case(self, row: int) -> None:
        from window_desk.ui.case_detail import CaseDetailDialog

        case = self.model.row_at(row)
        dialog = CaseDetailDialog(self.ctx, case.id, case.number, self)
        dialog.sig_changed.connect(lambda _id: self.refresh())
        self.case_dialog = dialog
        dialog.open()

    def current_filter(self) -> CaseFilter:
        day = self.day.date()
        return CaseFilter(query=self.search.text(), status=self.status.code(), tier=self.tier.code(),
                          overdue_only=self.overdue.isChecked(), clerk=self.clerk.currentData(),
                          day=day.toPython() if self.by_day.isChecked() else None,
                          sort=self.model.filter.sort, descending=self.model.filter.descending)

    def on_shown(self) -> None:
        self.refresh()
        self.search.setFocus()
        self._load_clerks()

    def _load_clerks(self) -> None:
        from window_desk.services.register import clerks

        def fetch() -> list[str]:
            with self.ctx.uow(write=False) as uow:
                return clerks(uow)

        def show(names: list[str]) -> None:
            current = self.clerk.currentData()
            self.clerk.blockSignals(True)
            self.clerk.clear()
            self.clerk.addItem("全部经办人", None)
            for name in names:
                self.clerk.addItem(name, name)
            index = self.clerk.findData(current)
            self.clerk.setCurrentIndex(max(index, 0))
            self.clerk.blockSignals(False)

        self.run_task(fetch, on_done=show)

    def refresh(self) -> None:
        self._debounce.stop()
        flt = self.current_filter()
        self._total = None
        self._counted = None
        self.model.set_filter(flt)

    def _count_after_rows(self) -> None:
        """Counting starts once the first rows are on screen, off the GUI thread."""
        flt = self.model.filter
        if self._counted == flt:
            return
        self._counted = flt

        def count() -> CountResult:
            with self.ctx.uow(write=False) as uow:
                return count_cases(uow, flt)

        def show(total: CountResult) -> None:
            if flt == self.model.filter:
                self._total = total
                self._update_count()

        self.run_task(count, on_done=show)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.exhausted and self._counted != self.model.filter:
            self._counted = self.model.filter
            self._total = CountResult(shown)  # all rows are here: that is the count
        elif self._total is None:
            self._count_after_rows()
        total = self._total
        self.count.setText(f"共 {total.text()} 件，已显示 {shown} 件" if total is not None else f"已显示 {shown} 件")
