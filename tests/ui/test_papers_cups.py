"""The real print path: Ctrl+P, Qt's CUPS printer, ``lp``, a CUPS server, a printer that takes PDF."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintEngine
from PySide6.QtWidgets import QDialog

from tests.conftest import missing
from tests.ui import cups_sink
from tests.ui.test_papers import _issue_first, papers  # noqa: F401 - the fixture
from window_desk.ui.printing import _PPK_CUPS_OPTIONS


@pytest.fixture(scope="module")
def cups_server() -> Iterator[cups_sink.CupsSink]:
    if cups_sink.cupsd_path() is None or shutil.which("lp") is None:
        missing("cupsd/lp are not installed (scripts/system-packages.sh --test installs cups-daemon, cups-client)")
    root = Path(tempfile.mkdtemp(prefix="wd-cups-"))
    try:
        sink = cups_sink.start(root)
    except RuntimeError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(str(exc))
    yield sink
    sink.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def cups(cups_server, monkeypatch) -> Iterator[cups_sink.CupsSink]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CUPS_SERVER", cups_server.socket)
    cups_sink.point_libcups_at(cups_server.socket)
    yield cups_server
    cups_sink.point_libcups_at(None)


def test_a_paper_reaches_a_cups_printer_as_pdf_with_copies_duplex_and_tray(cups, papers, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    preview = _issue_first(papers, qtbot)
    chosen: list[str] = []

    def choose(print_dialog):  # type: ignore[no-untyped-def]
        # What the clerk picks in the system dialog: the office printer, 2 copies, long-edge duplex, and on
        # its options page the lower tray (Qt keeps the PPD choices as the engine's CUPS options).
        printer: QPrinter = print_dialog.printer()
        printer.setPrinterName(cups_sink.PRINTER)
        printer.setCopyCount(2)
        printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
        printer.printEngine().setProperty(QPrintEngine.PrintEnginePropertyKey(_PPK_CUPS_OPTIONS), ["InputSlot", "Lower"])
        chosen.append(printer.printerName())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(preview.sig_printed, timeout=10_000) as printed:
        qtbot.keyClick(preview, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert chosen == [cups_sink.PRINTER]
    result = printed.args[0]
    assert (result.route, result.printer, result.copies) == ("cups", cups_sink.PRINTER, 2)
    job_number = int(result.request_id.rsplit("-", 1)[1])
    fields, data = cups.job(job_number)
    assert data == preview.pdf  # the printer got the text PDF itself
    options = fields["options"].split()
    assert fields["copies"] == "2"
    assert "sides=two-sided-long-edge" in options and "InputSlot=Lower" in options
    qtbot.waitUntil(lambda: papers.issued.item(0, 4).text() == "2", timeout=5000)
