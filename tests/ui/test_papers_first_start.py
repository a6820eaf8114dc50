"""First start: the administrator and what the papers print, typed in one dialog, so printing works the same day."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_desk import _enter, _show, _tab, _type_into_focus
from window_desk.actor import Actor
from window_desk.services import documents, settings
from window_desk.uow import UnitOfWork


def test_first_start_asks_office_phone_contact_and_appeal_bodies(db, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.login import FirstAdminDialog

    dialog = FirstAdminDialog(db, tasks)
    _show(qtbot, dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username, timeout=2000)
    for value in ("chief", "李站长", "long-password", "long-password",
                  "城关镇", "城关镇人民政府", "0376-3123456", "刘受理", "某某县人民政府", "某某县人民法院"):
        _type_into_focus(qtbot, value)
        _tab(qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    _enter(qtbot)
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=10_000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        values = settings.get_all(uow)
        assert {k: values[k] for k in FirstAdminDialog.OFFICE_KEYS} == {
            "office_name": "城关镇", "office_full_name": "城关镇人民政府", "contact_phone": "0376-3123456",
            "contact_person": "刘受理", "review_body": "某某县人民政府", "court": "某某县人民法院"}
        assert documents.missing_settings(uow, documents.KINDS) == []


def test_first_start_names_an_emptied_appeal_body(db, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    from window_desk.ui.login import FirstAdminDialog

    dialog = FirstAdminDialog(db, tasks)
    _show(qtbot, dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username, timeout=2000)
    for value in ("chief", "李站长", "long-password", "long-password"):
        _type_into_focus(qtbot, value)
        _tab(qtbot)
    court = dialog.office["court"]
    court.setFocus()
    court.selectAll()
    qtbot.keyClick(court, Qt.Key.Key_Delete)
    _enter(qtbot)
    assert dialog.message.text() == "行政诉讼管辖法院：不能为空"
    assert QApplication.focusWidget() is court and dialog.created is None
