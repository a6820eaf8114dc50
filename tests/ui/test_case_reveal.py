"""显示完整号码 in the case detail dialog, by key events: a reason asked (an empty one refused with a
message), the case's members shown in full, one audit entry without any ID number; a role the table
does not allow sees no button and the service refuses it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from sqlalchemy import select

from tests.ui.keys import type_text
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, Case, Member, Person
from window_desk.errors import PermissionDenied
from window_desk.services import demo, register
from window_desk.timeutil import today
from window_desk.ui.case_detail import CaseDetailDialog
from window_desk.ui.context import DeskContext
from window_desk.uow import UnitOfWork


def _case(db):  # type: ignore[no-untyped-def]
    demo.fill(db, Actor.cli(), 3, 5, 4, today(), "示范镇", others=False)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        case = uow.session.scalars(select(Case).order_by(Case.id)).first()
        numbers = [p.id_number for _m, p in uow.session.execute(
            select(Member, Person).join(Person, Person.id == Member.person_id)
            .where(Member.household_id == case.household_id).order_by(Member.seq)).all()]
        return case.id, case.number, numbers


def _dialog(db, user, tasks, qtbot, case_id, number):  # type: ignore[no-untyped-def]
    dialog = CaseDetailDialog(DeskContext(db=db, user=user, tasks=tasks), case_id, number)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    return dialog


def _numbers_shown(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    table = dialog.findChild(QTableWidget, "members_table")
    return [table.item(r, 2).text() for r in range(table.rowCount())]


def _unmask_entries(db) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        rows = list(uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.unmask")))
        uow.session.expunge_all()
        return rows


def test_reveal_asks_a_reason_shows_the_members_and_is_logged(db, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    case_id, number, full = _case(db)
    assert len(full) >= 1
    dialog = _dialog(db, clerk, tasks, qtbot, case_id, number)
    assert all("*" in n for n in _numbers_shown(dialog))
    assert dialog.reveal_button.isVisible() and dialog.reveal_button.isEnabled()

    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # 显示完整号码(&K)
    qtbot.waitUntil(lambda: dialog.reason_dialog is not None and dialog.reason_dialog.isVisible(), timeout=5000)
    ask = dialog.reason_dialog
    qtbot.waitUntil(ask.reason.hasFocus, timeout=5000)
    # An empty reason: refused here, with the field named, and nothing revealed or logged.
    qtbot.keyClick(ask.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ask.isVisible() and ask.message.text().startswith("理由：")
    assert _unmask_entries(db) == [] and all("*" in n for n in _numbers_shown(dialog))

    type_text(qtbot, ask.reason, "核对户籍信息")
    qtbot.keyClick(ask.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _numbers_shown(dialog) == full, timeout=10_000)
    assert not dialog.reveal_button.isEnabled()
    entries = _unmask_entries(db)
    assert len(entries) == 1 and entries[0].actor == clerk.username and entries[0].entity_id == str(case_id)
    payload = json.loads(entries[0].changes)
    assert payload["reason"] == "核对户籍信息" and len(payload["person_ids"]) == len(full)
    assert not any(n in entries[0].changes for n in full)
    qtbot.waitUntil(lambda: any(dialog.tabs.tabText(i) == "审计记录" for i in range(dialog.tabs.count())), timeout=5000)


def test_a_reason_holding_an_id_number_is_refused(db, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    case_id, number, full = _case(db)
    dialog = _dialog(db, clerk, tasks, qtbot, case_id, number)
    qtbot.mouseClick(dialog.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.reason_dialog is not None and dialog.reason_dialog.isVisible(), timeout=5000)
    type_text(qtbot, dialog.reason_dialog.reason, f"check {full[0]}")
    qtbot.keyClick(dialog.reason_dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "理由：" in dialog.summary.text(), timeout=10_000)
    assert all("*" in n for n in _numbers_shown(dialog)) and _unmask_entries(db) == []


def test_a_role_that_may_not_reveal_has_no_way_in(db, clerk, tasks, qtbot) -> None:  # type: ignore[no-untyped-def]
    case_id, number, _full = _case(db)
    nobody = dataclasses.replace(clerk, role="")  # e.g. an account whose role was never set
    dialog = _dialog(db, nobody, tasks, qtbot, case_id, number)
    assert not dialog.reveal_button.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(200)
    assert dialog.reason_dialog is None and all("*" in n for n in _numbers_shown(dialog))
    with UnitOfWork(db, nobody.actor()) as uow, pytest.raises(PermissionDenied):
        register.reveal_member_numbers(uow, case_id, "核对户籍信息")
    assert _unmask_entries(db) == []
