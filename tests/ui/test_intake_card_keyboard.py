"""A three-person household with ID cards, from Ctrl+2 to the printed 受理通知书, by real key events only.

The reader is the emulator (window_desk.cardreader.emulator) on a pseudo-terminal, set as this PC's
reader port in 设置, and the desk reads it with the real serial driver off the GUI thread — the way
tests/ui/test_card_reader_desk.py does. The clerk lays each member's card on the reader and presses F2.

How keystrokes are counted (the same rules as tests/ui/test_intake_keyboard.py; every key event goes
through ``Keys``):

- a key, with or without modifiers, counts 1: Ctrl+2, Alt+E, Tab, ↓, Space, Esc, F2, F4, F9, Ctrl+Enter, Ctrl+P;
- a typed ASCII string counts one per character (the phone number 11, the wage 3);
- Chinese typed through the input method counts one commit per field (tests/ui/keys.py);
- a card read is one key, F2; laying the card on the reader is not a key;
- the Enter that confirms the operating system's print dialog counts 1 (the dialog is stubbed to print to
  a PDF file, so the test adds that key itself);
- nothing else is sent: no mouse event, no slot called, no widget value set; waiting for a worker is not a key.

No ID number is typed at all (``Keys.id_digits`` stays 0): the three numbers, names, sexes, birth dates,
nations and the household address all come off the cards. Then the papers are read back: the authorization
letter and the 受理通知书 carry the names and full numbers from the cards (formal papers, forms.md), the
day's register (a list) the masked number; the photo blocks are kept with the persons.
"""

from __future__ import annotations

import base64
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from tests.forms.pdf_tools import need
from tests.ui.test_intake import _answer_boxes
from tests.ui.test_intake_keyboard import ALT, BUDGET, CTRL, Keys
from window_desk import idnumber
from window_desk.actor import Actor
from window_desk.cardreader.card import CardData
from window_desk.cardreader.emulator import ReaderEmulator, sample_card
from window_desk.db.models import Case, Document, Member, Person, PersonPhoto
from window_desk.services import register_export, settings
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork

ADDRESS = "北京市朝阳区示范街道幸福路1号"
CARDS = (
    sample_card(name="王䶮", sex="男", id_number="110105198603150032", birth_date=date(1986, 3, 15),
                address=ADDRESS, photo=bytes([1, 2, 3, 4]) * 256),
    sample_card(name="李芳", sex="女", nation="回", id_number="110105198808080023", birth_date=date(1988, 8, 8),
                address=ADDRESS, photo=bytes([5, 6, 7, 8]) * 256),
    sample_card(name="王小明", sex="男", id_number="110105201003070017", birth_date=date(2010, 3, 7),
                address=ADDRESS, valid_to=date(2030, 3, 7), photo=bytes([9, 10, 11, 12]) * 256),
)


@pytest.fixture
def reader(db) -> Iterator[ReaderEmulator]:  # type: ignore[no-untyped-def]
    with ReaderEmulator() as emulator:
        with UnitOfWork(db, Actor.cli()) as uow:
            settings.set_card_reader_port(uow, emulator.port)
        yield emulator


def _text(pdf: bytes) -> str:
    """The printed text with all whitespace removed (layout spacing is not content)."""
    out = subprocess.run([need("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode("utf-8"))


def _read(keys: Keys, reader: ReaderEmulator, page, card: CardData, members: int) -> None:  # type: ignore[no-untyped-def]
    """Lay ``card`` on the reader and press F2 (one key); wait for the worker to put it in."""
    reader.place(card)
    keys.key(Qt.Key.Key_F2)
    form = page.form
    keys.qtbot.waitUntil(lambda: not page.card_reading.busy and len(form.payload["members"]) == members
                         and form.editor.name.text() == card.name, timeout=5000)
    assert page.card_status.text().startswith(f"已读入第{members}位成员"), page.card_status.text()
    # Focus is where the clerk goes on: the relation, right below the number.
    assert QApplication.focusWidget() is form.editor.relation


def test_three_person_household_with_cards_within_budget(reader, window, db, qtbot, monkeypatch,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    out = tmp_path / "notice.pdf"
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
    keys.key(Qt.Key.Key_Tab)  # 家庭住址: left empty, the applicant's card fills it
    keys.key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.phone
    keys.type("13800000000")
    # Applicant: card, employed, wage 600.
    _read(keys, reader, page, CARDS[0], 1)
    assert form.address.text() == ADDRESS and "家庭住址取自证件" in page.card_status.text()
    assert "汉族" in editor.card_info.text() and "1986-03-15" in editor.card_info.text()
    keys.key(Qt.Key.Key_E, ALT)
    qtbot.waitUntil(editor.employed.isChecked, timeout=2000)  # a mnemonic animates the click (~100 ms)
    keys.key(Qt.Key.Key_W, ALT)
    keys.type("600")
    # Spouse: the applicant has another number, so F2 adds a member; no labour capacity, chronically ill.
    _read(keys, reader, page, CARDS[1], 2)
    assert editor.relation.code() == "spouse" and "回族" in editor.card_info.text()
    keys.key(Qt.Key.Key_L, ALT)
    keys.key(Qt.Key.Key_Down, times=2)
    keys.key(Qt.Key.Key_H, ALT)
    keys.key(Qt.Key.Key_Down)
    # Child at school: a minor, so the applicant is filled in as the guardian the moment the card is in.
    _read(keys, reader, page, CARDS[2], 3)
    assert editor.relation.code() == "child"
    assert editor.guardian.text() == "王䶮" and editor.guardian_relation.code() == "parent"
    keys.key(Qt.Key.Key_X, ALT)
    keys.key(Qt.Key.Key_Down, times=2)
    # Print the authorization letter before the decision, close the preview, tick the three signatures.
    keys.key(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(answers) or (page.last_preview is not None and page.last_preview.isVisible()),
                    timeout=10_000)
    assert answers == []
    letter = page.last_preview
    letter_text = _text(letter.pdf)
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
    assert [m["id_number"] for m in members] == [c.id_number for c in CARDS]
    assert [(m["card"]["sex"], m["card"]["nation"], m["card"]["birth_date"]) for m in members] == [
        ("男", "汉", "1986-03-15"), ("女", "回", "1988-08-08"), ("男", "汉", "2010-03-07")]
    assert [base64.b64decode(m["photo"]) for m in members] == [c.photo for c in CARDS]
    assert members[0]["employed"] and members[0]["income"]["wage"] == "600"
    assert (members[1]["labor_capacity"], members[1]["health"]) == ("none", "chronic")
    assert members[2]["schooling"] == "compulsory"
    assert [m["signed"] for m in members] == [True, True, True]
    assert form.payload["phone"] == "13800000000" and form.payload["address"] == ADDRESS
    assert form.verticalScrollBar().value() > 0  # the signatures are further down: 确认受理 must scroll back

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
    notice_text = _text(notice.pdf)
    notice.activateWindow()
    qtbot.waitUntil(notice.isActiveWindow, timeout=2000)
    keys.key(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: notice.printed_pages >= 1, timeout=20_000)
    assert out.stat().st_size > 10_000

    # The papers carry what the cards said (in failure messages only masked numbers are shown).
    for card in CARDS:
        assert card.name in letter_text, card.name
        assert card.id_number in letter_text, idnumber.mask(card.id_number)
    # The child's guardian with relation and number, not a bare name (issue 9: "监护人:张建国(监护人)").
    assert f"监护人：王䶮（父母）公民身份号码：{CARDS[0].id_number}代为签名" in letter_text, "guardian line"
    assert CARDS[0].name in notice_text, "受理通知书 lacks the applicant's name"
    assert CARDS[0].id_number in notice_text, idnumber.mask(CARDS[0].id_number)

    with UnitOfWork(db, window.ctx.actor, write=False) as uow:
        case = uow.session.scalars(select(Case)).one()
        assert case.status == "accepted" and case.unsigned_reason == ""
        assert len(uow.session.scalars(select(Member)).all()) == 3
        persons = {p.id_number: p for p in uow.session.scalars(select(Person))}
        photos = {r.person_id: r.photo for r in uow.session.scalars(select(PersonPhoto))}
        for card in CARDS:
            person = persons[card.id_number]
            assert (person.name, person.sex, person.birth_date) == (card.name, card.sex, card.birth_date)
            assert photos[person.id] == card.photo, f"photo of person {person.id} not kept"
        docs = {d.kind: d for d in uow.session.scalars(select(Document))}
        assert docs["authorization"].case_id == case.id  # printed before acceptance, then linked
        assert [m["name"] for m in docs["authorization"].data["members"]] == [c.name for c in CARDS]
        assert docs["acceptance_notice"].data["applicant"]["id_number"] == CARDS[0].id_number
        assert docs["acceptance_notice"].data["accepted_at"] == today().isoformat()
        # The day's register (台账), a list, prints the applicant from the card with the number masked.
        register_text = _text(register_export.render_day(uow, today(), "pdf")[0])
    assert CARDS[0].name in register_text and idnumber.mask(CARDS[0].id_number) in register_text
    assert CARDS[0].id_number not in register_text, "the register prints a full ID number"
    notice.close()
    dialog.close()
    # The report quotes these figures (docs/performance.md).
    print(f"\nKEYSTROKES WITH CARDS {keys.count} (+ {keys.id_digits} ID digits): {' '.join(keys.log)}")
    assert keys.id_digits == 0
    assert keys.count <= BUDGET, (keys.count, keys.log)
    # Ready for the next person: scrolled to the top, the cursor in 申请事项, a blank form.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    assert page.form.verticalScrollBar().value() == 0
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.matter, timeout=2000)
    assert form.payload["members"][0]["name"] == "" and form.payload["address"] == ""
