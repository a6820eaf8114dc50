"""Kill the desk with SIGKILL in the middle of an intake: every typed field is in the offered draft."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import PASSWORD, open_window
from tests.ui.desk_process import DESK_PRELUDE
from window_desk.services import drafts
from window_desk.uow import UnitOfWork

CHILD = DESK_PRELUDE + textwrap.dedent('''
    pump(0.5, 0.01)
    QTest.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    pump(0.3)
    page = win.current_page

    def chinese(text):
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(QApplication.focusWidget(), event)

    def key(k, mod=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(QApplication.focusWidget(), k, mod)
        app.processEvents()

    ALT = Qt.KeyboardModifier.AltModifier
    chinese("因病申请临时救助")
    key(Qt.Key.Key_Tab)
    chinese("示范镇幸福路8号")
    key(Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "13912345678")
    key(Qt.Key.Key_N, ALT)
    chinese("朱𠈌")
    key(Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "110105198603150032")
    key(Qt.Key.Key_W, ALT)
    QTest.keyClicks(QApplication.focusWidget(), "12.345")  # wrong, and kept exactly as typed
    key(Qt.Key.Key_A, ALT)
    pump(0.3)
    chinese("朱小红")
    key(Qt.Key.Key_Tab)
    QTest.keyClicks(QApplication.focusWidget(), "110105201003070017")
    key(Qt.Key.Key_S, ALT)
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Tab)
    chinese("监护人在外地")
    # Wait (without closing anything) until the debounced draft has reached the database.
    end = time.monotonic() + 15
    while time.monotonic() < end:
        pump(0.1)
        with UnitOfWork(db, user.actor(), write=False) as uow:
            found = drafts.load(uow, "intake")
        if found and found[0].get("unsigned_reason") == "监护人在外地":
            break
    print("READY", flush=True)
    pump(600)  # still "working" when it is killed
''')


def test_sigkill_mid_intake_loses_nothing(db, db_url, clerk, tasks, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, "zhang", PASSWORD], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        line = ""
        assert child.stdout is not None
        while time.monotonic() < deadline and child.poll() is None:
            line = child.stdout.readline()
            if line.strip() == "READY":
                break
        assert line.strip() == "READY", child.stderr.read() if child.stderr else ""
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)  # no close event, no flush: the power cut
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    with UnitOfWork(db, clerk.actor(), write=False) as uow:
        found = drafts.load(uow, "intake")
    assert found is not None
    payload = found[0]
    assert (payload["matter"], payload["address"], payload["phone"]) == ("因病申请临时救助", "示范镇幸福路8号",
                                                                         "13912345678")
    first, second = payload["members"]
    assert (first["name"], first["id_number"], first["income"]["wage"]) == ("朱𠈌", "110105198603150032", "12.345")
    assert (second["name"], second["id_number"]) == ("朱小红", "110105201003070017")
    assert first["signed"] is True and payload["unsigned_reason"] == "监护人在外地"

    # The next start offers it: the form shows every field again, the wrong amount still flagged.
    window = open_window(db, clerk, tasks, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    qtbot.waitUntil(lambda: page.form.matter.text() == "因病申请临时救助", timeout=5000)
    form = page.form
    assert "已恢复" in page.status.text()
    assert (form.address.text(), form.phone.text(), form.unsigned_reason.text()) == (
        "示范镇幸福路8号", "13912345678", "监护人在外地")
    assert (form.editor.name.text(), form.editor.id_number.text()) == ("朱𠈌", "110105198603150032")
    assert form.editor.income["wage"].text() == "12.345" and form.editor.income["wage"].error()
    assert form.table.item(1, 0).text() == "朱小红"
    assert QApplication.focusWidget() is not None
