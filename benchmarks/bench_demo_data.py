"""CPU and wall time per case of demo-data's bulk path (the cases only, without the other areas' data).

    .venv/bin/python benchmarks/bench_demo_data.py --db /work/bench/demo.sqlite3 --cases 20000 [--profile]

The file is replaced. CPU time is what to compare on a shared machine: the wall clock also counts the
time other processes held the cores. It is given for the writing process and for the generating process
``demo.fill`` starts (``resource.getrusage(RUSAGE_CHILDREN)``, counted once it has exited); ``--workers 1``
keeps everything in one process. ``--profile`` prints cProfile's top entries (the writing process only).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/work/bench/demo.sqlite3")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    path = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("WINDOW_DESK_HOME", str(path.parent / "bench-home"))
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.services import demo
    from window_desk.timeutil import today

    db = open_database(f"sqlite:///{path}")
    profile = cProfile.Profile() if args.profile else None
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = child.ru_utime + child.ru_stime
    if profile is not None:
        profile.enable()
    demo.fill(db, Actor.cli(), args.cases, 365, args.seed, today(), "示范镇", others=False, workers=args.workers)
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = child.ru_utime + child.ru_stime - child_cpu
    db.dispose()
    print(f"{args.cases} cases: wall {wall:.1f} s = {args.cases / wall:.0f} cases/s; CPU {cpu:.1f} s writing + "
          f"{child_cpu:.1f} s generating = {(cpu + child_cpu) / args.cases * 1000:.3f} ms per case "
          f"(load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end)")
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
