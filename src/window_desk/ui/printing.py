"""Getting a PDF onto paper: the PDF itself to CUPS, the bytes to a file, a raster only where it must.

Where the print system takes PDF (CUPS on Debian, UOS, Kylin) the document goes to ``lp`` (or ``lpr``)
as it is, with the copies, duplex, tray and page range chosen in the print dialog: the printer gets the
text and fonts, a page takes well under a second. "Print to file (PDF)" writes the document's own bytes
(a text PDF, not a picture of one). Only a printer that takes nothing but a raster (a Windows GDI
printer) gets pages painted by pdfium, at no more than MAX_RASTER_DPI, page by page, on a worker thread.

``job_from_printer`` reads the dialog's choices on the GUI thread into a plain ``PrintJob``;
``send`` runs on a worker.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrintEngine

# Printers that take a raster (Windows GDI) need no more than this to print text sharply;
# 1200 dpi made one A4 page take ~16 s.
MAX_RASTER_DPI = 600
LP_TIMEOUT_S = 60
# QPrintEngine's private key under which Qt's CUPS dialog keeps the options of its "Options" page
# (InputSlot, media, ...) as a flat [name, value, name, value ...] list (qcups_p.h: PPK_CupsOptions).
_PPK_CUPS_OPTIONS = 0xFE00

_SIDES = {
    QPrinter.DuplexMode.DuplexNone: "one-sided",
    QPrinter.DuplexMode.DuplexAuto: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
}
# The tray chosen with QPrinter's own paper sources, as the usual PPD InputSlot names.
_TRAYS = {
    QPrinter.PaperSource.Upper: "Upper",
    QPrinter.PaperSource.Lower: "Lower",
    QPrinter.PaperSource.Middle: "Middle",
    QPrinter.PaperSource.Manual: "Manual",
    QPrinter.PaperSource.Envelope: "Envelope",
    QPrinter.PaperSource.EnvelopeManual: "EnvManual",
    QPrinter.PaperSource.Tractor: "Tractor",
    QPrinter.PaperSource.LargeCapacity: "LargeCapacity",
}


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog chose, as plain data (safe to hand to a worker thread)."""

    route: str  # "file" (write the PDF), "cups" (lp/lpr), "raster" (paint pages on a QPrinter)
    printer: str = ""
    output_file: str = ""
    copies: int = 1
    collate: bool = True
    sides: str = "one-sided"
    tray: str = ""
    page_range: tuple[int, int] | None = None  # 1-based, inclusive
    title: str = ""
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # further CUPS options


@dataclass(frozen=True)
class PrintResult:
    route: str
    pages: int  # pages per copy
    copies: int
    printer: str
    request_id: str = ""


def cups_command() -> list[str] | None:
    """``lp`` (System V) or ``lpr`` (BSD), whichever the print system offers; None where there is none."""
    if sys.platform == "win32":
        return None
    for name in ("lp", "lpr"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def _cups_options(printer: QPrinter) -> list[tuple[str, str]]:
    try:
        raw = printer.printEngine().property(QPrintEngine.PrintEnginePropertyKey(_PPK_CUPS_OPTIONS))
    except (ValueError, TypeError, AttributeError):  # a Qt without the key: fall back on QPrinter's own choices
        return []
    if not isinstance(raw, (list, tuple)):
        return []
    items = [str(x) for x in raw]
    return list(zip(items[0::2], items[1::2]))


def job_from_printer(printer: QPrinter, *, title: str = "", page_count: int = 0) -> PrintJob:
    """Read the dialog's choices (GUI thread). The route follows what the printer can take."""
    output = printer.outputFileName()
    copies = max(1, printer.copyCount())
    page_range = None
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        last = printer.toPage() or printer.fromPage()
        page_range = (printer.fromPage(), max(printer.fromPage(), last))
    options = [(k, v) for k, v in _cups_options(printer) if k not in ("sides", "copies", "Collate", "collate")]
    tray = next((v for k, v in options if k == "InputSlot"), "") or _TRAYS.get(printer.paperSource(), "")
    options = [(k, v) for k, v in options if k != "InputSlot"]
    common = dict(printer=printer.printerName(), copies=copies, collate=printer.collateCopies(),
                  sides=_SIDES.get(printer.duplex(), "one-sided"), tray=tray, page_range=page_range,
                  title=title, options=tuple(options))
    if output:
        return PrintJob("file", output_file=output, **common)  # type: ignore[arg-type]
    if cups_command() is not None:
        return PrintJob("cups", **common)  # type: ignore[arg-type]
    return PrintJob("raster", **common)  # type: ignore[arg-type]


def lp_arguments(job: PrintJob, path: str, command: list[str]) -> list[str]:
    """The command line for ``lp`` or ``lpr`` sending ``path`` with the job's choices."""
    lpr = Path(command[0]).name.startswith("lpr")
    args = list(command)
    opts = [("sides", job.sides)]
    if job.tray:
        opts.append(("InputSlot", job.tray))
    if job.copies > 1:
        opts.append(("collate", "true" if job.collate else "false"))
    opts.extend(job.options)
    if lpr:
        if job.printer:
            args += ["-P", job.printer]
        args += ["-#", str(job.copies)]
        if job.title:
            args += ["-T", job.title]
        if job.page_range:
            opts.append(("page-ranges", f"{job.page_range[0]}-{job.page_range[1]}"))
    else:
        if job.printer:
            args += ["-d", job.printer]
        args += ["-n", str(job.copies)]
        if job.title:
            args += ["-t", job.title]
        if job.page_range:
            args += ["-P", f"{job.page_range[0]}-{job.page_range[1]}"]
    for key, value in opts:
        args += ["-o", f"{key}={value}"]
    args += ["--", path] if not lpr else [path]
    return args


def _pages_of(job: PrintJob, page_count: int) -> int:
    if job.page_range is None:
        return page_count
    first, last = job.page_range
    return max(0, min(last, page_count) - first + 1)


def send_to_cups(data: bytes, job: PrintJob, page_count: int, *, command: list[str] | None = None) -> PrintResult:
    """Hand the PDF as it is to the print system (worker thread)."""
    command = command or cups_command()
    if command is None:
        raise RuntimeError("本机没有可用的打印系统（lp/lpr）")
    fd, name = tempfile.mkstemp(prefix="window-desk-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # lp returns once the spooler holds its own copy of the file, so the temporary file can go.
        done = subprocess.run(lp_arguments(job, name, command), capture_output=True, timeout=LP_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError("打印系统没有响应，请检查打印机") from exc
    finally:
        Path(name).unlink(missing_ok=True)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).decode(errors="replace").strip().splitlines()
        raise RuntimeError("打印失败：" + (reason[-1] if reason else f"lp 退出码 {done.returncode}"))
    match = re.search(r"request id is (\S+)", done.stdout.decode(errors="replace"))
    return PrintResult("cups", _pages_of(job, page_count), job.copies, job.printer,
                       match.group(1) if match else "")


def write_file(data: bytes, job: PrintJob, page_count: int) -> PrintResult:
    """"Print to file": the document's own (text) PDF, written whole or not at all."""
    target = Path(job.output_file)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, target)
    return PrintResult("file", page_count, 1, str(target))


def send(data: bytes, job: PrintJob, printer: QPrinter, page_count: int,
         raster: Callable[[bytes, QPrinter], int]) -> PrintResult:
    """Worker thread: the job by its route. ``raster`` paints the pages (preview.print_pdf)."""
    if job.route == "file":
        return write_file(data, job, page_count)
    if job.route == "cups":
        return send_to_cups(data, job, page_count)
    pages = raster(data, printer)  # pages per copy
    return PrintResult("raster", pages, job.copies, job.printer)
