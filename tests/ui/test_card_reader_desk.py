"""F2 on the 受理 page reads the card from the reader emulator (the real serial driver, off the GUI thread)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from window_desk.actor import Actor
from window_desk.cardreader.emulator import ReaderEmulator, sample_card
from window_desk.services import settings
from window_desk.uow import UnitOfWork

SECOND = sample_card(name="王小明", sex="男", id_number="440524198001010013", birth_date=date(1980, 1, 1),
                     valid_from=date(2010, 5, 1), valid_to=date(2020, 5, 1), photo=b"\x01" * 1024)


@pytest.fixture
def reader(db) -> Iterator[ReaderEmulator]:  # type: ignore[no-untyped-def]
    with ReaderEmulator() as emulator:
        with UnitOfWork(db, Actor.cli()) as uow:
            settings.set_card_reader_port(uow, emulator.port)
        yield emulator


def _open_intake(window, qtbot):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "intake"
    return page


def _f2(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_F2)


def test_f2_reads_cards_into_members(reader, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _open_intake(window, qtbot)
    form, editor = page.form, page.form.editor
    editor.name.setFocus()
    card = sample_card()
    reader.place(card)
    _f2(qtbot)
    qtbot.waitUntil(lambda: editor.name.text() == "李秀英", timeout=5000)
    assert editor.id_number.text() == "11010519491231002X"
    assert "女" in editor.id_info.text()
    applicant = form.payload["members"][0]
    assert applicant["name"] == "李秀英" and base64.b64decode(applicant["photo"]) == card.photo
    assert "已读入第1位成员" in page.card_status.text()
    assert form.table.item(0, 0).text() == "李秀英"

    # The current member has another number: the next card becomes a new member.
    reader.place(SECOND)
    _f2(qtbot)
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 2 and editor.name.text() == "王小明", timeout=5000)
    assert form.payload["members"][0]["name"] == "李秀英"
    assert form.payload["members"][1]["id_number"] == "440524198001010013"
    assert "已过有效期" in page.card_status.text()  # flagged, not silently accepted
    assert [form.table.item(r, 0).text() for r in range(form.table.rowCount())] == ["李秀英", "王小明"]

    # No card on the reader: 请放卡 in the page's message line, nothing changes.
    reader.remove()
    _f2(qtbot)
    qtbot.waitUntil(lambda: "请放卡" in page.card_status.text(), timeout=5000)
    assert len(form.payload["members"]) == 2 and editor.name.text() == "王小明"


def test_f2_refused_card_and_unplugged_reader(reader, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _open_intake(window, qtbot)
    editor = page.form.editor
    editor.name.setFocus()
    reader.place(sample_card(), raw_id_number="110105194912310021")
    _f2(qtbot)
    qtbot.waitUntil(lambda: "校验失败" in page.card_status.text(), timeout=5000)
    assert editor.name.text() == "" and editor.id_number.text() == ""
    reader.close()
    _f2(qtbot)
    qtbot.waitUntil(lambda: "读卡器未连接" in page.card_status.text(), timeout=5000)
    # The clerk can always type instead.
    editor.name.setFocus()
    qtbot.keyClicks(editor.id_number, "11010519491231002X")
    assert page.form.payload["members"][0]["id_number"] == "11010519491231002X"


def test_f2_garbled_answer_and_a_card_into_the_member_being_edited(reader, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _open_intake(window, qtbot)
    form, editor = page.form, page.form.editor
    editor.name.setFocus()
    reader.place(sample_card())
    reader.mode = "garbage"
    _f2(qtbot)
    qtbot.waitUntil(lambda: not page.card_reading.busy and "读卡失败" in page.card_status.text(), timeout=10_000)
    assert editor.name.text() == "" and form.payload["members"][0]["id_number"] == ""
    # The reader answers again; the clerk has typed a second member's name, then reads that member's card:
    # it goes into the member being edited (it has no number yet), not into a new one.
    reader.mode = "normal"
    qtbot.keyClick(editor.name, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(form.payload["members"]) == 2, timeout=2000)
    reader.place(SECOND)
    _f2(qtbot)
    qtbot.waitUntil(lambda: editor.id_number.text() == SECOND.id_number, timeout=5000)
    assert len(form.payload["members"]) == 2 and form.table.currentRow() == 1
    assert form.payload["members"][1]["name"] == "王小明" and form.payload["members"][1]["card"]["nation"] == "汉"
    assert "已读入第2位成员" in page.card_status.text()
    # Reading the same card again finds the member who has it: nothing is added.
    _f2(qtbot)
    qtbot.waitUntil(lambda: not page.card_reading.busy and "已读入第2位成员" in page.card_status.text(), timeout=5000)
    assert len(form.payload["members"]) == 2
