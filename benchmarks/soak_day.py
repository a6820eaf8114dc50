"""The working-day soak (issue 7): the desk offscreen, driven by real key events through a day's work —
60 intakes, 200 first inquiries, 300 register searches, 100 papers previewed and printed to a file —
with resident memory sampled after every intake. Fails on a crash, a logged warning, or memory growing
more than 20 % from the first round to the last.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/soak_day.py [--days N]

It runs tests/ui/test_working_day.py with the full day's counts (times N days back to back); the suite
runs the same test with a shorter day.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=1)
    args = parser.parse_args()
    report = Path(tempfile.mkdtemp(prefix="wd-soak-")) / "soak.json"
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "WINDOW_DESK_SOAK": "full", "WINDOW_DESK_SOAK_DAYS": str(args.days),
           "WINDOW_DESK_SOAK_REPORT": str(report)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-s",
                           "tests/ui/test_working_day.py"], cwd=REPO, env=env, check=False)
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        samples = data.pop("samples")
        print(json.dumps(data, ensure_ascii=False))
        print("rss over the day (s, MB):", ", ".join(f"{t:.0f}:{mb:.0f}" for t, mb in samples[:: max(1, len(samples) // 12)]))
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
