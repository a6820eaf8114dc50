"""How long one card read takes through the real serial driver, against the pty reader emulator.

    .venv/bin/python benchmarks/bench_cardreader.py --runs 50

Two lines: the pty at full speed (the driver's own cost: frames, parsing, the text block and the
check digit), and the emulator pacing its answers at 115200 baud 8N1 (11 520 bytes/s), as a real
reader's line would (a real reader also spends time on the card's radio link: not modelled).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from window_desk.cardreader import read_card  # noqa: E402
from window_desk.cardreader.emulator import ReaderEmulator, sample_card  # noqa: E402


def measure(runs: int, line_rate: float | None) -> list[float]:
    times = []
    with ReaderEmulator(sample_card()) as reader:
        reader.line_rate = line_rate
        read_card(reader.port, timeout=5)  # warm-up: imports pyserial
        for _ in range(runs):
            start = time.perf_counter()
            read_card(reader.port, timeout=5)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    for label, rate in (("pty, full speed", None), ("paced at 115200 baud", 11520.0)):
        t = measure(args.runs, rate)
        print(f"{label}: median {statistics.median(t):.1f} ms, max {max(t):.1f} ms ({args.runs} reads)")
    start = time.perf_counter()
    import subprocess

    subprocess.run([sys.executable, "-c", "import window_desk.cardreader"], check=True)
    print(f"python -c 'import window_desk.cardreader': {(time.perf_counter() - start) * 1000:.0f} ms (whole process)")


if __name__ == "__main__":
    main()
