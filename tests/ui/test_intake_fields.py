"""Fields that never change a value silently, errors that put the cursor on the field, decisions by key."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox
from sqlalchemy import select

from tests.ui.test_intake import APPLICANT_ID, _answer_boxes, _open_intake, _type
from tests.ui.keys import type_text
from window_desk.actor import Actor
from window_desk.db.models import Case, Document
from window_desk.services import settings
from window_desk.uow import UnitOfWork


def _wheel(widget) -> bool:  # type: ignore[no-untyped-def]
    """One notch down over ``widget``; True when the widget took the event. (A real, spontaneous wheel
    event the widget ignores goes on to its parents, so the page scrolls; Qt does not pass on a
    synthesised one, hence the return value.)"""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, widget.mapToGlobal(centre), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_money_fields_keep_what_was_typed_and_say_what_is_wrong(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _answer_boxes(monkeypatch, [])
    page = _open_intake(window, qtbot)
    wage = page.form.editor.income["wage"]
    for typed, why in (("-500", "不能为负数"), ("1,200", "千位分隔符"), ("12.345", "最多保留两位小数")):
        _type(qtbot, wage, typed)
        assert wage.text() == typed  # nothing dropped, nothing rounded
        assert page.form.editor.member["income"]["wage"] == typed
        notice = page.form.notice.text()
        assert notice.startswith("工资性收入：") and why in notice and typed in notice, notice
    # A paste arrives as one edit; it is kept and flagged the same way.
    QApplication.clipboard().setText("-300")
    wage.setFocus()
    wage.selectAll()
    qtbot.keyClick(wage, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert wage.text() == "-300" and "不能为负数" in wage.toolTip()
    _type(qtbot, wage, "1200.5")
    assert wage.error() is None and page.form.editor.member["income"]["wage"] == "1200.5"


def test_wheel_changes_a_combo_only_when_it_has_the_focus(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _answer_boxes(monkeypatch, [])
    page = _open_intake(window, qtbot)
    labor = page.form.editor.labor
    page.form.matter.setFocus()
    assert _wheel(labor) is False  # left for the page to scroll
    assert labor.code() == "full"
    bar = page.form.verticalScrollBar()
    assert bar.maximum() > 0 and _wheel(page.form.viewport()) and bar.value() > 0  # where it goes on to
    labor.setFocus()
    assert _wheel(labor) is True
    assert labor.code() == "partial"
    # Every drop-down, count and date of the form and of the assessment panel: the same.
    page.form.matter.setFocus()
    fields = [w for w in page.findChildren(QComboBox) + page.findChildren(QAbstractSpinBox) if w.isEnabled()]
    assert len(fields) >= 10
    for field in fields:
        before = field.currentIndex() if isinstance(field, QComboBox) else field.text()
        assert _wheel(field) is False, field.objectName()
        assert before == (field.currentIndex() if isinstance(field, QComboBox) else field.text()), field.objectName()


def test_tab_leaves_the_application_date(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _answer_boxes(monkeypatch, [])
    page = _open_intake(window, qtbot)
    date_field = page.form.application_date
    before = date_field.day()
    date_field.setFocus()
    qtbot.keyClick(date_field, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not date_field
    qtbot.keyClicks(QApplication.focusWidget(), "2")
    assert date_field.day() == before
    # The member table lets Tab go on too.
    page.form.table.setFocus()
    qtbot.keyClick(page.form.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.form.add_member_button


def test_all_errors_at_once_and_the_cursor_on_the_first(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _type(qtbot, page.form.editor.name, "李四")
    _type(qtbot, page.form.editor.id_number, APPLICANT_ID)
    _type(qtbot, page.form.editor.income["wage"], "-500")
    _type(qtbot, page.form.deposits, "1,200")
    qtbot.keyClick(page.form.deposits, Qt.Key.Key_F9)
    assert len(answers) == 1
    assert "3处" in answers[0] and "申请事项" in answers[0] and "工资性收入" in answers[0] and "存款" in answers[0]
    assert QApplication.focusWidget() is page.form.matter
    assert page.panel.result is None


def test_rejection_from_the_page_gives_its_notice(window, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _type(qtbot, page.form.matter, "申请最低生活保障")
    _type(qtbot, page.form.editor.name, "李四")
    _type(qtbot, page.form.editor.id_number, APPLICANT_ID)
    problems: list[BaseException] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        try:
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
            dialog.reasons_text.setFocus()
            type_text(qtbot, dialog.reasons_text, "户籍不在本镇")
            qtbot.keyClick(dialog.reasons_text, Qt.Key.Key_Tab)
            type_text(qtbot, QApplication.focusWidget(), "《社会救助暂行办法》第十一条")
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            assert not dialog.isVisible(), (dialog.message.text(), QApplication.focusWidget())
        except BaseException as exc:
            problems.append(exc)
            dialog.reject()

    QTimer.singleShot(0, fill)
    qtbot.keyClick(page.form.editor.id_number, Qt.Key.Key_F8)  # exec() runs inside; the timer above drives the dialog
    assert problems == [] and answers == []
    qtbot.waitUntil(lambda: page.documents_dialog is not None, timeout=10_000)
    dialog = page.documents_dialog
    qtbot.waitUntil(lambda: dialog.printables.count() >= 1, timeout=10_000)
    assert dialog.printables.item(0).text() == "不予受理告知书"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    dialog.printables.setFocus()
    qtbot.keyClick(dialog.printables, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10_000)
    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        case = uow.session.scalars(select(Case)).one()
        assert case.status == "rejected" and case.decision_basis == "《社会救助暂行办法》第十一条"
        assert uow.session.scalars(select(Document)).one().kind == "rejection_notice"
    dialog.last_preview.close()
    dialog.close()


def test_one_clock_in_china_time_whatever_the_pc_zone(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 2026-12-01 23:30 UTC it is already 12-02 in China: the form's default date says so."""
    from datetime import datetime, timezone

    from window_desk import timeutil

    moment = datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "now", lambda: moment.astimezone(timeutil.TZ))
    _answer_boxes(monkeypatch, [])
    page = _open_intake(window, qtbot)
    page.new_button.setFocus()
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)  # 新建受理 on a blank form asks nothing
    qtbot.waitUntil(lambda: page.form.application_day().isoformat() == "2026-12-02", timeout=2000)
    assert page.form.payload["application_date"] == "2026-12-02"
