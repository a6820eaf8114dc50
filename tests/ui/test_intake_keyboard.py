"""A three-person household from Ctrl+2 to the printed 受理通知书 by real key events only, counted.

Every key event goes through ``Keys``: a key (with or without modifiers) counts 1, a typed ASCII string
counts one per character, and Chinese typed through the input method (tests/ui/keys.py) counts one
commit per field. Digits of ID numbers are counted apart (a card reader makes each ID one key).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from tests.ui.test_intake import _answer_boxes
from window_desk.actor import Actor
from window_desk.db.models import Case, Document, Member
from window_desk.services import settings
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
BUDGET = 120  # keystrokes, typed ID digits not counted (a card read is one key)


class Keys:
    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.count = 0
        self.id_digits = 0
        self.log: list[str] = []

    def _focus(self):  # type: ignore[no-untyped-def]
        widget = QApplication.focusWidget()
        assert widget is not None, f"nothing focused after {self.log[-3:]}"
        return widget

    def key(self, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self._focus(), k, modifier)
            self.count += 1
            self.log.append(f"{k.name}{'+' + str(modifier) if modifier else ''}")

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self._focus(), text)
        self.count += len(text)
        self.log.append(text)

    def type_id(self, digits: str) -> None:
        self.qtbot.keyClicks(self._focus(), digits)
        self.id_digits += len(digits)
        self.log.append("<ID>")

    def chinese(self, text: str) -> None:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(self._focus(), event)
        self.count += 1
        self.log.append(text)


def test_three_person_household_by_keyboard_within_budget(window, db, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    out = tmp_path / "notice.pdf"

    # The print dialog is the operating system's; Enter in it is one key. It prints to a PDF here.
    from window_desk.ui import preview as preview_module

    def print_dialog_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        keys.count += 1  # the Enter that confirms the print dialog
        keys.log.append("Return(print dialog)")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(preview_module.QPrintDialog, "exec", print_dialog_exec)
    answers: list[str] = []
    _answer_boxes(monkeypatch, answers)  # any message box at all fails the test below
    keys = Keys(qtbot)
    keys.key(Qt.Key.Key_2, CTRL)
    page = window.current_page
    form, editor = page.form, page.form.editor
    assert QApplication.focusWidget() is form.matter

    keys.chinese("申请最低生活保障")
    keys.key(Qt.Key.Key_Tab)
    keys.chinese("示范镇幸福路1号")
    keys.key(Qt.Key.Key_Tab)
    keys.type("13800000000")
    # Applicant: employed, wage 600.
    keys.key(Qt.Key.Key_N, ALT)
    assert QApplication.focusWidget() is editor.name
    keys.chinese("王䶮")
    keys.key(Qt.Key.Key_Tab)
    keys.type_id("110105198603150032")
    keys.key(Qt.Key.Key_E, ALT)
    keys.key(Qt.Key.Key_W, ALT)
    keys.type("600")
    # Spouse: no labour capacity, chronically ill.
    keys.key(Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 2, timeout=2000)
    keys.chinese("李芳")
    keys.key(Qt.Key.Key_Tab)
    keys.type_id("110105198808080023")
    keys.key(Qt.Key.Key_L, ALT)
    keys.key(Qt.Key.Key_Down, times=2)
    keys.key(Qt.Key.Key_H, ALT)
    keys.key(Qt.Key.Key_Down)
    # Child: at school; the applicant is filled in as the guardian.
    keys.key(Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 3, timeout=2000)
    keys.chinese("王小明")
    keys.key(Qt.Key.Key_Tab)
    keys.type_id("110105201003070017")
    keys.key(Qt.Key.Key_X, ALT)
    keys.key(Qt.Key.Key_Down, times=2)
    # Print the authorization letter before the decision, close the preview, tick the three signatures.
    keys.key(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(answers) or (page.last_preview is not None and page.last_preview.isVisible()),
                    timeout=10_000)
    assert answers == []
    letter = page.last_preview
    letter.activateWindow()
    qtbot.waitUntil(letter.isActiveWindow, timeout=2000)
    keys.key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not letter.isVisible(), timeout=2000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.signatures, timeout=2000)
    keys.key(Qt.Key.Key_Space)
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Space)
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Space)
    assert form.signatures.item(2).text() == "王小明：由监护人王䶮代签"
    assert answers == []

    members = form.payload["members"]
    assert [(m["name"], m["relation"]) for m in members] == [("王䶮", "self"), ("李芳", "spouse"), ("王小明", "child")]
    assert members[0]["employed"] and members[0]["income"]["wage"] == "600"
    assert (members[1]["labor_capacity"], members[1]["health"]) == ("none", "chronic")
    assert members[2]["schooling"] == "compulsory"
    assert members[2]["guardian"]["name"] == "王䶮" and members[2]["guardian"]["relation"] == "parent"
    assert [m["signed"] for m in members] == [True, True, True]
    assert form.payload["phone"] == "13800000000"

    keys.key(Qt.Key.Key_F9)
    assert page.tabs.currentIndex() == 1 and page.result is not None
    keys.key(Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: page.documents_dialog is not None, timeout=10_000)
    dialog = page.documents_dialog
    qtbot.waitUntil(lambda: dialog.printables.count() >= 3, timeout=10_000)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    assert QApplication.focusWidget() is dialog.printables and dialog.printables.currentItem().text() == "受理通知书"
    keys.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10_000)
    notice = dialog.last_preview
    notice.activateWindow()
    qtbot.waitUntil(notice.isActiveWindow, timeout=2000)
    keys.key(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: notice.printed_pages >= 1, timeout=20_000)
    assert out.stat().st_size > 10_000

    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        case = uow.session.scalars(select(Case)).one()
        assert case.status == "accepted" and case.unsigned_reason == ""
        assert len(uow.session.scalars(select(Member)).all()) == 3
        docs = {d.kind: d for d in uow.session.scalars(select(Document))}
        assert docs["authorization"].case_id == case.id  # printed before acceptance, then linked
        assert docs["acceptance_notice"].data["accepted_at"] == today().isoformat()
    notice.close()
    dialog.close()
    # The report quotes these figures (docs/performance.md).
    print(f"\nKEYSTROKES {keys.count} (+ {keys.id_digits} ID digits): {' '.join(keys.log)}")
    assert keys.count <= BUDGET, (keys.count, keys.log)
    # Ready for the next person: scrolled to the top, the cursor in 申请事项, a blank form.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert page.form.verticalScrollBar().value() == 0
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.matter, timeout=2000)
    assert form.payload["members"][0]["name"] == ""
