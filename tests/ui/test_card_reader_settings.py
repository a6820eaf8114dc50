"""设置 › 身份证读卡器(本机): choose a listed port by keyboard, test it, save it for this PC."""

from __future__ import annotations

from PySide6.QtCore import Qt

from window_desk.actor import Actor
from window_desk.cardreader import serial_driver
from window_desk.cardreader.emulator import ReaderEmulator, sample_card
from window_desk.services import settings
from window_desk.uow import UnitOfWork


def _stored(db) -> str:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        return settings.get_card_reader_port(uow)


def test_choose_test_and_save_the_reader_port(window, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with ReaderEmulator(sample_card()) as reader:
        monkeypatch.setattr(serial_driver, "described_ports", lambda: [(reader.port, "模拟读卡器"), ("/dev/ttyS9", "")])
        qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
        page = window.current_page
        assert page.page_id == "settings"
        box = page.card_reader_box
        combo = box.port
        qtbot.waitUntil(lambda: combo.count() == 3, timeout=5000)
        assert combo.currentText() == "自动检测" and box.chosen_port() == ""
        assert combo.itemText(1) == f"{reader.port}（模拟读卡器）"

        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert box.chosen_port() == reader.port
        box.test_button.setFocus()
        qtbot.keyClick(box.test_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: "读卡器正常" in box.message.text(), timeout=5000)
        assert "李秀英" in box.message.text()
        assert _stored(db) == ""  # testing does not save

        box.save_button.setFocus()
        qtbot.keyClick(box.save_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: "已保存" in box.message.text(), timeout=5000)
        assert _stored(db) == reader.port

        reader.remove()
        box.test_button.setFocus()
        qtbot.keyClick(box.test_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: "请放卡" in box.message.text(), timeout=5000)

    # A port typed by hand (a vendor driver on Windows), then back to 自动检测.
    combo.setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "termb:1001")
    box.save_button.setFocus()
    qtbot.keyClick(box.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _stored(db) == "termb:1001", timeout=5000)
    combo.setFocus()
    for _ in range(3):  # to the top of the list
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert combo.currentText() == "自动检测"
    box.save_button.setFocus()
    qtbot.keyClick(box.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _stored(db) == "", timeout=5000)
