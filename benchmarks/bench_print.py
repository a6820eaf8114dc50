"""How long a paper takes to reach the printer, by each route the preview can take.

The papers are the shared samples (resources/samples/forms): the one-page acceptance notice
(受理通知书) and the multi-page daily register (台账, landscape). Each route is timed from the moment the
print dialog closes to the moment the job is handed over, on the worker function the desk runs
(``ui.printing.send``):

- ``cups``: the PDF itself to ``lp`` (copies, duplex and tray as options) on a private CUPS server
  (tests/ui/cups_sink.py: a PDF-taking queue whose backend keeps the job); "spooled" is when ``lp``
  returns, "at printer" when the backend holds the whole file;
- ``file``: "print to file (PDF)": the text PDF written as it is;
- ``raster``: the Windows GDI route, pages painted by pdfium at 600 dpi onto a QPrinter (a PDF printer
  stands in for the GDI one), and for comparison 1200 dpi (a laser printer's resolution, once uncapped).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_print.py [--rounds 5]

Reports the median per route and per page; exits 1 if the CUPS or file route misses 2 s per page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.ui import cups_sink  # noqa: E402
from window_desk.forms import render_pdf  # noqa: E402
import window_desk.ui.preview as preview_module  # noqa: E402
from window_desk.ui.preview import load_pdf, print_pdf  # noqa: E402
from window_desk.ui.printing import PrintJob, send  # noqa: E402

TARGET_S_PER_PAGE = 2.0
SAMPLES = REPO / "resources" / "samples" / "forms"


def sample(kind: str) -> bytes:
    return render_pdf(kind, json.loads((SAMPLES / f"{kind}.json").read_text(encoding="utf-8")))


def timed(fn, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication([])
    papers = {"acceptance_notice": sample("acceptance_notice"), "daily_register": sample("daily_register")}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    failed = False
    root = Path(tempfile.mkdtemp(prefix="wd-bench-print-"))
    sink = None
    try:
        if cups_sink.cupsd_path() and shutil.which("lp"):
            sink = cups_sink.start(root / "cups")
            os.environ["CUPS_SERVER"] = sink.socket
        for kind, pdf in papers.items():
            pages = load_pdf(pdf).pageCount()
            print(f"\n{kind}: {pages} page(s), {len(pdf) / 1024:.0f} KiB")
            if sink is not None:
                job = PrintJob("cups", printer=cups_sink.PRINTER, copies=2, sides="two-sided-long-edge", tray="Lower",
                               title=kind)
                seen = {"n": len(list(sink.jobs.glob("job-*.args")))}

                def to_cups() -> None:
                    result = send(pdf, job, QPrinter(), pages, print_pdf)
                    seen["last"] = int(result.request_id.rsplit("-", 1)[1])

                spooled = timed(to_cups, args.rounds)
                start = time.perf_counter()
                to_cups()
                sink.job(seen["last"])
                at_printer = time.perf_counter() - start
                print(f"  cups  : spooled {spooled * 1000:7.1f} ms, at printer {at_printer * 1000:7.1f} ms "
                      f"({at_printer / pages * 1000:.1f} ms/page)")
                failed |= at_printer / pages > TARGET_S_PER_PAGE
            else:
                print("  cups  : cupsd/lp not installed, not measured")
            out = root / f"{kind}.pdf"
            file_job = PrintJob("file", output_file=str(out))
            t = timed(lambda: send(pdf, file_job, QPrinter(), pages, print_pdf), args.rounds)  # noqa: B023
            print(f"  file  : {t * 1000:7.1f} ms ({os.path.getsize(out) / 1024:.0f} KiB, the text PDF)")
            failed |= t / pages > TARGET_S_PER_PAGE
            for dpi in (600, 1200):
                printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
                printer.setOutputFileName(str(root / f"{kind}-{dpi}.pdf"))
                printer.setResolution(dpi)
                rounds = max(1, args.rounds // (2 if dpi == 600 else 5))
                preview_module.MAX_RASTER_DPI = dpi  # 1200: the cap lifted, as the desk printed before
                t = timed(lambda: print_pdf(pdf, printer), rounds)  # noqa: B023
                preview_module.MAX_RASTER_DPI = 600
                label = "raster" if dpi == 600 else "uncap."
                print(f"  {label}: {dpi} dpi {t * 1000:7.1f} ms ({t / pages * 1000:.0f} ms/page)")
    finally:
        if sink is not None:
            sink.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
