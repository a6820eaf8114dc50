"""Several desks at once on one database: 4 processes x 1,000 cases, on PostgreSQL and on one SQLite file.

Each desk process opens the (empty) database at the same moment — so the first open races through the
migration lock — then accepts its cases one by one through the real ``submit_case`` inside
``run_in_uow`` (bounded retry), as fast as it can. Afterwards the benchmark checks: no process crashed and
no case was given up, the case numbers are exactly 1…N without a gap or a duplicate, and
``window-desk audit verify`` passes. Reported: wall time from the common start to the last commit, and
cases per second over all desks.

    .venv/bin/python benchmarks/bench_multidesk.py --sqlite /tmp/bench.sqlite3 --pg URL [--desks 4] [--cases 1000]

``--pg`` names an empty PostgreSQL database (scripts/test.sh shows how to start a throwaway server).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


class _RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "retried" in record.getMessage():
            self.count += 1


def _desk(index: int, url: str, cases: int, ready: Any, go: Any, out: Any) -> None:
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.services import demo, intake
    from window_desk.services.policy_store import active_policy
    from window_desk.timeutil import today
    from window_desk.uow import UnitOfWork, run_in_uow

    counter = _RetryCounter()
    uow_log = logging.getLogger("window_desk.uow")
    uow_log.setLevel(logging.INFO)
    uow_log.addHandler(counter)
    actor = Actor(label=f"desk{index}", role="clerk", display_name=f"窗口{index}")
    payloads = list(demo.payloads(cases, 1, 1000 + index, today()))  # generated before the clock starts
    ready.put(index)
    go.wait(60)
    try:
        t0 = time.perf_counter()
        db = open_database(url)
        with UnitOfWork(db, actor, write=False) as uow:
            active = active_policy(uow)
        numbers = []
        for p in payloads:
            numbers.append(run_in_uow(db, actor, lambda uow, p=p: intake.submit_case(uow, p, active, "示范镇")).number)
        elapsed = time.perf_counter() - t0
        db.dispose()
        out.put(("ok", index, numbers, elapsed, counter.count, time.time()))
    except BaseException as exc:  # counted as a crash
        import traceback

        out.put(("crash", index, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", 0.0, counter.count, 0.0))


def run(url: str, desks: int, cases: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_desk, args=(i + 1, url, cases, ready, go, out)) for i in range(desks)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=300)
    start = time.time()
    go.set()
    results = [out.get(timeout=3600) for _ in procs]
    for p in procs:
        p.join(60)
    crashes = [r for r in results if r[0] != "ok"] + [p for p in procs if p.exitcode != 0]
    wall = max(r[5] for r in results if r[0] == "ok") - start if len(crashes) < desks else 0.0
    numbers = [n for r in results if r[0] == "ok" for n in r[2]]
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    gapless = seqs == list(range(1, desks * cases + 1))
    verify = subprocess.run([sys.executable, "-m", "window_desk", "--db", url, "audit", "verify"],
                            capture_output=True, text=True, encoding="utf-8")
    for r in results:
        if r[0] != "ok":
            print(r[2], file=sys.stderr)
    return {
        "crashes": len(crashes), "cases": len(numbers), "unique": len(set(numbers)) == len(numbers),
        "gapless": gapless, "audit_verify": verify.returncode == 0, "audit_text": verify.stdout.strip(),
        "retries": sum(r[4] for r in results), "wall_s": wall, "cases_per_s": len(numbers) / wall if wall else 0.0,
        "per_desk_s": [round(r[3], 1) for r in results if r[0] == "ok"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", metavar="FILE", help="an SQLite file (deleted first)")
    parser.add_argument("--pg", metavar="URL", help="an empty PostgreSQL database")
    parser.add_argument("--desks", type=int, default=4)
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("WINDOW_DESK_HOME", "/tmp/window-desk-bench-home")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    ok = True
    targets = []
    if args.sqlite:
        path = Path(args.sqlite)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        targets.append(("SQLite (one file, WAL)", f"sqlite:///{path}"))
    if args.pg:
        targets.append(("PostgreSQL", args.pg))
    for label, url in targets:
        r = run(url, args.desks, args.cases)
        print(f"{label}: {args.desks} desks x {args.cases} cases: {r['cases']} cases in {r['wall_s']:.1f} s = "
              f"{r['cases_per_s']:.1f} cases/s; crashes {r['crashes']}, unique {r['unique']}, gapless {r['gapless']}, "
              f"retries {r['retries']}, audit verify {'clean' if r['audit_verify'] else 'FAILED'} ({r['audit_text']}); "
              f"per desk {r['per_desk_s']} s")
        ok &= r["crashes"] == 0 and r["unique"] and r["gapless"] and r["audit_verify"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
