"""How long the daily register export of a busy day takes: 2,000 rows to .xlsx (≤ 1 s) and PDF (≤ 2 s).

The database is made once (``--db``, default ``benchmarks/.daily_export.sqlite3``, kept for the
next run): ``--cases`` synthetic cases accepted in bulk on one day by ``demo.fill`` (seed 2026), with
their referrals and the day's first inquiries (half as many as the cases), so the default 1,334 cases
make a 2,001-row register: 1,334 cases and 667 inquiries. Then
``register_export.render_day`` is timed for each format — the whole export: the queries, the
sections of the review, building the rows, and writing the workbook or rendering the PDF — in a
few rounds after one warm-up (fonts are loaded once per process, as at the desk); the best round
is reported, with the process CPU time beside the wall time (the machine is shared).

Also timed, for the PDF alone: ``forms.render("daily_register", data)`` on the same data, at
500, 1,000 and 2,000 rows, to show it now grows linearly.

    .venv/bin/python benchmarks/bench_daily_export.py [--cases 2000] [--rounds 3] [--db URL]

Exits 1 if a best round misses its target.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from datetime import date
from pathlib import Path

from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.forms import render
from window_desk.forms.fonts import get_fontset
from window_desk.services import daily, demo, register_export
from window_desk.uow import UnitOfWork

DAY = date(2026, 11, 2)
TARGETS = {"xlsx": 1.0, "pdf": 2.0}


def _timed(fn, rounds: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        finally:
            gc.enable()
    return best_wall, best_cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1334)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", default=None)
    args = parser.parse_args(argv)
    url = args.db or f"sqlite:///{Path(__file__).with_name('.daily_export.sqlite3')}"
    db = open_database(url)
    actor = Actor.cli()
    with UnitOfWork(db, actor, write=False) as uow:
        have = len([r for r in daily.register_rows(uow, DAY) if r["category"] != "首问登记"])
    if have < args.cases:
        t0 = time.perf_counter()
        demo.fill(db, actor, args.cases - have, 1, 2026 + have, DAY, "示范镇")
        print(f"made {args.cases - have} cases on {DAY} in {time.perf_counter() - t0:.0f} s (kept in {url})")

    get_fontset()
    failed = False
    with UnitOfWork(db, actor, write=False) as uow:
        rows = len(daily.register_rows(uow, DAY))
        for fmt in ("xlsx", "pdf"):
            content, n = register_export.render_day(uow, DAY, fmt)  # warm-up
            wall, cpu = _timed(lambda fmt=fmt: register_export.render_day(uow, DAY, fmt), args.rounds)
            ok = wall <= TARGETS[fmt]
            failed |= not ok
            print(f"export {fmt}: {n} rows, {len(content) / 1024:.0f} KiB — best {wall:.2f} s wall, {cpu:.2f} s CPU "
                  f"(target ≤ {TARGETS[fmt]:.0f} s){'' if ok else '  MISSED'}")
        data = daily.register_data(uow, DAY)
    for count in (500, 1000, 2000):
        part = dict(data, rows=[dict(r, seq=i + 1) for i, r in enumerate((data["rows"] * 4)[:count])])
        wall, cpu = _timed(lambda part=part: render("daily_register", part, "pdf"), max(1, args.rounds - 1))
        print(f"forms.render daily_register, {count} rows: {wall:.2f} s wall, {cpu:.2f} s CPU")
    db.dispose()
    print(f"rows on the day: {rows}; python {platform.python_version()}, {platform.platform()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
