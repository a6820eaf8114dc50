"""How long one printed document takes: 500 referral slips (社会救助转介单) rendered to PDF.

Fonts are found, loaded and registered once per process (the desk does this at the
first print); that warm-up and one first render are not timed. Then
``render_pdf("referral_slip", data)`` is timed over 500 slips, each with its own
number and person (so every slip has its own QR code and font subsets), in a few
rounds; the best round is reported as ms per document. The slip is the shared
sample (resources/samples/forms/referral_slip.json): one A4 page, three fonts
(body, title, and BabelStone Han for the Extension B name), a QR code, a
tear-off receipt.

    .venv/bin/python benchmarks/bench_forms.py [--docs 500] [--rounds 3]

Exits 1 if the best round misses the target (30 ms per document).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from pathlib import Path

from window_desk.forms import render_pdf
from window_desk.forms.fonts import get_fontset

TARGET_MS = 30.0
SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "samples" / "forms" / "referral_slip.json"
NAMES = ("高𪚥", "朱𠈌", "王䶮", "赵赟", "钱犇", "孙龑", "周𣲗", "吴𨭉", "郑喆", "冯堃")


def slips(count: int) -> list[dict[str, object]]:
    base = json.loads(SAMPLE.read_text(encoding="utf-8"))
    out = []
    for i in range(count):
        data = json.loads(json.dumps(base))
        data["number"] = f"示范镇救转〔2026〕{i + 1:04d}号"
        data["case_number"] = f"示范镇-2026-{i + 1:05d}"
        data["person"]["name"] = NAMES[i % len(NAMES)]
        data["person"]["phone"] = f"138{i:08d}"
        out.append(data)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    fonts = get_fontset()
    font_ms = (time.perf_counter() - t0) * 1000
    docs = slips(args.docs)
    t0 = time.perf_counter()
    first = render_pdf("referral_slip", docs[0])
    first_ms = (time.perf_counter() - t0) * 1000

    rounds = []
    size = 0
    for _ in range(args.rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for data in docs:
                size += len(render_pdf("referral_slip", data))
            rounds.append((time.perf_counter() - start) * 1000 / len(docs))
        finally:
            gc.enable()
    best = min(rounds)
    faces = ", ".join(f.file.family or Path(f.file.path).stem for f in fonts.chains["body"])
    print(f"fonts found and loaded: {font_ms:.0f} ms ({faces})")
    print(f"first render (subset tables, QR tables warm): {first_ms:.0f} ms, {len(first)} bytes")
    print(f"referral slips: {args.docs} per round, rounds: " + ", ".join(f"{r:.1f}" for r in rounds) + " ms/doc")
    print(f"best: {best:.1f} ms/doc (target ≤ {TARGET_MS:.0f}); average size {size / (len(docs) * len(rounds)) / 1024:.0f} KiB")
    print(f"python {platform.python_version()}, {platform.platform()}")
    return 0 if best <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
