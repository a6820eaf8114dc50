"""Table models of the 主动发现 page: each holds the rows of the pages it has fetched (plain data from the
discovery service, each with its id) and fetches the next page on a worker when the view scrolls to the
end (canFetchMore/fetchMore, keyset pagination on the service's sort key), as the register does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from window_desk.services import discovery
from window_desk.timeutil import today

PAGE_SIZE = 100
Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[Any, int], list[Any]]  # (keyset cursor after the last row or None, limit) -> rows


class PagedModel(QAbstractTableModel):
    """Rows arrive a page at a time; ``reset(fetch)`` starts over (stale pages in flight are dropped)."""

    sig_loaded = Signal(int)
    """Emitted with the number of rows now held, after each page arrives."""

    headers: tuple[str, ...] = ()

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.page = page
        self.rows: list[Any] = []
        self.fetch: Fetch | None = None
        self.exhausted = True
        self.loading = False
        self.generation = 0
        self.pages = 0

    # --- what a subclass says
    def key(self, row: Any) -> Any:
        raise NotImplementedError

    def values(self, row: Any) -> tuple[object, ...]:
        raise NotImplementedError

    def row_id(self, row: Any) -> int:
        return int(row.id)

    def warn(self, row: Any) -> bool:
        return False

    # --- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self.values(row)[index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and self.warn(row):
            return QColor("#b00020")
        if role == Qt.ItemDataRole.UserRole:
            return self.row_id(row)
        return None

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self.fetch is not None and not self.exhausted and not self.loading

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        assert self.fetch is not None
        self.loading = True
        fetch, generation, limit = self.fetch, self.generation, PAGE_SIZE
        after = self.key(self.rows[-1]) if self.rows else None
        self.page.run_task(lambda: fetch(after, limit), lambda rows: self._append(generation, rows, limit),
                           lambda exc: self._failed(generation, exc))

    # --- ours
    def reset(self, fetch: Fetch | None) -> None:
        self.beginResetModel()
        self.generation += 1
        self.fetch = fetch
        self.rows = []
        self.pages = 0
        self.exhausted = fetch is None
        self.loading = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def row_at(self, i: int) -> Any:
        return self.rows[i]

    def replace(self, i: int, row: Any) -> None:
        self.rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.headers) - 1))

    def _append(self, generation: int, rows: list[Any], limit: int) -> None:
        if generation != self.generation:
            return
        self.loading = False
        self.pages += 1
        if len(rows) < limit:
            self.exhausted = True
        if rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.sig_loaded.emit(len(self.rows))

    def _failed(self, generation: int, exc: BaseException) -> bool:
        if generation == self.generation:
            self.loading = False
            self.exhausted = True
        return bool(self.page._failed(exc))


class RosterModel(PagedModel):
    headers = ("户编号", "村（社区）", "户主", "人数", "纳入原因", "协理员", "纳入时间", "状态")

    def key(self, row: discovery.RosterEntry) -> tuple[str, int]:
        return row.village, row.id

    def values(self, e: discovery.RosterEntry) -> tuple[object, ...]:
        status = e.status_label + (f"（{e.status_reason}）" if e.status_reason and e.status != "watching" else "")
        return (e.id, e.village, e.head_name, len(e.members), e.reason, e.assistant_name, e.since.isoformat(), status)


class DueModel(PagedModel):
    headers = ("户编号", "户主", "家庭住址", "协理员", "本月走访")

    def key(self, row: discovery.DueVisit) -> tuple[str, int]:
        return row.village, row.watch_household_id

    def row_id(self, row: discovery.DueVisit) -> int:
        return row.watch_household_id

    def values(self, d: discovery.DueVisit) -> tuple[object, ...]:
        return (d.watch_household_id, d.head_name, d.address, d.assistant_name, d.state_label)

    def warn(self, row: discovery.DueVisit) -> bool:
        return row.state == "overdue"


class ObservationModel(PagedModel):
    headers = ("姓名", "个案编号", "不符合条件的理由", "列入日期", "复查日期", "上次复查")

    def key(self, row: discovery.ObservationInfo) -> tuple[Any, int]:
        return row.review_date, row.id

    def values(self, o: discovery.ObservationInfo) -> tuple[object, ...]:
        return (o.name, o.case_number, o.reason, o.placed_on.isoformat(),
                ("【已到】" if o.review_due(today()) else "") + o.review_date.isoformat(),
                o.last_reviewed_on.isoformat() if o.last_reviewed_on else "")

    def warn(self, row: discovery.ObservationInfo) -> bool:
        return row.review_due(today())


class MonitoringModel(PagedModel):
    headers = ("姓名", "城乡", "人均收入（元）", "低保标准（元）", "低收入线（元）", "现状", "预警")

    def key(self, row: discovery.MonitoringWarning) -> int:
        return row.entry_id

    def row_id(self, row: discovery.MonitoringWarning) -> int:
        return row.entry_id

    def values(self, m: discovery.MonitoringWarning) -> tuple[object, ...]:
        return (m.name, "城市" if m.area == "urban" else "农村", m.per_capita_income, m.dibao, m.low_income_line,
                discovery.MONITOR_STATES[m.state], "；".join(m.warnings))

    def warn(self, row: discovery.MonitoringWarning) -> bool:
        return row.warned
