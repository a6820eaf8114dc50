"""The shared paged table model: the fetchMore boundaries (empty, one page, a page and one more, the
parent index), pinned rows, a reset while a page is in flight, a failed read, and scrolling by keys."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from window_desk.ui.tasks import TaskRunner
from window_desk.ui.widgets.paged_model import Fetched, Index, PagedTableModel


@dataclass(frozen=True)
class Item:
    id: int
    name: str


class ItemModel(PagedTableModel[Item]):
    """Keyset pages over an in-memory list; records every cursor it was asked for."""

    columns = ("编号", "名称")

    def __init__(self, tasks: TaskRunner, items: list[Item], size: int, pinned: list[Item] | None = None) -> None:
        super().__init__(tasks)
        self.items = items
        self.size = size
        self.pinned = pinned or []
        self.cursors: list[int | None] = []
        self.gate: threading.Event | None = None
        self.fail = False

    def page_size(self) -> int:
        return self.size

    def reader(self, last: Item | None, limit: int) -> Callable[[], Fetched[Item]]:
        after = last.id if last else None
        self.cursors.append(after)
        items, pinned, gate, fail = list(self.items), list(self.pinned), self.gate, self.fail

        def read() -> Fetched[Item]:
            if gate is not None:
                assert gate.wait(10)
            if fail:
                raise RuntimeError("the database went away")
            rows = [i for i in items if after is None or i.id > after][:limit]
            return Fetched.page(rows, limit, pinned if after is None else None)

        return read

    def cell(self, row: Item, index: Index, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.id), row.name)[index.column()]
        return None


def _items(n: int, start: int = 1, name: str = "甲") -> list[Item]:
    return [Item(i, f"{name}{i}") for i in range(start, start + n)]


def _ids(model: ItemModel) -> list[int]:
    return [model.row_at(r).id for r in range(model.rowCount())]


def _watch(model: ItemModel) -> tuple[list[tuple[int, int]], list[int]]:
    inserted: list[tuple[int, int]] = []
    loaded: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.sig_loaded.connect(loaded.append)
    return inserted, loaded


def _fetch_all(qtbot, model: ItemModel) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.loading, timeout=5000)


def test_an_empty_list_reads_once_and_inserts_nothing(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, [], size=5)
    assert not model.canFetchMore(QModelIndex())  # nothing to fetch before the first reset
    inserted, loaded = _watch(model)
    model.restart()
    qtbot.waitUntil(lambda: loaded == [0], timeout=5000)
    assert model.rowCount() == 0 and inserted == [] and model.exhausted
    assert not model.canFetchMore(QModelIndex())
    assert model.cursors == [None]


def test_exactly_one_page_asks_once_more_and_finds_the_end(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, _items(5), size=5)
    inserted, loaded = _watch(model)
    model.restart()
    qtbot.waitUntil(lambda: loaded == [5], timeout=5000)
    assert model.canFetchMore(QModelIndex())  # a full page: there may be more
    _fetch_all(qtbot, model)
    assert loaded == [5, 5] and inserted == [(0, 4)]  # the empty second page inserts nothing
    assert model.cursors == [None, 5] and model.exhausted
    assert _ids(model) == [1, 2, 3, 4, 5]


def test_a_page_and_one_more_inserts_at_the_end(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, _items(6), size=5)
    inserted, loaded = _watch(model)
    model.restart()
    _fetch_all(qtbot, model)
    assert inserted == [(0, 4), (5, 5)] and loaded == [5, 6]
    assert model.cursors == [None, 5] and not model.canFetchMore(QModelIndex())
    assert _ids(model) == [1, 2, 3, 4, 5, 6]
    assert model.index(5, 1).data() == "甲6" and model.headerData(1, Qt.Orientation.Horizontal) == "名称"
    assert model.index(6, 0).data() is None  # past the end


def test_only_the_invalid_parent_has_rows_or_fetches(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, _items(12), size=5)
    model.restart()
    qtbot.waitUntil(lambda: model.rowCount() == 5 and not model.loading, timeout=5000)
    cell = model.index(0, 0)
    assert cell.isValid()
    assert model.rowCount(cell) == 0 and model.columnCount(cell) == 0
    assert not model.canFetchMore(cell)
    model.fetchMore(cell)  # a flat table: a child's fetch is no fetch
    assert not model.loading and model.cursors == [None]
    assert model.canFetchMore(QModelIndex())


def test_pinned_rows_come_first_once_and_do_not_move_the_cursor(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    pinned = [Item(90, "急1"), Item(91, "急2")]
    model = ItemModel(tasks, _items(7), size=5, pinned=pinned)
    inserted, _loaded = _watch(model)
    model.restart()
    _fetch_all(qtbot, model)
    assert _ids(model) == [90, 91, 1, 2, 3, 4, 5, 6, 7]
    assert model.pinned_count == 2 and model.cursors == [None, 5]
    assert inserted == [(0, 6), (7, 8)]


def test_only_pinned_rows_end_the_list(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, [], size=5, pinned=[Item(90, "急1")])
    model.restart()
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading, timeout=5000)
    assert model.pinned_count == 1 and model.exhausted and model.cursors == [None]


def test_a_reset_while_a_page_is_in_flight_drops_that_page(tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, _items(5, name="旧"), size=5)
    gate = threading.Event()
    model.gate = gate
    inserted, loaded = _watch(model)
    model.restart()
    assert model.loading and not model.canFetchMore(QModelIndex())  # one read at a time
    model.gate = None
    model.items = _items(3, start=100, name="新")
    model.restart()  # a new search: starts at once, though the old page has not come back
    qtbot.waitUntil(lambda: loaded == [3], timeout=5000)
    gate.set()  # now the old page arrives
    qtbot.waitUntil(lambda: tasks.busy == 0, timeout=5000)
    qtbot.wait(50)
    assert _ids(model) == [100, 101, 102] and loaded == [3] and inserted == [(0, 2)]
    assert model.exhausted and model.cursors == [None, None]


def test_a_failed_read_lets_the_view_ask_again(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []
    runner = TaskRunner(on_unhandled_error=lambda exc, _trace: errors.append(exc))
    model = ItemModel(runner, _items(3), size=5)
    model.fail = True
    model.restart()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], RuntimeError)  # shown by the runner, not swallowed
    assert model.rowCount() == 0 and not model.loading and model.canFetchMore(QModelIndex())
    model.fail = False
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    assert model.exhausted and runner.wait_all()


@pytest.mark.parametrize("total", [0, 10, 11, 95])
def test_the_view_fetches_as_the_keyboard_scrolls(tasks, qtbot, total) -> None:  # type: ignore[no-untyped-def]
    model = ItemModel(tasks, _items(total), size=10)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 160)
    view.show()
    qtbot.waitExposed(view)
    model.restart()
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    view.setFocus()
    for _ in range(total // 10 + 3):
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not model.loading, timeout=5000)
    qtbot.waitUntil(lambda: model.exhausted, timeout=5000)
    assert _ids(model) == list(range(1, total + 1))
    assert len(model.cursors) == total // 10 + 1  # each page read once, and the short one ends it


def test_multidata_answers_as_data_does_for_each_role(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    """The view paints through multiData (all of a cell's roles in one call): it must say what data says,
    and nothing for the roles the model does not answer."""
    from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, Qt
    from PySide6.QtGui import QColor

    from window_desk.ui.widgets.paged_model import Fetched, PagedTableModel

    class Two(PagedTableModel[int]):
        columns = ("数", "双")
        roles = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole})

        def page_size(self) -> int:
            return 10

        def reader(self, last, limit):  # type: ignore[no-untyped-def]
            return lambda: Fetched.page([1, 2, 3], limit)

        def cell(self, row, index, role):  # type: ignore[no-untyped-def]
            if role == Qt.ItemDataRole.DisplayRole:
                return str(row * (index.column() + 1))
            if role == Qt.ItemDataRole.ForegroundRole and row == 2:
                return QColor("#c62828")
            if role == Qt.ItemDataRole.ToolTipRole:
                return "never asked"  # not in roles: answered None by both paths
            return None

    model = Two(tasks)
    model.restart()
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    for r in range(3):
        for c in range(2):
            index = model.index(r, c)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.TextAlignmentRole):
                slot = QModelRoleData(int(role))
                model.multiData(index, QModelRoleDataSpan(slot))
                assert slot.data() == model.data(index, role), (r, c, role)
    assert model.data(model.index(1, 1), Qt.ItemDataRole.DisplayRole) == "4"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None
    slot = QModelRoleData(int(Qt.ItemDataRole.DisplayRole))
    model.multiData(QModelIndex(), QModelRoleDataSpan(slot))
    assert slot.data() is None
