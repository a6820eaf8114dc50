"""先行救助 at the window by keyboard; a supervisor approves from the 备用金 page with their password."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from tests.ui.conftest import PASSWORD, open_window
from tests.ui.keys import type_text
from window_desk.actor import Actor
from window_desk.db.models import Prepayment, ReserveEntry
from window_desk.services import intake, reserve, users
from window_desk.services.policy_store import active_policy
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork


def _supervisor(db, admin):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, admin.actor()) as uow:
        return users.add_user(uow, "chen", "supervisor", PASSWORD, "陈卫东")


def _fire_case(db, actor, size: int = 1) -> int:  # type: ignore[no-untyped-def]
    p = intake.blank_payload(today())
    p["matter"] = "因火灾申请临时救助"
    p["area"] = "rural"
    p["events"] = ["fire"]
    p["members"] = []
    for i in range(size):
        m = intake.blank_member(["self", "child"][i])
        m.update(name=["周𣲗", "周小明"][i], id_number=["110105198603150032", "110105201003070017"][i], signed=True)
        p["members"].append(m)
    intake.default_guardians(p)  # the applicant signs for a minor child
    with UnitOfWork(db, actor) as uow:
        return intake.submit_case(uow, p, active_policy(uow), "示范镇").case_id


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _open_dialog(window, case_id, qtbot):  # type: ignore[no-untyped-def]
    from window_desk.ui.prepay_dialog import open_prepay_dialog

    dialog = open_prepay_dialog(window.ctx, window, case_id=case_id)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5000)
    return dialog


def test_clerk_pays_a_prepayment_by_keyboard_and_gets_the_voucher(window, db, admin, qtbot) -> None:  # type: ignore[no-untyped-def]
    supervisor = _supervisor(db, admin)
    with UnitOfWork(db, supervisor.actor()) as uow:
        reserve.allocate(uow, "6000", "区民政局拨付备用金")
    case_id = _fire_case(db, window.ctx.actor)
    dialog = _open_dialog(window, case_id, qtbot)
    assert dialog.amount.text() == "1890.00"  # 3 × 630 × 1, below the cap
    assert dialog.cause.currentText() == "火灾"
    assert "上限3000.00元" in dialog.rules.text() and "余额6000.00元" in dialog.rules.text()
    assert QApplication.focusWidget() is dialog.reason
    type_text(qtbot, dialog.reason, "家中突发火灾，基本生活陷入困境")
    dialog.amount.setFocus()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.amount, "1500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10000)
    info = dialog.result.prepayment
    assert info.status == "paid" and info.amount == Decimal("1500.00") and info.reason == "家中突发火灾，基本生活陷入困境"
    assert not dialog.isVisible()
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert reserve.balance(uow) == Decimal("4500.00")
    preview = next(w for w in QApplication.topLevelWidgets()
                   if w.isVisible() and w.windowTitle() == f"预览 — {info.voucher_number}")
    assert preview.document.pageCount() == 1
    preview.close()


def test_over_the_cap_is_refused_in_the_dialog_naming_the_field(window, db, admin, qtbot) -> None:  # type: ignore[no-untyped-def]
    supervisor = _supervisor(db, admin)
    with UnitOfWork(db, supervisor.actor()) as uow:
        reserve.allocate(uow, "6000", "区民政局拨付备用金")
    case_id = _fire_case(db, window.ctx.actor)
    dialog = _open_dialog(window, case_id, qtbot)
    type_text(qtbot, dialog.reason, "家中突发火灾")
    dialog.amount.setFocus()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.amount, "3500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "先行救助金额" in dialog.message.text(), timeout=5000)
    assert "上限3000.00元" in dialog.message.text()
    assert dialog.isVisible() and dialog.result is None and dialog.ok_button.isEnabled()
    assert _count(db, Prepayment) == 0 and _count(db, ReserveEntry) == 1
    dialog.reject()


def test_f8_on_intake_without_an_accepted_case_says_so(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, title, text, *a, **k: said.append(text)))
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "intake"
    page.form.editor.name.setFocus()
    qtbot.keyClick(page.form.editor.name, Qt.Key.Key_F6)
    assert said and "请先确认受理" in said[0]


def test_supervisor_sees_waiting_approvals_on_login_and_approves_with_password(db, admin, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.pages.reserve import show_pending_on_login

    supervisor = _supervisor(db, admin)
    with UnitOfWork(db, supervisor.actor()) as uow:
        reserve.allocate(uow, "6000", "区民政局拨付备用金")
    case_id = _fire_case(db, clerk.actor(), size=2)  # 3 × 630 × 2 = 3780 → capped at 3000
    with UnitOfWork(db, clerk.actor()) as uow:
        waiting = reserve.record_prepayment(uow, amount="2800", cause="fire", reason="家中突发火灾",
                                            case_id=case_id).prepayment
    assert waiting.status == "pending"

    win = open_window(db, supervisor, tasks, qtbot)
    show_pending_on_login(win)
    qtbot.waitUntil(lambda: win.current_page.page_id == "reserve", timeout=5000)
    page = win.current_page
    qtbot.waitUntil(lambda: page.pending.rowCount() == 1, timeout=5000)
    assert "有 1 笔先行救助待审批" in page.notice.text()
    assert page.pending.item(0, 4).text() == "2800.00"
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    dialog = page.approval_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    # A wrong password first: refused in the dialog, nothing paid.
    qtbot.keyClicks(dialog.password, "not-my-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "审批人密码" in dialog.message.text() and dialog.isVisible(), timeout=5000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert reserve.get(uow, waiting.id).status == "pending"
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.note.setFocus()
    type_text(qtbot, dialog.note, "情况属实，同意")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.pending.rowCount() == 0, timeout=10000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        done = reserve.get(uow, waiting.id)
        assert done.status == "paid" and done.approver_name == "陈卫东" and reserve.balance(uow) == Decimal("3200.00")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    assert page.model.index(0, 3).data() == "2800.00" and page.model.index(0, 4).data() == "3200.00"
    assert page.last_preview is not None
    page.last_preview.close()
