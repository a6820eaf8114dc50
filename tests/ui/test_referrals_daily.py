"""转介跟踪 and 每日台账 driven by real key events: a scanned QR text + Enter finds the slip and the receipt is
typed in; overdue referrals are red; a supervisor signs a day off; Enter on a case line opens it."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from tests.daily.conftest import DAY, clock, filled, people  # noqa: F401 - fixtures shared with tests/daily
from tests.daily.test_referrals import _issue_slip, _qr_text
from tests.ui.conftest import open_window
from tests.ui.keys import focus, tab, type_text
from window_desk.db.models import DailyReview, Referral
from window_desk.services import daily
from window_desk.uow import UnitOfWork

RED = QColor("#c62828")


def test_scanning_a_slip_and_typing_its_receipt(db, filled, clock, people, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    clerk = people["clerk"]
    issued = _issue_slip(db, clerk.actor(), 1)
    code = _qr_text(db, clerk.actor(), issued.id)
    clock.set(DAY + timedelta(days=3))
    win = open_window(db, clerk, tasks, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    assert page.page_id == "referrals"
    qtbot.waitUntil(lambda: page.model.rowCount() == 24, timeout=10_000)
    qtbot.waitUntil(lambda: page.departments.rowCount() == 7, timeout=10_000)
    assert page.scan.hasFocus()

    # The scanner types the code and Enter.
    type_text(qtbot, page.scan, code)
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.current is not None and page.current.id == 1, timeout=10_000)
    assert issued.number in page.found.text()
    assert focus() is page.signer
    type_text(qtbot, page.signer, "李医保")
    assert tab(qtbot) is page.received_on
    qtbot.keyClick(page.received_on, Qt.Key.Key_Down)  # one day back: signed on 4 November
    assert tab(qtbot) is page.result
    type_text(qtbot, page.result, "已纳入医疗救助")
    qtbot.keyClick(page.result, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "已保存" in page.message.text(), timeout=10_000)
    assert "已办结" in page.message.text()
    with UnitOfWork(db, clerk.actor(), write=False) as uow:
        r = uow.session.get(Referral, 1)
        assert (r.status, r.receipt_signer, r.result) == ("done", "李医保", "已纳入医疗救助")
        assert r.receipt_at.date().isoformat() == "2026-11-04"
    qtbot.waitUntil(lambda: page.model.rowCount() == 23, timeout=10_000)  # done: off the open list
    assert page.scan.hasFocus()

    # A code that does not match the issued slip is refused in place, nothing saved.
    type_text(qtbot, page.scan, code[:-1] + ("0" if code[-1] != "0" else "1"))
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不符" in page.message.text(), timeout=10_000)


def test_overdue_referrals_are_red_and_chased_by_department(db, filled, clock, people, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    clock.set(DAY + timedelta(days=16))  # Wednesday 18 November: two working days late
    win = open_window(db, people["clerk"], tasks, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 24, timeout=10_000)
    index = page.model.index(0, 7)
    assert "逾期2个工作日" in index.data()
    assert page.model.data(index, Qt.ItemDataRole.ForegroundRole) == RED
    # And painted red: the view asks through multiData (one call a cell), not data. (A row not selected:
    # the selection paints its text in the highlight colour.)
    selected = {i.row() for i in page.view.selectionModel().selectedRows()}
    late = next(r for r in range(page.model.rowCount()) if r not in selected
                and page.model.data(page.model.index(r, 7), Qt.ItemDataRole.ForegroundRole) == RED)
    page.view.scrollTo(page.model.index(late, 7))
    rect = page.view.visualRect(page.model.index(late, 7))
    image = page.view.viewport().grab().toImage()
    painted = {image.pixelColor(x, y).name() for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())}
    assert any(QColor(c).red() > 150 and QColor(c).green() < 110 and QColor(c).blue() < 110 for c in painted)
    qtbot.waitUntil(lambda: page.departments.rowCount() == 7, timeout=10_000)
    # Chasing one department: click its line in the per-department list.
    row = next(r for r in range(page.departments.rowCount()) if page.departments.item(r, 0).text() == "区残联")
    assert page.departments.item(row, 2).text() == "4"
    rect = page.departments.visualItemRect(page.departments.item(row, 0))
    qtbot.mouseClick(page.departments.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)
    assert {page.model.row_at(r).department for r in range(4)} == {"区残联"}

    # Enter on a line brings it to the receipt box; Ctrl+P reprints (here: first issues) its slip.
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.current is not None and page.current.department == "区残联", timeout=5_000)
    qtbot.keyClick(focus(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_preview is not None, timeout=20_000)
    assert "救转" in page.message.text()
    page.last_preview.close()


def test_a_supervisor_signs_the_day_off(db, filled, clock, people, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    clock.set(DAY, 18)
    win = open_window(db, people["supervisor"], tasks, qtbot)
    opened: list[int] = []
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    assert page.page_id == "daily_review"
    page.sig_open_case.connect(opened.append)
    qtbot.waitUntil(lambda: page.register is not None and page.tabs.count() == len(daily.PROVIDERS) + 1,
                    timeout=10_000)
    labels = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "受理个案（12）" in labels and "转介转出（24）" in labels
    assert "尚未签字" in page.state.text()
    assert page.day.hasFocus()

    # Enter on the first accepted case opens it.
    qtbot.keyClick(page.tabs.tabBar(), Qt.Key.Key_Right)  # 首问登记 → 受理个案
    view = page.views["accepted"]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [1]
    case_dialog = page.case_dialog
    qtbot.waitUntil(lambda: case_dialog.windowTitle().startswith("个案 示范镇-"), timeout=10_000)
    qtbot.keyClick(case_dialog, Qt.Key.Key_Escape)  # back to the day
    qtbot.waitUntil(lambda: not case_dialog.isVisible(), timeout=3000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened == [1, 2]
    second = page.case_dialog
    qtbot.waitUntil(lambda: second.windowTitle().startswith("个案 示范镇-"), timeout=10_000)
    qtbot.keyClick(second, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not second.isVisible(), timeout=3000)
    win.activateWindow()  # a window manager does this when the dialog closes; offscreen does not
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)

    page.comment.setFocus()
    type_text(qtbot, page.comment, "已逐件核对,同意。")
    qtbot.keyClick(page.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已签字确认" in page.state.text(), timeout=10_000)
    with UnitOfWork(db, people["supervisor"].actor(), write=False) as uow:
        review = uow.session.query(DailyReview).one()
        assert (review.day, review.supervisor, review.comment) == (DAY, "陈审核", "已逐件核对,同意。")
        assert f"第{review.audit_entry_id}条 {review.audit_hash}" in page.state.text()
    assert not page.sign_button.isEnabled() and page.comment.isReadOnly()

    # PageUp goes to the day before: not signed.
    page.day.setFocus()
    qtbot.keyClick(page.day, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: page.current_day() == DAY - timedelta(days=1) and "尚未签字" in page.state.text(),
                    timeout=10_000)


def test_a_clerk_sees_the_day_but_cannot_sign(db, filled, clock, people, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    win = open_window(db, people["clerk"], tasks, qtbot)
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = win.current_page
    qtbot.waitUntil(lambda: page.register is not None, timeout=10_000)
    assert not page.sign_button.isEnabled() and page.comment.isReadOnly()
    page.comment.setFocus()
    qtbot.keyClick(page.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with UnitOfWork(db, people["clerk"].actor(), write=False) as uow:
        assert uow.session.query(DailyReview).count() == 0
