"""Issue 9's bullets checked once more on the running desk, by real key events: signatures or a written
reason before acceptance, pasted amounts, the cursor on the field an error names, dates not in the
future, 新建受理 back at the top, and the messages in full-width punctuation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from tests.ui.test_intake import APPLICANT_ID, CHILD_ID, _answer_boxes, _open_intake, _type
from tests.ui.keys import focus, type_text
from window_desk.actor import Actor
from window_desk.db.models import Case
from window_desk.punct import half_width_marks
from window_desk.services import case_documents, settings
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _applicant(page, qtbot, name: str = "李四") -> None:  # type: ignore[no-untyped-def]
    _type(qtbot, page.form.matter, "申请最低生活保障")
    _type(qtbot, page.form.editor.name, name)
    _type(qtbot, page.form.editor.id_number, APPLICANT_ID)


def test_unsigned_members_stop_acceptance_until_a_reason_is_written(window, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _applicant(page, qtbot)
    qtbot.keyClick(focus(), Qt.Key.Key_F9)
    assert answers == [] and page.result is not None
    qtbot.keyClick(focus(), Qt.Key.Key_Return, CTRL)
    assert len(answers) == 1 and "李四" in answers[0] and "签字" in answers[0], answers
    assert half_width_marks(answers[0].split(":", 2)[2]) == [], answers[0]  # shown in full-width punctuation
    assert QApplication.focusWidget() is page.form.signatures and page.tabs.currentIndex() == 0
    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        assert uow.session.scalars(select(Case)).first() is None  # nothing half-saved
    # Tab to 未签字原因, write why, accept.
    qtbot.keyClick(page.form.signatures, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.form.unsigned_reason
    type_text(qtbot, page.form.unsigned_reason, "申请人右手受伤，由其本人口头确认")
    qtbot.keyClick(page.form.unsigned_reason, Qt.Key.Key_F9)
    qtbot.keyClick(focus(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: page.documents_dialog is not None, timeout=10_000)
    assert len(answers) == 1, answers
    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        case = uow.session.scalars(select(Case)).one()
        assert case.unsigned_reason == "申请人右手受伤，由其本人口头确认"
        application = case_documents.data_for(uow, case.id, "application")
        assert "申请人右手受伤，由其本人口头确认" in application["reason"]  # printed on the application
    page.documents_dialog.close()


def test_pasted_amounts_are_kept_as_pasted_and_named(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _applicant(page, qtbot)
    deposits = page.form.deposits
    for pasted, why in (("1,200", "千位分隔符"), ("12.345", "最多保留两位小数"), ("-500", "不能为负数")):
        QApplication.clipboard().setText(pasted)
        deposits.setFocus()
        qtbot.keyClick(deposits, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(deposits, Qt.Key.Key_V, CTRL)
        assert deposits.text() == pasted and page.form.payload["assets"]["deposits"] == pasted
        notice = page.form.notice.text()
        assert notice.startswith("存款及有价证券：") and why in notice and pasted in notice, notice
    # F9 refuses, names the field and puts the cursor in it.
    qtbot.keyClick(deposits, Qt.Key.Key_F9)
    assert len(answers) == 1 and "存款" in answers[0] and page.result is None
    assert QApplication.focusWidget() is deposits
    assert deposits.text() == "-500"  # still what was pasted


def test_the_cursor_goes_to_the_member_field_an_error_names(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    form, editor = page.form, page.form.editor
    _applicant(page, qtbot, "王䶮")
    qtbot.keyClick(editor.name, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 2, timeout=2000)
    type_text(qtbot, editor.name, "王小明")
    qtbot.keyClick(editor.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor.id_number, CHILD_ID[:-1] + "9")  # a wrong check character
    # Back to the applicant, then F9 from there.
    form.table.setFocus()
    qtbot.keyClick(form.table, Qt.Key.Key_Up)
    assert editor.name.text() == "王䶮"
    qtbot.keyClick(form.table, Qt.Key.Key_F9)
    assert len(answers) == 1 and "第2位成员" in answers[0] and "身份证号" in answers[0], answers
    assert QApplication.focusWidget() is editor.id_number
    assert editor.name.text() == "王小明" and form.table.currentRow() == 1
    assert editor.id_number.selectedText() == CHILD_ID[:-1] + "9"  # selected, ready to be typed over


def test_a_future_application_date_is_refused(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _applicant(page, qtbot)
    date_field = page.form.application_date
    next_year = today().year + 1
    page.form.area.setFocus()
    qtbot.keyClick(page.form.area, Qt.Key.Key_Tab)  # into 申请日期, its year selected
    assert QApplication.focusWidget() is date_field
    qtbot.keyClicks(date_field, str(next_year))  # the year section, typed over
    assert date_field.day().year == next_year and page.form.payload["application_date"].startswith(str(next_year))
    qtbot.keyClick(date_field, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not date_field
    qtbot.keyClick(focus(), Qt.Key.Key_F9)
    assert len(answers) == 1 and "申请日期" in answers[0] and "不能晚于今天" in answers[0], answers
    assert QApplication.focusWidget() is date_field and page.result is None
    # Back to this year: F9 assesses. (The focus came back from the message box; select the year again.)
    qtbot.keyClick(date_field, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClicks(date_field, str(today().year))
    assert date_field.day() <= today()
    qtbot.keyClick(date_field, Qt.Key.Key_F9)
    assert len(answers) == 1 and page.result is not None


def test_new_intake_starts_at_the_top_with_the_cursor_in_the_matter(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _applicant(page, qtbot)
    qtbot.keyClick(focus(), Qt.Key.Key_S, ALT)  # 签字核对, further down: the form scrolls
    assert QApplication.focusWidget() is page.form.signatures
    qtbot.waitUntil(lambda: page.form.verticalScrollBar().value() > 0, timeout=2000)
    page.new_button.setFocus()  # Tab reaches it; the buttons under the form take no click focus
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)
    assert len(answers) == 1 and answers[0].startswith("question:新建受理"), answers
    qtbot.waitUntil(lambda: page.form.payload["members"][0]["name"] == "", timeout=2000)
    assert page.form.verticalScrollBar().value() == 0
    assert QApplication.focusWidget() is page.form.matter


def test_an_adult_without_capacity_signs_through_a_guardian(window, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Alt+K marks the member being edited as lacking civil capacity: the guardian's fields open, the
    applicant is filled in, the checklist and the authorization letter name the guardian."""
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    form, editor = page.form, page.form.editor
    _applicant(page, qtbot, "王䶮")
    qtbot.keyClick(editor.id_number, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 2, timeout=2000)
    type_text(qtbot, editor.name, "李芳")
    qtbot.keyClick(editor.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor.id_number, "110105198808080023")
    assert editor.relation.code() == "spouse" and not editor.guardian.isEnabled()
    assert form.signatures.item(1).text() == "李芳：本人签字"
    qtbot.keyClick(editor.id_number, Qt.Key.Key_K, ALT)
    qtbot.waitUntil(editor.lacks_capacity.isChecked, timeout=2000)  # a mnemonic animates the click
    assert QApplication.focusWidget() is editor.lacks_capacity
    assert editor.guardian.isEnabled() and editor.guardian.text() == "王䶮"
    assert editor.guardian_relation.code() == "spouse" and editor.guardian_id.text() == APPLICANT_ID
    assert form.signatures.item(1).text() == "李芳：由监护人王䶮代签"
    qtbot.keyClick(editor.lacks_capacity, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(answers) or page.last_preview is not None, timeout=10_000)
    assert answers == []
    from tests.ui.test_intake_card_keyboard import _text

    letter = _text(page.last_preview.pdf)
    assert f"监护人：王䶮（配偶）公民身份号码：{APPLICANT_ID}代为签名" in letter
    page.last_preview.close()
    # Unticked again (Space on the box): she signs herself, the guardian's fields close.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    editor.lacks_capacity.setFocus()
    qtbot.keyClick(editor.lacks_capacity, Qt.Key.Key_Space)
    assert not editor.lacks_capacity.isChecked() and not editor.guardian.isEnabled()
    assert form.signatures.item(1).text() == "李芳：本人签字"
