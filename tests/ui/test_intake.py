"""The intake page as a clerk works it: type the household, F9, adjust with reasons, Ctrl+Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from tests.ui.keys import type_text
from window_desk.db.models import Assessment, Case, Draft, MeasureOverride
from window_desk.actor import Actor
from window_desk.services import assessment_store, drafts, settings
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

APPLICANT_ID = "110105198603150032"
CHILD_ID = "110105201003070017"


def _answer_boxes(monkeypatch, answers: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Message boxes are modal; record what they say and answer Yes/OK."""
    def record(kind: str):  # type: ignore[no-untyped-def]
        def box(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            answers.append(f"{kind}:{title}:{text}")
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok
        return box

    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    widget.selectAll()
    type_text(qtbot, widget, text)


def _open_intake(window, qtbot):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "intake"
    return page


def _fill_household(page, qtbot) -> None:  # type: ignore[no-untyped-def]
    form = page.form
    _type(qtbot, form.matter, "申请最低生活保障")
    _type(qtbot, form.address, "示范镇幸福路1号")
    editor = form.editor
    _type(qtbot, editor.name, "王䶮")
    _type(qtbot, editor.id_number, APPLICANT_ID)
    assert "男" in editor.id_info.text() and "40岁" in editor.id_info.text()
    editor.employed.setFocus()
    qtbot.keyClick(editor.employed, Qt.Key.Key_Space)
    _type(qtbot, editor.income["wage"], "600")
    qtbot.keyClick(form.editor.name, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # 添加成员(&A)
    # A button's shortcut animates the click (about 100 ms) before it fires.
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 2, timeout=2000)
    assert QApplication.focusWidget() is editor.name
    _type(qtbot, editor.name, "王小明")
    _type(qtbot, editor.id_number, CHILD_ID)
    editor.relation.set_code("child")
    editor.schooling.set_code("compulsory")
    editor.supporter.setFocus()
    qtbot.keyClick(editor.supporter, Qt.Key.Key_Space)
    # The minor signs through the applicant, filled in as the default guardian.
    assert editor.guardian.text() == "王䶮" and editor.guardian_relation.code() == "parent"
    # Both tick their signature by keyboard: Alt+S goes to the checklist, Space ticks, ↓ moves on.
    qtbot.keyClick(editor.supporter, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.signatures
    qtbot.keyClick(form.signatures, Qt.Key.Key_Space)
    qtbot.keyClick(form.signatures, Qt.Key.Key_Down)
    qtbot.keyClick(form.signatures, Qt.Key.Key_Space)
    assert [m["signed"] for m in form.payload["members"]] == [True, True]
    assert form.signatures.item(1).text() == "王小明：由监护人王䶮代签"


def test_clerk_accepts_a_household_by_keyboard(window, db, qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _fill_household(page, qtbot)
    table = page.form.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["王䶮", "王小明"]
    assert table.item(0, 4).text() == "600.00"

    qtbot.keyClick(page.form.editor.name, Qt.Key.Key_F9)
    assert answers == [], answers
    assert page.tabs.currentIndex() == 1
    panel = page.panel
    assert panel.tier.text().startswith("评估类别：低保")
    assert panel.figure_labels["household_size"].text() == "2"
    assert panel.figure_labels["per_capita_income"].text() == "171.00"  # (600 − min(600, 0.3 × 860)) ÷ 2
    assert panel.figure_labels["standard"].text().startswith("860.00")
    codes = [panel.table.item(r, 1).text() for r in range(panel.table.rowCount())]
    assert codes[0] == "最低生活保障"
    dibao_row = 0
    assert "区" not in panel.table.item(dibao_row, 4).text()  # dibao is the window's own, no department
    assert panel.table.item(dibao_row, 5).text()  # due date shown

    # Drop the education referral with a written reason typed into the dialog.
    edu_row = codes.index("教育救助")
    panel.table.setCurrentCell(edu_row, 0)

    problems: list[BaseException] = []

    def give_reason() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not shown yet
            QTimer.singleShot(20, give_reason)
            return
        try:
            assert dialog.windowTitle() == "取消救助措施"
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
            dialog.text.setFocus()
            type_text(qtbot, dialog.text, "已享受教育资助")
            assert dialog.reason() == "已享受教育资助"
            qtbot.keyClick(dialog.text, Qt.Key.Key_Tab)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            assert not dialog.isVisible(), (QApplication.focusWidget(), dialog.message.text())
        except BaseException as exc:  # never leave a modal dialog open: that hangs the suite
            problems.append(exc)
            dialog.reject()

    QTimer.singleShot(0, give_reason)
    panel.table.setFocus()
    panel.drop_button.click()  # what Alt+X does after its animation; exec() needs a direct call to drive the dialog
    assert problems == []
    assert [o["code"] for o in panel.overrides] == ["education"]
    assert panel.table.item(edu_row, 0).text() == "✗"
    assert "已享受教育资助" in panel.changes.item(0).text()

    window.activateWindow()  # a window manager does this when the dialog closes; offscreen does not
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.documents_dialog is not None, timeout=10_000)
    assert page.status.text() == f"已受理：个案编号 示范镇-{today().year}-00001"

    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        case = uow.session.scalars(select(Case)).one()
        assert case.tier == "dibao" and case.matter == "申请最低生活保障"
        assessment = uow.session.scalars(select(Assessment)).one()
        proposal = assessment_store.stored_result(assessment)
        assert "education" in [m["code"] for m in proposal["measures"]]  # the proposal, untouched
        override = uow.session.scalars(select(MeasureOverride)).one()
        assert (override.action, override.code, override.reason) == ("drop", "education", "已享受教育资助")
        assert uow.session.scalars(select(Draft)).first() is None
    # The papers to hand over open at once; Enter issues the acceptance notice and previews it.
    dialog = page.documents_dialog
    qtbot.waitUntil(lambda: dialog.printables.count() >= 3 or bool(answers), timeout=10_000)
    assert answers == [], answers
    titles = [dialog.printables.item(i).text() for i in range(dialog.printables.count())]
    # The dropped education referral gets no slip.
    assert titles == ["受理通知书", "家庭经济状况核对授权书", "社会救助申请书"]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    dialog.printables.setFocus()
    qtbot.keyClick(dialog.printables, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10_000)
    preview = dialog.last_preview
    assert preview.document.pageCount() >= 1
    assert preview.windowTitle() == f"预览 — 示范镇救受〔{today().year}〕0001号"
    qtbot.waitUntil(lambda: dialog.issued.rowCount() == 1, timeout=10_000)
    assert dialog.issued.item(0, 1).text() == f"示范镇救受〔{today().year}〕0001号"

    # Ctrl+P; in the print dialog the clerk picks "print to file (PDF)": the paper's own text PDF is written
    # on a worker, and the test waits on the job's signal, not on a clock.
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog

    out = tmp_path / "printed.pdf"

    def choose_file(print_dialog):  # type: ignore[no-untyped-def]
        print_dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_file)
    qtbot.waitUntil(preview.isVisible, timeout=2000)
    with qtbot.waitSignal(preview.sig_printed, timeout=5000) as printed:
        qtbot.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed.args[0].route == "file"
    assert out.read_bytes() == preview.pdf
    preview.close()
    dialog.close()

    # The page is ready for the next person in the queue.
    assert page.form.payload["members"][0]["name"] == ""
    assert page.tabs.currentIndex() == 0


def test_nothing_typed_is_lost_when_the_window_closes(window, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _answer_boxes(monkeypatch, [])
    page = _open_intake(window, qtbot)
    _type(qtbot, page.form.matter, "因病申请临时救助")
    _type(qtbot, page.form.editor.name, "朱𠈌")
    window.close()  # flushes the pending draft and waits for the save
    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        found = drafts.load(uow, "intake")
    assert found is not None
    assert found[0]["matter"] == "因病申请临时救助"
    assert found[0]["members"][0]["name"] == "朱𠈌"


def test_a_bad_id_number_stops_the_assessment_and_names_the_field(window, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)
    page = _open_intake(window, qtbot)
    _type(qtbot, page.form.matter, "申请低保")
    _type(qtbot, page.form.editor.name, "李四")
    _type(qtbot, page.form.editor.id_number, "110105198603150033")
    assert "校验" in page.form.editor.id_info.text()
    qtbot.keyClick(page.form.editor.name, Qt.Key.Key_F9)
    assert len(answers) == 1 and "第1位成员（李四）·身份证号" in answers[0]  # full-width on screen
    assert page.panel.result is None
    qtbot.keyClick(page.form.editor.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        assert uow.session.scalars(select(Case)).first() is None
