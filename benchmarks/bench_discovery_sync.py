"""The first sync of the observation and monitoring lists (主动发现) with a big case register.

Takes ``discovery_sync.sync_step`` one after another until it says done, each in its own unit of work,
as the 主动发现 page does in the background; prints each tenth step and, at the end, the steps, the
median and longest step (the time each holds the write lock), the entries added, the total time and
the process's peak memory. The database is changed (its lists filled, its mark moved): run it on a copy
to keep the original for other benchmarks.

    cp /work/bench/bench-1m.sqlite3 /work/bench/sync-1m.sqlite3
    .venv/bin/python benchmarks/bench_discovery_sync.py --db sqlite:////work/bench/sync-1m.sqlite3
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time

from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.services import discovery_sync
from window_desk.uow import UnitOfWork


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a database made by demo-data")
    parser.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: until done)")
    args = parser.parse_args(argv)
    db = open_database(args.db)
    actor = Actor.cli()
    steps: list[float] = []
    added = 0
    start = time.perf_counter()
    cpu = time.process_time()
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    while True:
        t = time.perf_counter()
        with UnitOfWork(db, actor) as uow:
            step = discovery_sync.sync_step(uow)
        steps.append(time.perf_counter() - t)
        added += step.added
        if len(steps) % 10 == 0:
            print(f"step {len(steps)}: {steps[-1] * 1000:.0f} ms, reached case {step.reached}, about {step.left} left, "
                  f"{added} entries so far", flush=True)
        if step.done or (args.max_steps and len(steps) >= args.max_steps):
            break
    total = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(steps)} steps in {total:.1f} s wall, {time.process_time() - cpu:.1f} s CPU; step median "
          f"{statistics.median(steps) * 1000:.0f} ms, longest {max(steps) * 1000:.0f} ms; {added} entries added; "
          f"max RSS {rss:.0f} MB; load average at the end {os.getloadavg()[0]:.1f}")
    t = time.perf_counter()
    with UnitOfWork(db, actor) as uow:
        again = discovery_sync.sync_step(uow)
    print(f"a step with nothing new afterwards: {(time.perf_counter() - t) * 1000:.1f} ms, {again.added} added")
    print(f"python {platform.python_version()}, {platform.platform()}")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
