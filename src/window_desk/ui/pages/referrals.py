"""转介跟踪 — referrals until their receipt returns: scan the stub, enter the receipt, chase the overdue.

Keyboard flow at the window: the scan box has the focus; the USB scanner types the slip's QR
text and Enter (or the clerk types the slip number and Enter); the referral is found and the
focus moves to 签收人；Tab through 签收时间，办理结果 and 反馈时间；Enter saves (with a result
it is 已办结，without one 已签收）. 退回 uses the result box as the reason. Overdue referrals are
red. The departments list on the left is the chasing view: pick one to see only its referrals.
"""

from __future__ import annotations

from datetime import date
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk import timeutil
from window_desk.services import case_documents, documents, referrals
from window_desk.services.referrals import ReferralFilter, ReferralRow
from window_desk.ui.context import DeskContext
from window_desk.ui.errors import show_error
from window_desk.ui.pages.base import Page
from window_desk.ui.tasks import TaskRunner
from window_desk.ui.widgets.paged_model import Fetched, Index, PagedTableModel, list_view

PAGE_SIZE = 200
COLUMNS = ("转介单编号", "个案编号", "申请人", "转介事项", "接收单位", "转出日期", "办理时限", "状态", "签收人", "办理结果")
COLUMN_WIDTHS = (180, 150, 70, 120, 120, 90, 90, 150, 70, 220)
RED = QColor("#c62828")
STATUS_CHOICES = (("open", "未办结"), (None, "全部状态"), ("sent", "已转出"), ("received", "已签收"), ("done", "已办结"),
                  ("returned", "已退回"))


class DayEdit(QDateEdit):
    """A date box for the keyboard: Tab leaves it (instead of walking year, month, day) and the
    arrow keys move the day, the part a receipt's date usually differs in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.setCurrentSection(QDateTimeEdit.Section.DaySection)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        return QWidget.focusNextPrevChild(self, next)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReferralTableModel(PagedTableModel[ReferralRow]):
    """Referrals, soonest due first, a page at a time on a worker (keyset on due date and id)."""

    columns = COLUMNS

    def __init__(self, open_uow: Any, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(tasks, parent)
        self._open_uow = open_uow
        self._filter = ReferralFilter(status="open")

    def page_size(self) -> int:
        return PAGE_SIZE

    def reader(self, last: ReferralRow | None, limit: int) -> Callable[[], Fetched[ReferralRow]]:
        flt, open_uow = self._filter, self._open_uow
        after = (last.due_date, last.id) if last else None

        def fetch() -> Fetched[ReferralRow]:
            with open_uow() as uow:
                return Fetched.page(referrals.list_referrals(uow, flt, after=after, limit=limit), limit)

        return fetch

    def cell(self, r: ReferralRow, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            status = r.status_label + (f"（逾期{r.days_late}个工作日）" if r.overdue else "")
            return (r.document_number or "（未开具）", r.case_number, r.person_name, r.measure, r.department,
                    r.referred_on.isoformat(), r.due_date.isoformat(), status, r.receipt_signer,
                    r.result or r.return_reason)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and r.overdue:
            return RED
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def find_row(self, referral_id: int) -> int:
        return self.row_index(lambda r: r.id == referral_id)

    def set_filter(self, flt: ReferralFilter) -> None:
        self._filter = flt
        self.restart()


class ReferralsPage(Page):
    page_id = "referrals"
    title = "转介跟踪"
    shortcut = "Ctrl+4"

    sig_receipt_saved = Signal(object)
    """Emitted with the ReferralRow after a receipt or a return is saved."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        """The referrals page.

        Long because: it builds the widgets in the order they are laid out and wired, so the form reads
        top to bottom in one place; what they do is in the methods below.
        """
        super().__init__(ctx, parent)
        self.current: ReferralRow | None = None
        self.last_preview: Any = None

        self.scan = QLineEdit()
        self.scan.setObjectName("referral_scan")
        self.scan.setPlaceholderText("扫描转介单二维码，或输入转介单编号后按回车")
        self.scan.setClearButtonEnabled(True)
        self.message = QLabel()
        self.message.setObjectName("referral_message")
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("回执扫码："))
        top.addWidget(self.scan, 2)
        top.addWidget(self.message, 3)

        # The receipt as it comes back on paper.
        self.found = QLabel("（尚未选择转介）")
        self.found.setObjectName("referral_found")
        self.signer = QLineEdit()
        self.signer.setObjectName("receipt_signer")
        self.received_on = DayEdit()
        self.received_on.setObjectName("receipt_received_on")
        self.result = QLineEdit()
        self.result.setObjectName("receipt_result")
        self.result.setPlaceholderText("回执上的办理结果；退回时填写退回理由")
        self.feedback_on = DayEdit()
        self.feedback_on.setObjectName("receipt_feedback_on")
        self.amend_reason = QLineEdit()
        self.amend_reason.setObjectName("receipt_amend_reason")
        self.amend_reason.setPlaceholderText("仅当当日台账已签字锁定时填写")
        self.save_button = QPushButton("保存回执（&S）")
        self.save_button.setObjectName("receipt_save")
        self.return_button = QPushButton("退回（&T）")
        self.return_button.setObjectName("receipt_return")
        self.reprint_button = QPushButton("补打转介单（&P）")
        self.reprint_button.setObjectName("slip_reprint")
        form = QFormLayout()
        form.addRow("转介：", self.found)
        form.addRow("签收人：", self.signer)
        form.addRow("签收时间：", self.received_on)
        form.addRow("办理结果：", self.result)
        form.addRow("反馈时间：", self.feedback_on)
        form.addRow("更正理由：", self.amend_reason)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.return_button, self.reprint_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        form.addRow(buttons)
        receipt_box = QGroupBox("回执录入")
        receipt_box.setLayout(form)

        # Chasing: per department.
        self.departments = QTableWidget(0, 5)
        self.departments.setObjectName("referral_departments")
        self.departments.setHorizontalHeaderLabels(["接收单位", "未办结", "逾期", "已办结", "已退回"])
        self.departments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.departments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.departments.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.departments.verticalHeader().setVisible(False)
        dept_header = self.departments.horizontalHeader()
        dept_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a handful of departments
        dept_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        left = QVBoxLayout()
        left.addWidget(receipt_box)
        left.addWidget(QLabel("按接收单位催办（选中一行只看该单位）："))
        left.addWidget(self.departments, 1)

        self.department = QComboBox()
        self.department.setObjectName("referral_department")
        self.department.addItem("全部接收单位", None)
        self.status = QComboBox()
        self.status.setObjectName("referral_status")
        for code, label in STATUS_CHOICES:
            self.status.addItem(label, code)
        self.overdue = QCheckBox("只看逾期")
        self.overdue.setObjectName("referral_overdue")
        self.count = QLabel()
        self.count.setObjectName("referral_count")
        filters = QHBoxLayout()
        filters.addWidget(self.department)
        filters.addWidget(self.status)
        filters.addWidget(self.overdue)
        filters.addWidget(self.count, 1)

        self.model = ReferralTableModel(lambda: ctx.uow(write=False), ctx.tasks, self)
        self.view = list_view(self.model, "referral_view", COLUMN_WIDTHS)
        right = QVBoxLayout()
        right.addLayout(filters)
        right.addWidget(self.view, 1)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

        for a, b in ((self.scan, self.signer), (self.signer, self.received_on), (self.received_on, self.result),
                     (self.result, self.feedback_on), (self.feedback_on, self.amend_reason),
                     (self.amend_reason, self.save_button), (self.save_button, self.return_button),
                     (self.return_button, self.reprint_button), (self.reprint_button, self.view)):
            QWidget.setTabOrder(a, b)
        self.scan.returnPressed.connect(self.lookup)
        for w in (self.signer, self.result, self.amend_reason):
            w.returnPressed.connect(self.save_receipt)
        self.save_button.clicked.connect(self.save_receipt)
        self.return_button.clicked.connect(self.return_current)
        self.reprint_button.clicked.connect(self.reprint_current)
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.reprint_current,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.activated.connect(lambda index: self.select(self.model.row_at(index.row())))
        self.department.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _b: self.refresh())
        self.departments.itemActivated.connect(lambda item: self._chase(item.row()))
        self.departments.cellClicked.connect(lambda row, _c: self._chase(row))
        self.model.sig_loaded.connect(lambda n: self.count.setText(f"已显示 {n} 件"))
        self._reset_dates()

    # --- loading
    def on_shown(self) -> None:
        self.refresh()
        self.scan.setFocus()

    def current_filter(self) -> ReferralFilter:
        return ReferralFilter(department=self.department.currentData(), status=self.status.currentData(),
                              overdue_only=self.overdue.isChecked())

    def refresh(self) -> None:
        self.model.set_filter(self.current_filter())

        def summary() -> list[referrals.DepartmentSummary]:
            with self.ctx.uow(write=False) as uow:
                return referrals.chasing_order(referrals.by_department(uow, limit=200))

        self.run_task(summary, on_done=self._show_departments)

    def _show_departments(self, rows: list[referrals.DepartmentSummary]) -> None:
        self._summary = rows
        self.departments.setRowCount(len(rows))
        for r, s in enumerate(rows):
            for c, value in enumerate((s.department, s.open, s.overdue, s.done_text, s.returned)):
                item = QTableWidgetItem(str(value))
                if s.overdue:
                    item.setForeground(RED)
                self.departments.setItem(r, c, item)
        chosen = self.department.currentData()
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem("全部接收单位", None)
        for s in sorted(rows, key=lambda s: s.department):
            self.department.addItem(s.department, s.department)
        index = self.department.findData(chosen)
        self.department.setCurrentIndex(max(index, 0))
        self.department.blockSignals(False)

    def _chase(self, row: int) -> None:
        if 0 <= row < len(getattr(self, "_summary", [])):
            index = self.department.findData(self._summary[row].department)
            if index >= 0:
                self.department.setCurrentIndex(index)

    # --- the receipt
    def _reset_dates(self) -> None:
        today = _qdate(timeutil.today())
        for edit in (self.received_on, self.feedback_on):
            edit.setMaximumDate(today)
            edit.setDate(today)

    def lookup(self) -> None:
        code = self.scan.text()

        def find() -> ReferralRow:
            with self.ctx.uow(write=False) as uow:
                return referrals.find_by_code(uow, code)

        def failed(exc: BaseException) -> bool:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color: #c62828;")
            self.scan.selectAll()
            return True

        self.run_task(find, on_done=self.select, on_error=failed)

    def select(self, row: ReferralRow) -> None:
        """Show one referral in the receipt box and move the keyboard there."""
        self.current = row
        late = f"，逾期{row.days_late}个工作日" if row.overdue else ""
        self.found.setText(f"{row.document_number or '（未开具）'}　{row.case_number}　{row.person_name}　"
                           f"{row.measure} → {row.department}　限{row.due_date.isoformat()}前{late}　[{row.status_label}]")
        self.found.setStyleSheet("color: #c62828;" if row.overdue else "")
        self.message.setStyleSheet("")
        self.message.setText(f"已找到转介：{row.case_number} {row.department}")
        self.signer.setText(row.receipt_signer)
        self.result.clear()
        self.amend_reason.clear()
        self._reset_dates()
        if row.receipt_at is not None:
            self.received_on.setDate(_qdate(timeutil.to_local(row.receipt_at).date()))
        index = self.model.find_row(row.id)
        if index >= 0:
            self.view.selectRow(index)
        self.scan.clear()
        self.signer.setFocus()
        self.signer.selectAll()

    def save_receipt(self) -> None:
        row = self.current
        if row is None:
            self.message.setText("请先扫描转介单或在列表中选中一项转介")
            return
        signer, result = self.signer.text(), self.result.text()
        received, feedback = _pydate(self.received_on.date()), _pydate(self.feedback_on.date())
        reason = self.amend_reason.text() or None

        def save() -> ReferralRow:
            with self.ctx.uow() as uow:
                return referrals.record_receipt(uow, row.id, signer=signer, received_on=received, result=result,
                                                feedback_on=feedback if result.strip() else None, reason=reason)

        self._write(save)

    def return_current(self) -> None:
        row = self.current
        if row is None:
            self.message.setText("请先扫描转介单或在列表中选中一项转介")
            return
        why, signer, reason = self.result.text(), self.signer.text(), self.amend_reason.text() or None
        on = _pydate(self.feedback_on.date())

        def send_back() -> ReferralRow:
            with self.ctx.uow() as uow:
                return referrals.return_referral(uow, row.id, why, on=on, signer=signer, amend_reason=reason)

        self._write(send_back)

    def _write(self, fn: Any) -> None:
        def failed(exc: BaseException) -> bool:
            self.message.setText(str(exc))
            self.message.setStyleSheet("color: #c62828;")
            if not hasattr(exc, "field"):
                show_error(self, exc)
            return True

        def done(row: ReferralRow) -> None:
            self.current = row
            self.message.setStyleSheet("")
            self.message.setText(f"已保存：{row.case_number} {row.department} {row.status_label}")
            self.found.setText(self.found.text().rsplit("[", 1)[0] + f"[{row.status_label}]")
            self.sig_receipt_saved.emit(row)
            self.refresh()
            self.scan.setFocus()

        self.run_task(fn, on_done=done, on_error=failed)

    def reprint_current(self) -> None:
        """The slip again （补打，same number）；a slip never issued is issued now."""
        row = self.current
        if row is None:
            index = self.view.currentIndex()
            if not index.isValid():
                self.message.setText("请先选中一项转介")
                return
            row = self.model.row_at(index.row())
        target = row

        def paper() -> documents.IssuedDocument:
            with self.ctx.uow() as uow:
                if target.document_id is not None:
                    return documents.reprint(uow, target.document_id)
                return case_documents.issue_for_case(uow, target.case_id, "referral_slip", referral_id=target.id)

        def show(issued: documents.IssuedDocument) -> None:
            from window_desk.ui.preview import PreviewDialog

            self.message.setText(f"已{'补打' if issued.reprint else '开具'} {issued.number}")
            dialog = PreviewDialog(issued.pdf, issued.number, self.ctx.tasks, suggested_name=issued.number,
                                   copies=issued.copies, parent=self)
            self.last_preview = dialog
            dialog.open()
            self.refresh()

        self._write_paper(paper, show)

    def _write_paper(self, fn: Any, on_done: Any) -> None:
        def failed(exc: BaseException) -> bool:
            self.message.setText(str(exc))
            show_error(self, exc)
            return True

        self.run_task(fn, on_done=on_done, on_error=failed)
