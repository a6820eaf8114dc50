"""主动发现 page: entering a month's returned visit sheets by keyboard only."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.ui.conftest import open_window
from tests.ui.keys import enter, focus, key, tab, type_text
from window_desk import idnumber
from window_desk.actor import Actor
from window_desk.db.models import Inquiry
from window_desk.services import discovery
from window_desk.services.discovery import MemberIn
from window_desk.timeutil import today
from window_desk.ui.pages import discovery_models
from window_desk.uow import UnitOfWork


def nid(n: int) -> str:
    body = f"11010519480101{n:03d}"
    return body + idnumber.check_char(body)


def test_entering_a_months_visit_sheets_by_keys(db, clerk, tasks, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # two households a page: the third sheet's household arrives with the next page, fetched when needed
    monkeypatch.setattr(discovery_models, "PAGE_SIZE", 2)
    with UnitOfWork(db, Actor.cli()) as uow:
        helper = discovery.add_staff(uow, "assistant", "刘协理", village="青山村")
    ids = []
    for n, name in ((1, "王一"), (2, "李二"), (3, "赵三")):
        with UnitOfWork(db, Actor.cli()) as uow:
            ids.append(discovery.add_household(uow, "青山村", [MemberIn(name, nid(n))], "独居老人",
                                               since="2026-01-01", assistant_id=helper.id))
    win = open_window(db, clerk, tasks, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().objectName() == "visit_date", timeout=10000)
    day = today().isoformat()

    # first sheet: seen, living situation, a need found, raised as a lead
    type_text(qtbot, focus(), day)
    assert tab(qtbot).objectName() == "visit_visitor" and focus().text() == "刘协理"
    assert tab(qtbot).objectName() == "visit_seen"
    tab(qtbot)
    type_text(qtbot, focus(), "住房简陋")
    tab(qtbot)
    type_text(qtbot, focus(), "冬季取暖困难")
    tab(qtbot)
    type_text(qtbot, focus(), "上报窗口")
    assert tab(qtbot).objectName() == "visit_lead"
    key(qtbot, Qt.Key.Key_Space)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focus().objectName() == "visit_action"
    enter(qtbot)
    status = win.findChild(QLabel, "discovery_status")
    qtbot.waitUntil(lambda: "已登记首问" in status.text(), timeout=10000)
    qtbot.waitUntil(lambda: focus().objectName() == "visit_date", timeout=5000)
    assert "李二" in win.findChild(QLabel, "discovery_household").text()

    # second sheet: the person was not at home — Space clears 见到本人; the action says why
    type_text(qtbot, focus(), day)
    tab(qtbot, 2)
    key(qtbot, Qt.Key.Key_Space)
    tab(qtbot, 3)
    type_text(qtbot, focus(), "家中无人，三日内再访")
    enter(qtbot)
    qtbot.waitUntil(lambda: "李二" in status.text(), timeout=10000)

    # third sheet: a bad date is refused with the field named, nothing saved
    qtbot.waitUntil(lambda: "赵三" in win.findChild(QLabel, "discovery_household").text(), timeout=5000)
    type_text(qtbot, focus(), "2026-02-30")
    tab(qtbot, 3)
    type_text(qtbot, focus(), "尚可")
    enter(qtbot)
    qtbot.waitUntil(lambda: "走访日期" in status.text(), timeout=10000)

    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        states = {d.watch_household_id: d.state for d in discovery.due_visits(uow, today().year, today().month)}
        inquiries = [(i.channel, i.visitor_name) for i in uow.session.query(Inquiry)]
    assert states == {ids[0]: "done", ids[1]: "unseen", ids[2]: "pending"}
    model = win.current_page.due_model
    assert model.rowCount() == 3 and model.pages == 2 and not model.canFetchMore(QModelIndex())
    assert inquiries == [("active_discovery", "王一")]
