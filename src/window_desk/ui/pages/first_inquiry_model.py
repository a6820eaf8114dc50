"""The first-inquiry log's list: its columns, the deadline text, and the paged table model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from window_desk.services import inquiries
from window_desk.services.inquiries import InquiryFilter, InquiryRow
from window_desk.timeutil import format_local
from window_desk.ui.tasks import TaskRunner
from window_desk.ui.widgets.paged_model import Fetched, Index, PagedTableModel

PAGE_SIZE = 200
COLUMNS = ("登记时间", "渠道", "急难", "来访人", "联系电话", "求助事项", "状态", "期限", "首问责任人", "承办人")
COLUMN_WIDTHS = (142, 100, 44, 72, 112, 220, 72, 170, 96, 72)
RED = QColor("#c62828")


def deadline_text(row: InquiryRow) -> str:
    if row.status != "open":
        return row.due_date.isoformat() if row.due_date else ""
    if row.urgent:
        text = f"已等候{inquiries.elapsed_text(row.elapsed_hours)}"
    elif row.days_left is None:
        text = ""
    elif row.days_left >= 0:
        text = f"{row.due_date}（剩{row.days_left}天）"
    else:
        text = f"{row.due_date}（超{-row.days_left}天）"
    return text + (" 逾期" if row.overdue else "")


class InquiryTableModel(PagedTableModel[InquiryRow]):
    """The pinned open 急难 inquiries first (one read), then the rest a page at a time on a worker
    (keyset pagination on the id)."""

    columns = COLUMNS

    def __init__(self, open_uow: Any, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(tasks, parent)
        self._open_uow = open_uow
        self._filter = InquiryFilter()

    def page_size(self) -> int:
        return PAGE_SIZE

    def reader(self, last: InquiryRow | None, limit: int) -> Callable[[], Fetched[InquiryRow]]:
        flt, open_uow = self._filter, self._open_uow
        after = last.id if last else None
        first = not self._rows

        def fetch() -> Fetched[InquiryRow]:
            with open_uow() as uow:
                pinned = inquiries.pinned(uow, flt) if first else []
                rows = inquiries.find(uow, flt, after_id=after, limit=limit, exclude_pinned=True)
            return Fetched.page(rows, limit, pinned)

        return fetch

    def cell(self, row: InquiryRow, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            status = row.status_label if row.status == "open" else row.outcome_label
            return (
                format_local(row.received_at),
                row.channel_label,
                "急难" if row.urgent else "",
                row.visitor_name or "未留姓名",
                row.visitor_phone,
                row.matter,
                status,
                deadline_text(row),
                row.first_responder,
                row.handled_by,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return RED
        if role == Qt.ItemDataRole.FontRole and index.row() < self.pinned_count:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def row_of(self, inquiry_id: int) -> int:
        return self.row_index(lambda r: r.id == inquiry_id)

    def set_filter(self, flt: InquiryFilter) -> None:
        """Start over; pages of an earlier search still in flight are dropped."""
        self._filter = flt
        self.restart()
