"""A case's papers as the clerk handles them: keys and clicks, a CUPS-style printer, void, 补打 or 重新开具."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QMargins, QPoint, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox
from sqlalchemy import select

from tests.services.test_intake import _payload, _submit
from tests.ui.keys import type_text
from window_desk.actor import Actor
from window_desk.db.models import AuditEntry, DocumentPrintJob
from window_desk.services import settings
from window_desk.uow import UnitOfWork

FAKE_LP = """#!/bin/sh
# A CUPS-style sink: records its arguments and keeps a copy of the file it was given, like the spooler.
printf '%s\\n' "$@" > "$SINK/args"
for last; do :; done
cp "$last" "$SINK/job.pdf"
if [ -n "$LP_FAIL" ]; then echo "lp: The printer or class does not exist." >&2; exit 1; fi
echo "request id is office-7 (1 file(s))"
"""


@pytest.fixture
def sink(tmp_path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """A fake ``lp`` first on PATH, writing into the returned folder."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(FAKE_LP)
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "spool"
    out.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("SINK", str(out))
    return out


@pytest.fixture
def papers(window, db, qtbot):  # type: ignore[no-untyped-def]
    """The papers dialog of a freshly accepted case, active, its list loaded."""
    from window_desk.ui.case_documents import CaseDocumentsDialog

    with UnitOfWork(db, Actor.cli()) as uow:
        settings.update(uow, {"contact_phone": "0376-3123456"})
    accepted = _submit(db, _payload())
    dialog = CaseDocumentsDialog(window.ctx, accepted.case_id, accepted.number, parent=window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    qtbot.waitUntil(lambda: dialog.printables.count() >= 3, timeout=10_000)
    yield dialog
    # Previews are top-level windows of their own: close them so no later test finds one holding the focus.
    from window_desk.ui.preview import PreviewDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PreviewDialog) and widget.isVisible():
            widget.reject()
    dialog.reject()


def _issue_first(dialog, qtbot):  # type: ignore[no-untyped-def]
    """Enter on the first printable (受理通知书) issues it and opens the preview."""
    dialog.printables.setFocus()
    qtbot.keyClick(dialog.printables, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.printables, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_preview is not None, timeout=10_000)
    preview = dialog.last_preview
    qtbot.waitUntil(preview.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: dialog.issued.rowCount() >= 1, timeout=5000)
    return preview


def _close_preview(dialog, preview, qtbot) -> None:  # type: ignore[no-untyped-def]
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow, timeout=2000)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not preview.isVisible(), timeout=2000)
    dialog.last_preview = None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)


def _choose_in_print_dialog(monkeypatch, **choices) -> None:  # type: ignore[no-untyped-def]
    """The print dialog is the system's; stand in for the clerk's choices there, then 打印."""
    def accept(print_dialog):  # type: ignore[no-untyped-def]
        printer: QPrinter = print_dialog.printer()
        if "copies" in choices:
            printer.setCopyCount(choices["copies"])
        if "duplex" in choices:
            printer.setDuplex(choices["duplex"])
        if "tray" in choices:
            printer.setPaperSource(choices["tray"])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)


def test_ctrl_p_sends_the_pdf_itself_to_cups_with_the_dialogs_choices(papers, sink, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    preview = _issue_first(papers, qtbot)
    # Without a CUPS server Qt's printer is its PDF engine, which keeps no duplex or tray: those are
    # checked against a real cupsd in test_printing_cups.py.
    _choose_in_print_dialog(monkeypatch, copies=2)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(preview.sig_printed, timeout=10_000) as printed:
        qtbot.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    result = printed.args[0]
    assert (result.route, result.copies, result.pages, result.request_id) == ("cups", 2, 1, "office-7")
    args = (sink / "args").read_text().splitlines()
    assert args[args.index("-n") + 1] == "2"
    assert "sides=one-sided" in args and args[-2:] == ["--", args[-1]] and args[-1].endswith(".pdf")
    assert not Path(args[-1]).exists()  # the temporary file goes once lp has spooled it
    assert (sink / "job.pdf").read_bytes() == preview.pdf  # the text PDF, not a raster of it
    assert "2 份" in preview.info.text()
    # The papers list counts the copies that reached the printer.
    qtbot.waitUntil(lambda: papers.issued.item(0, 4) is not None and papers.issued.item(0, 4).text() == "2",
                    timeout=5000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        job = uow.session.scalars(select(DocumentPrintJob)).one()
        assert (job.copies, job.pages, job.route) == (2, 1, "cups")


def test_a_refused_print_job_says_why_and_counts_nothing(papers, sink, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, title, text, *a, **k: warnings.append(text)))
    monkeypatch.setenv("LP_FAIL", "1")
    preview = _issue_first(papers, qtbot)
    _choose_in_print_dialog(monkeypatch)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(preview.sig_print_failed, timeout=10_000):
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert warnings == ["打印失败：lp: The printer or class does not exist."]
    assert preview.print_button.isEnabled()
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert uow.session.scalars(select(DocumentPrintJob)).first() is None
    assert papers.issued.item(0, 4).text() == "0"


def test_void_button_asks_for_the_reason_and_logs_it(papers, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    preview = _issue_first(papers, qtbot)
    _close_preview(papers, preview, qtbot)
    # Alt+Y reaches the 已开具 list from the keyboard.
    qtbot.keyClick(papers.printables, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is papers.issued
    assert papers.issued.currentRow() == 0
    asked: list[str] = []

    def give_reason() -> None:
        dialog = papers.last_reason_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, give_reason)
            return
        asked.append(dialog.labelText())
        edit = dialog.findChild(QLineEdit)
        edit.setFocus()
        type_text(qtbot, edit, "打印时卡纸")
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, give_reason)
    qtbot.mouseClick(papers.void_button, Qt.MouseButton.LeftButton)
    assert asked and "理由" in asked[0]
    qtbot.waitUntil(lambda: papers.issued.item(0, 5).text() == "已作废：打印时卡纸", timeout=5000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        entry = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "document.void")).one()
        assert "打印时卡纸" in entry.changes


def test_void_cancelled_leaves_the_paper(papers, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    preview = _issue_first(papers, qtbot)
    _close_preview(papers, preview, qtbot)
    qtbot.keyClick(papers.printables, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    opened: list[str] = []

    def cancel() -> None:
        dialog = papers.last_reason_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, cancel)
            return
        opened.append(dialog.windowTitle())
        qtbot.keyClick(dialog.findChild(QLineEdit), Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    qtbot.keyClick(papers.issued, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # 作废(&V), animated click
    qtbot.waitUntil(lambda: opened == ["作废文书"] and papers.last_reason_dialog is None, timeout=3000)
    assert papers.issued.item(0, 5).text() == ""
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "document.void")).first() is None


def _answer_question(papers, qtbot, button_text: str, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    def answer() -> None:
        box = papers.last_question
        if box is None or not box.isVisible():
            QTimer.singleShot(20, answer)
            return
        seen.append(box.windowTitle())
        button = next(b for b in box.buttons() if b.text() == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_enter_on_a_paper_already_issued_asks_reprint_or_reissue(papers, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    first = _issue_first(papers, qtbot)
    number = papers.issued.item(0, 1).text()
    _close_preview(papers, first, qtbot)

    seen: list[str] = []
    _answer_question(papers, qtbot, "补打（&B）", seen)
    preview = _issue_first(papers, qtbot)
    assert seen == ["补打还是重新开具？"]
    assert preview.windowTitle() == f"预览 — {number}"  # same number, marked 补打
    assert papers.message.text() == f"已开具 {number}（补打）"
    assert papers.issued.rowCount() == 1
    _close_preview(papers, preview, qtbot)

    _answer_question(papers, qtbot, "重新开具（&R）", seen)
    preview = _issue_first(papers, qtbot)
    qtbot.waitUntil(lambda: papers.issued.rowCount() == 2, timeout=5000)
    new_number = papers.issued.item(1, 1).text()
    assert new_number != number and preview.windowTitle() == f"预览 — {new_number}"
    assert papers.issued.item(0, 5).text() == f"已作废：重新开具为{new_number}"
    _close_preview(papers, preview, qtbot)

    _answer_question(papers, qtbot, "取消", seen)
    papers.printables.setFocus()
    qtbot.keyClick(papers.printables, Qt.Key.Key_Home)
    qtbot.keyClick(papers.printables, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: papers.message.text() == "未开具", timeout=5000)
    assert papers.issued.rowCount() == 2 and len(seen) == 3


def test_papers_list_names_departments_and_people(papers, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    slips = [i for i in range(papers.printables.count()) if papers.printables.item(i).text().startswith("转介单")]
    assert slips, "the household is referred somewhere"
    papers.printables.setFocus()
    papers.printables.setCurrentRow(0)
    for _ in range(slips[0]):
        qtbot.keyClick(papers.printables, Qt.Key.Key_Down)
    department = papers.printables.currentItem().text().split("→")[-1].strip()
    qtbot.keyClick(papers.printables, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: papers.issued.rowCount() == 1, timeout=10_000)
    assert papers.issued.item(0, 0).text() == f"社会救助转介单（{department}）"
    assert papers.issued.item(0, 2).text() == "张窗口"  # the display name, not the user name
    assert papers.issued.item(0, 4).text() == "0"  # issued, never printed


def test_preview_fits_the_screen_and_remembers_its_size(papers, qtbot) -> None:  # type: ignore[no-untyped-def]
    preview = _issue_first(papers, qtbot)
    area = preview.screen().availableGeometry()
    assert area.contains(preview.geometry())
    assert preview.print_button.isVisible()
    button = preview.print_button
    assert area.contains(QPoint(button.mapToGlobal(button.rect().bottomRight())))
    smaller = preview.size().shrunkBy(QMargins(0, 0, 50, 80))
    preview.windowHandle().resize(smaller)  # as the window manager resizes it: a resize event follows
    qtbot.waitUntil(lambda: preview.size() == smaller, timeout=2000)
    _close_preview(papers, preview, qtbot)
    again = _answer_and_reopen(papers, qtbot)
    assert again.size() == smaller
    assert area.contains(again.geometry())


def _answer_and_reopen(papers, qtbot):  # type: ignore[no-untyped-def]
    seen: list[str] = []
    _answer_question(papers, qtbot, "补打（&B）", seen)
    return _issue_first(papers, qtbot)


def test_lp_and_lpr_command_lines_carry_the_choices() -> None:
    from window_desk.ui.printing import PrintJob, lp_arguments

    job = PrintJob("cups", printer="office", copies=3, collate=False, sides="two-sided-short-edge", tray="Lower",
                   page_range=(2, 3), title="示范镇救受〔2026〕0001号", options=(("media", "A4"),))
    assert lp_arguments(job, "/tmp/x.pdf", ["/usr/bin/lp"]) == [
        "/usr/bin/lp", "-d", "office", "-n", "3", "-t", "示范镇救受〔2026〕0001号", "-P", "2-3",
        "-o", "sides=two-sided-short-edge", "-o", "InputSlot=Lower", "-o", "collate=false", "-o", "media=A4",
        "--", "/tmp/x.pdf"]
    assert lp_arguments(job, "/tmp/x.pdf", ["/usr/bin/lpr"]) == [
        "/usr/bin/lpr", "-P", "office", "-#", "3", "-T", "示范镇救受〔2026〕0001号",
        "-o", "sides=two-sided-short-edge", "-o", "InputSlot=Lower", "-o", "collate=false", "-o", "media=A4",
        "-o", "page-ranges=2-3", "/tmp/x.pdf"]
    default = lp_arguments(PrintJob("cups"), "/tmp/x.pdf", ["lp"])
    assert default == ["lp", "-n", "1", "-o", "sides=one-sided", "--", "/tmp/x.pdf"]


def test_raster_route_paints_each_page_at_no_more_than_600_dpi(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess

    from tests.forms.pdf_tools import SAMPLES, need
    from window_desk.forms import render_pdf
    from window_desk.ui.preview import print_pdf

    pdf = render_pdf("daily_register", json.loads((SAMPLES / "daily_register.json").read_text(encoding="utf-8")))
    out = tmp_path / "gdi.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # stands in for a GDI printer
    printer.setOutputFileName(str(out))
    printer.setResolution(1200)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    assert print_pdf(pdf, printer) == 3
    listing = subprocess.run([need("pdfimages"), "-list", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert [int(r[0]) for r in rows] == [1, 2, 3]  # one image per page, page by page
    for r in rows:
        x_ppi, y_ppi = int(r[12]), int(r[13])
        assert 590 <= x_ppi <= 600 and 590 <= y_ppi <= 600, r
        assert r[5] == "gray"
