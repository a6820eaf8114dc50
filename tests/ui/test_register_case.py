"""The register by keyboard: search, Down to the results, Enter opens the case, close it with a reason;
the model's pages, sorting by the header, masking and the matched member."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.keys import type_text
from window_desk.actor import Actor
from window_desk.db.models import Case, Member, Person
from window_desk.services import demo
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork


def _open_register(window, qtbot):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "register"
    return page


def _ids(model) -> list[int]:  # type: ignore[no-untyped-def]
    return [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]


@pytest.mark.parametrize("cases", [35, 30])
def test_fetch_more_stops_exactly_at_the_end(window, db, qtbot, monkeypatch, cases) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.pages import register as register_page

    monkeypatch.setattr(register_page, "PAGE_SIZE", 10)
    demo.fill(db, Actor.cli(), cases, 10, 5, today(), "示范镇")
    loads: list[int] = []
    window.pages["register"].model.sig_loaded.connect(loads.append)
    page = _open_register(window, qtbot)
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() >= 10, timeout=10_000)
    while True:
        qtbot.waitUntil(lambda: not model._loading, timeout=10_000)  # noqa: SLF001
        if not model.canFetchMore(model.index(-1, -1)):
            break
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == cases and len(set(_ids(model))) == cases
    # Pages of 10; 35 ends with the short page of 5, 30 with one more (empty) page, then no more.
    assert loads == ([10, 20, 30, 35] if cases == 35 else [10, 20, 30, 30])
    assert "共 " in page.count.text() and f"{cases}" in page.count.text()
    assert all("*" in model.index(r, 4).data() for r in range(model.rowCount()))  # masked


def test_header_click_sorts_by_due_date_in_the_database(window, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    demo.fill(db, Actor.cli(), 30, 40, 8, today(), "示范镇")
    page = _open_register(window, qtbot)
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() == 30, timeout=10_000)
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(8) + header.sectionSize(8) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    qtbot.waitUntil(lambda: model.filter.sort == "deadline" and model.rowCount() == 30, timeout=10_000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        deadlines = {c.id: c.deadline for c in uow.session.query(Case)}
    shown = [deadlines[i] for i in _ids(model)]
    dated = [d for d in shown if d is not None]
    direction = model.filter.descending
    assert dated == sorted(dated, reverse=direction) and shown[:len(dated)] == dated  # undated last
    widths = [header.sectionSize(c) for c in range(header.count() - 1)]
    assert all(w > 40 for w in widths)  # fixed widths fitted to the content, not shrunk to a few rows


def test_search_down_enter_opens_the_case_and_closes_it_with_a_reason(window, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    demo.fill(db, Actor.cli(), 20, 10, 6, today(), "示范镇")
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        member, person, case = uow.session.query(Member, Person, Case).join(Person, Person.id == Member.person_id) \
            .join(Case, Case.household_id == Member.household_id) \
            .filter(Member.seq > 0, Case.status == "accepted").first()
        case_id, number, member_name, id_number = case.id, case.number, person.name, person.id_number
    page = _open_register(window, qtbot)
    model = page.model
    qtbot.waitUntil(lambda: model.rowCount() == 20, timeout=10_000)
    assert page.search.hasFocus()
    type_text(qtbot, page.search, id_number)
    qtbot.waitUntil(lambda: _ids(model) == [case_id], timeout=10_000)
    assert model.index(0, 3).data().startswith(member_name + "(")  # the member who matched
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.view.hasFocus() and page.view.currentIndex().row() == 0
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.case_dialog is not None and page.case_dialog.isVisible(), timeout=5000)
    dialog = page.case_dialog
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    assert number in dialog.summary.text() and dialog.close_button.isEnabled()
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["家庭", "评估与调整", "救助措施", "转介", "文书", "救助金发放", "审计记录"]
    members = dialog.findChild(type(dialog.tabs.widget(2)), "members_table")
    assert members is not None and members.rowCount() >= 2 and "*" in members.item(0, 2).text()

    qtbot.keyClick(dialog, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)  # 办结(&J)
    qtbot.waitUntil(lambda: dialog.reason_dialog is not None and dialog.reason_dialog.isVisible(), timeout=5000)
    reason_box = dialog.reason_dialog.reason
    qtbot.waitUntil(reason_box.hasFocus, timeout=5000)
    type_text(qtbot, reason_box, "已发放,办结")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.detail is not None and dialog.detail.status == "closed", timeout=10_000)
    assert not dialog.close_button.isEnabled() and "已发放,办结" in dialog.summary.text()
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        stored = uow.session.get(Case, case_id)
        assert stored is not None and stored.status == "closed" and stored.decision_reason == "已发放,办结"
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.index(0, 7).data() == "已办结", timeout=10_000)
