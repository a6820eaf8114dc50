"""How long the quick headless commands take, process start to exit (issue 7: each <= 0.3 s).

Each command runs in a fresh process, as a supervisor's script would call it; the floor is a bare
``python -c pass`` of the same interpreter. Reported: median and max wall time, and the median
CPU time (user + sys of the child), which a loaded machine disturbs less than wall time.

    .venv/bin/python benchmarks/bench_cli_start.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOUSEHOLD = REPO / "resources" / "samples" / "assess" / "household.json"


def run_once(cmd: list[str], stdin: bytes | None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed: {proc.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    household = json.dumps(json.loads(HOUSEHOLD.read_text(encoding="utf-8")), ensure_ascii=False).encode()
    py = sys.executable
    cases = {
        "python -c pass (floor)": ([py, "-c", "pass"], None),
        "--version": ([py, "-m", "window_desk", "--version"], None),
        "id check": ([py, "-m", "window_desk", "id", "check", "11010519491231002X"], None),
        "assess -": ([py, "-m", "window_desk", "assess", "-"], household),
    }
    env_home = tempfile.mkdtemp(prefix="bench-cli-")
    os.environ["WINDOW_DESK_HOME"] = env_home
    for cmd, stdin in cases.values():  # warm the bytecode cache and the page cache
        run_once(cmd, stdin)
    print(f"{'command':28} {'median':>8} {'max':>8} {'cpu':>8}")
    for name, (cmd, stdin) in cases.items():
        walls, cpus = zip(*(run_once(cmd, stdin) for _ in range(args.runs)))
        print(f"{name:28} {statistics.median(walls) * 1000:7.0f}ms {max(walls) * 1000:7.0f}ms "
              f"{statistics.median(cpus) * 1000:7.0f}ms")


if __name__ == "__main__":
    main()
