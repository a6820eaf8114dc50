"""备用金 — the emergency reserve: balance, the supervisors' 待审批 list, allocations, the ledger, the report.

Everyone sees the balance and the ledger; supervisors approve or decline waiting
prepayments (with their own password) and enter allocations. The ledger table
holds plain rows and fetches older ones a page at a time as it is scrolled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from window_desk.errors import UserError
from window_desk.money import fmt
from window_desk.services import reserve, reserve_report, settings
from window_desk.timeutil import format_local, today
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page
from window_desk.ui.widgets.inputs import MoneyEdit
from window_desk.ui.widgets.paged_model import Fetched, Index, PagedTableModel

PAGE_SIZE = 100
LEDGER_HEADERS = ("日期", "摘要", "收入（元）", "支出（元）", "余额（元）", "个案编号", "凭证编号", "领取人", "经办人")
PENDING_HEADERS = ("提交时间", "个案编号", "领取人", "致困原因", "金额（元）", "须审批原因", "经办人", "重复救助理由")
NEEDS = {"amount": "超过审批限额", "repeat": "十二个月内同一原因再次救助"}


class LedgerModel(PagedTableModel[reserve.LedgerLine]):
    """Ledger lines newest first; older pages are fetched on a worker as the view scrolls (keyset on
    the id, each page carrying the running balance on from the last line held)."""

    columns = LEDGER_HEADERS

    def __init__(self, page: Page) -> None:
        super().__init__(page.ctx.tasks, page)
        self.page = page

    def page_size(self) -> int:
        return PAGE_SIZE

    def reader(self, last: reserve.LedgerLine | None, limit: int) -> Callable[[], Fetched[reserve.LedgerLine]]:
        before = last.id if last else None
        start = reserve.balance_before(last) if last else None
        ctx = self.page.ctx

        def read() -> Fetched[reserve.LedgerLine]:
            with ctx.uow(write=False) as uow:
                lines = reserve.recent_lines(uow, before_id=before, limit=limit, balance_after=start)
            return Fetched.page(lines, limit)

        return read

    def cell(self, line: reserve.LedgerLine, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (line.entry_date.isoformat(), f"{line.kind_label}：{line.note}" if line.note else line.kind_label,
                  fmt(line.amount_in) if line.amount_in else "", fmt(line.amount_out) if line.amount_out else "",
                  fmt(line.balance), line.case_number, line.voucher_number, line.person_name, line.created_by)
        return values[index.column()]

    def reset(self) -> None:
        """Read the newest page again (after an allocation, an approval, a refresh)."""
        self.restart()


class ApprovalDialog(QDialog):
    """The supervisor's own user name and password, and an opinion, for one waiting prepayment."""

    def __init__(self, info: reserve.PrepaymentInfo, username: str, *, decline: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approval_dialog")
        self.setWindowTitle("不予批准先行救助" if decline else "审批先行救助")
        layout = QVBoxLayout(self)
        needs = "、".join(NEEDS.get(n, n) for n in info.approval_needed)
        summary = QLabel(f"{info.person_name}　个案 {info.case_number or '（首问登记）'}　{info.cause_label}　"
                         f"¥{fmt(info.amount)}\n须审批：{needs}" +
                         (f"\n重复救助理由：{info.override_reason}" if info.override_reason else ""))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        form = QFormLayout()
        self.username = QLineEdit(username)
        self.username.setObjectName("approver_username")
        self.password = QLineEdit()
        self.password.setObjectName("approver_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLineEdit()
        self.note.setObjectName("approval_note")
        form.addRow("审批人用户名：", self.username)
        form.addRow("审批人密码：", self.password)
        form.addRow("不予批准理由：" if decline else "审批意见：", self.note)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("approval_message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("不予批准" if decline else "批准并发放")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()


class ReservePage(Page):
    page_id = "reserve"
    title = "备用金"
    shortcut = "Ctrl+7"

    sig_changed = Signal()
    """Emitted (no arguments) after an approval, a decline or an allocation was saved."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.is_supervisor = ctx.user.role in reserve.SUPERVISOR_ROLES
        self.pending_rows: list[reserve.PrepaymentInfo] = []
        self.last_preview: QDialog | None = None

        self.balance_label = QLabel("余额：……")
        self.balance_label.setObjectName("reserve_balance")
        self.notice = QLabel()
        self.notice.setObjectName("reserve_notice")
        self.notice.setWordWrap(True)

        pending_box = self._build_pending()
        alloc_box = self._build_allocation()
        ledger_box = self._build_ledger()
        layout = QVBoxLayout(self)
        layout.addWidget(self.balance_label)
        layout.addWidget(self.notice)
        layout.addWidget(pending_box)
        layout.addWidget(alloc_box)
        layout.addWidget(ledger_box, 1)

        self.approve_button.clicked.connect(lambda: self.decide(decline=False))
        self.decline_button.clicked.connect(lambda: self.decide(decline=True))
        self.alloc_button.clicked.connect(self.allocate)
        self.alloc_note.returnPressed.connect(self.allocate)
        self.export_button.clicked.connect(self.choose_export)

    def _build_pending(self) -> QGroupBox:
        """The supervisors' 待审批 list and its two buttons (enabled for supervisors only)."""
        pending_box = QGroupBox("待审批的先行救助")
        pending_layout = QVBoxLayout(pending_box)
        self.pending = QTableWidget(0, len(PENDING_HEADERS))
        self.pending.setObjectName("pending_table")
        self.pending.setHorizontalHeaderLabels([h.replace("(", "（").replace(")", "）") for h in PENDING_HEADERS])
        self.pending.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pending.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pending.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.pending.horizontalHeader().setStretchLastSection(True)
        self.pending.setMaximumHeight(180)
        self.approve_button = QPushButton("批准并发放…")
        self.approve_button.setObjectName("approve_button")
        self.decline_button = QPushButton("不予批准…")
        for b in (self.approve_button, self.decline_button):
            b.setEnabled(self.is_supervisor)
            if not self.is_supervisor:
                b.setToolTip("只有审核人可以审批")
        row = QHBoxLayout()
        row.addWidget(self.approve_button)
        row.addWidget(self.decline_button)
        row.addStretch(1)
        pending_layout.addWidget(self.pending)
        pending_layout.addLayout(row)
        return pending_box

    def _build_allocation(self) -> QGroupBox:
        """The allocation row (shown to supervisors only)."""
        alloc_box = QGroupBox("录入拨入（审核人）")
        alloc_form = QHBoxLayout(alloc_box)
        self.alloc_amount = MoneyEdit()
        self.alloc_amount.setObjectName("alloc_amount")
        self.alloc_note = QLineEdit()
        self.alloc_note.setObjectName("alloc_note")
        self.alloc_note.setPlaceholderText("拨款来源或文号")
        self.alloc_button = QPushButton("录入拨入")
        self.alloc_button.setObjectName("alloc_button")
        alloc_form.addWidget(QLabel("金额（元）："))
        alloc_form.addWidget(self.alloc_amount)
        alloc_form.addWidget(QLabel("说明："))
        alloc_form.addWidget(self.alloc_note, 1)
        alloc_form.addWidget(self.alloc_button)
        alloc_box.setVisible(self.is_supervisor)
        return alloc_box

    def _build_ledger(self) -> QGroupBox:
        """The ledger over the paged model, and the period to export."""
        ledger_box = QGroupBox("备用金明细（最新的在前）")
        ledger_layout = QVBoxLayout(ledger_box)
        self.model = LedgerModel(self)
        self.ledger = QTableView()
        self.ledger.setObjectName("ledger_table")
        self.ledger.setModel(self.model)
        self.ledger.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ledger.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.ledger.horizontalHeader().setStretchLastSection(True)
        export_row = QHBoxLayout()
        self.report_from = QDateEdit()
        self.report_from.setCalendarPopup(True)
        self.report_from.setDisplayFormat("yyyy-MM-dd")
        self.report_to = QDateEdit()
        self.report_to.setCalendarPopup(True)
        self.report_to.setDisplayFormat("yyyy-MM-dd")
        start = today().replace(day=1)
        self.report_from.setDate(start)
        self.report_to.setDate(today())
        self.export_button = QPushButton("导出明细…")
        export_row.addWidget(QLabel("期间："))
        export_row.addWidget(self.report_from)
        export_row.addWidget(QLabel("至"))
        export_row.addWidget(self.report_to)
        export_row.addWidget(self.export_button)
        export_row.addStretch(1)
        ledger_layout.addWidget(self.ledger, 1)
        ledger_layout.addLayout(export_row)
        return ledger_box

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def read() -> tuple[reserve.ReserveStatus, list[reserve.PrepaymentInfo]]:
            with ctx.uow(write=False) as uow:
                return reserve.status(uow), reserve.pending(uow)

        self.run_task(read, on_done=self._show)
        self.model.reset()

    def _show(self, data: tuple[reserve.ReserveStatus, list[reserve.PrepaymentInfo]]) -> None:
        st, rows = data
        self.balance_label.setText(f"<b>{st.office}临时救助备用金余额：{fmt(st.balance)} 元</b>"
                                   f"（预警线 {fmt(st.threshold)} 元）")
        warning = st.warning()
        waiting = f"有 {len(rows)} 笔先行救助待审批。" if rows else ""
        self.notice.setText(" ".join(x for x in (warning, waiting) if x))
        self.notice.setStyleSheet("color: #b00020;" if st.low else "")
        self.pending_rows = rows
        self.pending.setRowCount(len(rows))
        for r, info in enumerate(rows):
            values = (format_local(info.requested_at), info.case_number or "（首问登记）", info.person_name,
                      info.cause_label, fmt(info.amount), "、".join(NEEDS.get(n, n) for n in info.approval_needed),
                      info.requested_by_name, info.override_reason)
            for c, value in enumerate(values):
                self.pending.setItem(r, c, QTableWidgetItem(value))
        if rows:
            self.pending.selectRow(0)

    def _failed(self, exc: BaseException) -> bool:
        if isinstance(exc, UserError):
            self.notice.setText(str(exc))
            self.notice.setStyleSheet("color: #b00020;")
            return True
        return False

    # --- approvals
    def selected_pending(self) -> reserve.PrepaymentInfo | None:
        row = self.pending.currentRow()
        return self.pending_rows[row] if 0 <= row < len(self.pending_rows) else None

    def decide(self, *, decline: bool) -> None:
        info = self.selected_pending()
        if info is None:
            return
        dialog = ApprovalDialog(info, self.ctx.user.username, decline=decline, parent=self)
        self.approval_dialog = dialog
        dialog.accepted.connect(lambda: self._decide(info, dialog, decline))
        dialog.open()

    def _decide(self, info: reserve.PrepaymentInfo, dialog: ApprovalDialog, decline: bool) -> None:
        ctx = self.ctx
        username, password, note = dialog.username.text(), dialog.password.text(), dialog.note.text()

        def run() -> Any:
            with ctx.uow() as uow:
                if decline:
                    return reserve.reject(uow, info.id, username, password, note)
                return reserve.approve(uow, info.id, username, password, note)

        def done(result: Any) -> None:
            self.refresh()
            self.sig_changed.emit()
            if isinstance(result, reserve.PrepaymentResult) and result.pdf is not None:
                from window_desk.ui.prepay_dialog import show_voucher

                self.last_preview = show_voucher(ctx, result.pdf, result.prepayment.voucher_number, self)

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, UserError):
                dialog.message.setText(str(exc))
                dialog.password.clear()
                dialog.open()  # again, with the reason shown
                self.refresh()
                return True
            return False

        self.run_task(run, on_done=done, on_error=failed)

    # --- allocations
    def allocate(self) -> None:
        amount, note = self.alloc_amount.text().strip() or "0", self.alloc_note.text()
        ctx = self.ctx

        def run() -> reserve.LedgerLine:
            with ctx.uow() as uow:
                return reserve.allocate(uow, amount, note)

        def done(line: reserve.LedgerLine) -> None:
            self.alloc_amount.clear()
            self.alloc_note.clear()
            self.refresh()
            self.sig_changed.emit()

        self.run_task(run, on_done=done, on_error=self._failed)

    # --- report
    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出备用金明细", "备用金明细.xlsx",
                                              "Excel 工作簿 (*.xlsx);;PDF (*.pdf)")
        if path:
            self.export(path)

    def export(self, path: str) -> None:
        start, end = self.report_from.date().toPython(), self.report_to.date().toPython()
        kind = path.rsplit(".", 1)[-1].lower()
        ctx = self.ctx

        def run() -> str:
            with ctx.uow(write=False) as uow:
                ledger = reserve.ledger(uow, start, end)
                office_full = str(settings.get(uow, "office_full_name"))
                fonts = settings.get(uow, "font_dir") or None
            reserve_report.write(path, reserve_report.render(ledger, kind, office_full, fonts=fonts))
            return path

        self.run_task(run, on_done=lambda p: self.notice.setText(f"已导出：{p}"), on_error=self._failed)


def show_pending_on_login(window: Any) -> None:
    """For a supervisor: if prepayments wait for approval, open this page with the list on login."""
    ctx: DeskContext = window.ctx
    if ctx.user.role not in reserve.SUPERVISOR_ROLES or "reserve" not in window.pages:
        return
    page: ReservePage = window.pages["reserve"]

    def count() -> int:
        with ctx.uow(write=False) as uow:
            return len(reserve.pending(uow))

    def done(n: int) -> None:
        if n:
            window.show_page("reserve")

    page.run_task(count, on_done=done)


__all__ = ["ReservePage", "show_pending_on_login"]
