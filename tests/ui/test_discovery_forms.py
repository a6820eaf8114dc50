"""主动发现 page forms, by real key and click events: a household onto the roster (bad input refused with
the field named, nothing saved), a roster household's status (移出 needs a reason), an observation entry
reviewed or moved off, a spot-check result; and the roster fetched a page at a time as it is scrolled."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QPushButton, QTabWidget

from tests.ui.conftest import PASSWORD, open_window
from tests.ui.keys import enter, focus, key, tab, type_text
from window_desk import idnumber
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, Person, SpotCheckItem, WatchHousehold
from window_desk.services import discovery, users
from window_desk.services.discovery import MemberIn
from window_desk.timeutil import today
from window_desk.ui.pages import discovery_models
from window_desk.uow import UnitOfWork


def nid(n: int) -> str:
    body = f"11010519480101{n:03d}"
    return body + idnumber.check_char(body)


def _open(win: Any, qtbot: Any, tab_title: str) -> Any:
    qtbot.keyClick(win, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    assert page.page_id == "discovery"
    tabs = page.findChild(QTabWidget)
    bar = tabs.tabBar()
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == tab_title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
    return page


def _click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _click_row(qtbot: Any, view: Any, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _counts(db: Any) -> tuple[int, int, int]:
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        s = uow.session
        return s.query(WatchHousehold).count(), s.query(Person).count(), s.query(AuditEntry).count()


@pytest.fixture
def supervisor(db, admin) -> users.UserInfo:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, admin.actor()) as uow:
        return users.add_user(uow, "li", "supervisor", PASSWORD, "李审核")


def test_adding_a_household_by_keys_refuses_bad_input(db, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        discovery.add_staff(uow, "assistant", "刘协理", village="青山村")
    with UnitOfWork(db, Actor.cli()) as uow:
        discovery.add_household(uow, "青山村", [MemberIn("赵老", nid(9))], "重病", since="2026-01-01")
    win = open_window(db, clerk, tasks, qtbot)
    page = _open(win, qtbot, "重点人群花名册")
    form = page.add_form
    qtbot.waitUntil(lambda: page.roster_model.rowCount() == 1 and form.village.text() == "青山村", timeout=10000)
    before = _counts(db)
    bad = nid(1)[:-1] + ("0" if nid(1)[-1] != "0" else "1")

    # members a line each; the head's check digit is wrong
    _click(qtbot, form.members)
    type_text(qtbot, focus(), "王一 " + bad)
    key(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, focus(), "王二 " + nid(2) + " 子女")
    assert tab(qtbot) is form.reason
    type_text(qtbot, focus(), "独居老人")
    assert tab(qtbot) is form.assistant
    key(qtbot, Qt.Key.Key_Down)  # （未定） → 刘协理
    assert form.assistant.currentText().startswith("刘协理")
    assert tab(qtbot) is form.since
    type_text(qtbot, focus(), "2026-10-01")
    tab(qtbot)
    type_text(qtbot, focus(), "1组3号")
    enter(qtbot)
    qtbot.waitUntil(lambda: "成员1 身份证号码" in form.message.text(), timeout=10000)
    assert _counts(db) == before

    # an unknown relation is named by the form itself, before anything is sent
    _click(qtbot, form.members)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focus(), "王一 " + nid(1))
    key(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, focus(), "王二 " + nid(2) + " 表哥")
    _click(qtbot, form.address)
    enter(qtbot)
    assert form.message.text() == "成员2 与户主关系：未知的关系：表哥"

    # a member already watched in another household
    _click(qtbot, form.members)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focus(), "王一 " + nid(1))
    key(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, focus(), "赵老 " + nid(9) + " 父母")
    _click(qtbot, form.address)
    enter(qtbot)
    qtbot.waitUntil(lambda: "已在重点人群花名册中" in form.message.text(), timeout=10000)
    assert _counts(db) == before

    # corrected: saved, the roster shows it with its assistant, the form is ready for the next one
    _click(qtbot, form.members)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focus(), "王一 " + nid(1))
    key(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, focus(), "王二 " + nid(2) + " 子女")
    _click(qtbot, form.address)
    enter(qtbot)
    qtbot.waitUntil(lambda: page.roster_model.rowCount() == 2, timeout=10000)
    added = page.roster_model.row_at(1)
    assert form.message.text() == f"已登记第{added.id}户" and form.members.toPlainText() == ""
    assert (added.head_name, len(added.members), added.assistant_name, added.since.isoformat(), added.address) == (
        "王一", 2, "刘协理", "2026-10-01", "1组3号")

    # the reason is required
    _click(qtbot, form.members)
    type_text(qtbot, focus(), "钱三 " + nid(3))
    _click(qtbot, form.reason)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Delete)
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "纳入原因：必须填写", timeout=10000)
    assert _counts(db)[0] == 2


def test_changing_a_households_status_removed_needs_a_reason(db, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        hid = discovery.add_household(uow, "青山村", [MemberIn("王一", nid(1))], "独居老人", since="2026-01-01")
    win = open_window(db, clerk, tasks, qtbot)
    page = _open(win, qtbot, "重点人群花名册")
    form = page.status_form
    qtbot.waitUntil(lambda: page.roster_model.rowCount() == 1, timeout=10000)
    _click(qtbot, form.save)
    assert form.message.text() == "请先在花名册中选中一户"
    _click_row(qtbot, page.roster_table, 0)
    assert "王一" in form.which.text()
    _click(qtbot, form.reason)
    key(qtbot, Qt.Key.Key_Backtab)
    assert focus() is form.status
    key(qtbot, Qt.Key.Key_End)  # 已移出
    assert form.status.currentData() == "removed"
    tab(qtbot)
    assert focus() is form.reason
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "移出原因：必须填写", timeout=10000)
    type_text(qtbot, focus(), "已迁出本村")
    tab(qtbot)
    type_text(qtbot, focus(), "2026-13-01")
    enter(qtbot)
    qtbot.waitUntil(lambda: "日期：不是有效的日期" in form.message.text(), timeout=10000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert discovery.roster(uow, ids=[hid])[0].status == "watching"
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Delete)
    _click(qtbot, form.reason)
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "已改为已移出", timeout=10000)
    cell = page.roster_model.index(0, 7)
    assert page.roster_model.data(cell) == "已移出（已迁出本村）"
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        entry = discovery.roster(uow, ids=[hid])[0]
        assert (entry.status, entry.status_reason, entry.status_on) == ("removed", "已迁出本村", today())

    # back to 关注中 (no reason needed): watched again from today
    _click(qtbot, form.reason)
    key(qtbot, Qt.Key.Key_Backtab)
    key(qtbot, Qt.Key.Key_Home)
    assert form.status.currentData() == "watching"
    _click(qtbot, form.save)
    qtbot.waitUntil(lambda: form.message.text() == "已改为关注中", timeout=10000)
    assert page.roster_model.data(cell) == "关注中"


def _observed(db: Any, n: int = 1) -> list[int]:
    ids = []
    for i in range(1, n + 1):
        with UnitOfWork(db, Actor.cli()) as uow:
            discovery.add_household(uow, "青山村", [MemberIn(f"王{i}", nid(i))], "独居老人", since="2026-01-01")
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            pid = discovery.roster(uow, text=f"王{i}")[0].head_person_id
        with UnitOfWork(db, Actor.cli()) as uow:
            ids.append(discovery.place_on_observation(uow, pid, "人均收入略高于标准").id)
    return ids


def test_reviewing_an_observation_entry_by_keys(db, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    (entry_id,) = _observed(db)
    win = open_window(db, clerk, tasks, qtbot)
    page = _open(win, qtbot, "观察与监测")
    form = page.review_form
    qtbot.waitUntil(lambda: page.obs_model.rowCount() == 1, timeout=10000)
    assert not form.close_button.isEnabled()  # moving off the list is a supervisor's
    _click_row(qtbot, page.obs_table, 0)
    _click(qtbot, form.note)
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "复查情况：必须填写", timeout=10000)
    type_text(qtbot, focus(), "情况未变")
    tab(qtbot)
    type_text(qtbot, focus(), today().isoformat())  # must be after today
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "下次复查日期：应晚于本次复查日期", timeout=10000)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focus(), f"{today().year + 1}-01-15")
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text().startswith("已记录复查"), timeout=10000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        (info,) = discovery.observation_list(uow, ids=[entry_id])
    assert info.review_date.isoformat() == f"{today().year + 1}-01-15" and info.last_reviewed_on == today()
    qtbot.waitUntil(lambda: page.obs_model.rowCount() == 1
                    and page.obs_model.data(page.obs_model.index(0, 4)) == info.review_date.isoformat(), timeout=10000)


def test_a_supervisor_moves_an_entry_off_and_records_a_spot_check(db, supervisor, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = _observed(db, 2)
    with UnitOfWork(db, Actor.cli()) as uow:
        hid = discovery.roster(uow)[0].id
        discovery.record_visit(uow, hid, today(), "刘协理", True, living="尚可")
    win = open_window(db, supervisor, tasks, qtbot)
    page = _open(win, qtbot, "观察与监测")
    form = page.review_form
    qtbot.waitUntil(lambda: page.obs_model.rowCount() == 2, timeout=10000)
    _click_row(qtbot, page.obs_table, 1)
    _click(qtbot, form.close_reason)
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "移出理由：必须填写", timeout=10000)
    type_text(qtbot, focus(), "已纳入低保")
    enter(qtbot)
    qtbot.waitUntil(lambda: form.message.text() == "已移出观察名单", timeout=10000)
    qtbot.waitUntil(lambda: page.obs_model.rowCount() == 1, timeout=10000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert [o.id for o in discovery.observation_list(uow)] == [ids[0]]

    page = _open(win, qtbot, "季度抽查")
    spot = page.spot
    _click(qtbot, spot.seed)
    key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, focus(), "7")
    _click(qtbot, spot.findChild(QPushButton, "spot_draw"))
    qtbot.waitUntil(lambda: spot.table.rowCount() == 1, timeout=10000)  # the quarter's one visit
    _click(qtbot, spot.findChild(QPushButton, "spot_problem"))
    assert spot.message.text() == "请先选择一项抽查对象"
    _click_row(qtbot, spot.table, 0)
    _click(qtbot, spot.findChild(QPushButton, "spot_problem"))
    qtbot.waitUntil(lambda: spot.message.text() == "问题说明：必须填写", timeout=10000)
    _click(qtbot, spot.note)
    type_text(qtbot, focus(), "走访记录无被访人签字")
    _click(qtbot, spot.findChild(QPushButton, "spot_problem"))
    qtbot.waitUntil(lambda: spot.message.text() == "已记录抽查结果", timeout=10000)
    assert spot.table.item(0, 2).text() == "发现问题" and spot.table.item(0, 4).text() == "li"
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        item = uow.session.query(SpotCheckItem).one()
        assert (item.result, item.note, item.checked_by) == ("problem", "走访记录无被访人签字", "li")


def test_the_roster_is_fetched_a_page_at_a_time_as_it_scrolls(db, clerk, tasks, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(discovery_models, "PAGE_SIZE", 10)
    for i in range(1, 46):
        with UnitOfWork(db, Actor.cli()) as uow:
            discovery.add_household(uow, "青山村", [MemberIn(f"王{i}", nid(i))], "独居老人", since="2026-01-01")
    win = open_window(db, clerk, tasks, qtbot)
    page = _open(win, qtbot, "重点人群花名册")
    model, view = page.roster_model, page.roster_table
    qtbot.waitUntil(lambda: model.rowCount() >= 10 and not model.loading, timeout=10000)
    qtbot.wait(200)
    first = model.rowCount()
    assert first < 45 and model.canFetchMore(QModelIndex())  # only what the view needs
    _click_row(qtbot, view, 0)
    for _ in range(10):
        if model.rowCount() == 45:
            break
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not model.loading, timeout=10000)
    assert model.rowCount() == 45 and model.pages >= 5 and not model.canFetchMore(QModelIndex())
    assert [model.row_at(i).id for i in range(45)] == sorted(model.row_at(i).id for i in range(45))


def test_new_cases_reach_the_lists_in_the_background_a_page_at_a_time(db, clerk, tasks, qtbot,
                                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A register with more new cases than one sync step holds: the page shows its lists at once and
    the rest go on in steps on the worker, the status line saying so, until every case is on its list."""
    from datetime import date

    from sqlalchemy import func, select

    from window_desk.db.models import Case, ObservationEntry, Setting
    from window_desk.services import demo, discovery_sync

    demo.fill(db, Actor.cli(), 60, 20, 8, date(2026, 11, 20), "示范镇", others=False)
    monkeypatch.setattr(discovery_sync, "SYNC_PAGE", 10)
    steps: list[int] = []
    real_step = discovery_sync._page
    monkeypatch.setattr(discovery_sync, "_page", lambda uow, size: steps.append(1) or real_step(uow, size))
    win = open_window(db, clerk, tasks, qtbot)
    page = _open(win, qtbot, "观察与监测")
    qtbot.waitUntil(lambda: page.status.text() == "观察和监测名单已与个案台账同步", timeout=20000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        observed = uow.session.scalar(select(func.count()).select_from(ObservationEntry))
        top = uow.session.scalar(select(func.max(Case.id)))
        mark = uow.session.get(Setting, discovery_sync.MARK_KEY)
        assert mark is not None and int(mark.value) == top
    assert len(steps) >= 6  # 60 cases, 10 a step
    qtbot.waitUntil(lambda: page.obs_model.rowCount() == observed, timeout=10000)
    assert not tasks.unhandled
