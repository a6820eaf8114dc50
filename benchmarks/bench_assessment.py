"""How long one assessment takes: ``assess`` over 100,000 reproducible households.

The households are generated first (seeded ``random.Random``, validated through
``household_from_json`` as the CLI and the desk do) and are not timed; then
``assess`` is timed over all of them with the packaged default policy, in a
few rounds, and the best round is reported as ms per household. JSON output
(``assessment_to_json``) is timed apart, for information.

    .venv/bin/python benchmarks/bench_assessment.py [--households 100000] [--seed 2026] [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from window_desk.assessment import Household, assess, assessment_to_json, household_from_json
from window_desk.idnumber import check_char
from window_desk.policy import default_policy

TARGET_MS = 0.2
REGIONS = ("110101", "220103", "320102", "440305", "510107", "610113")
EVENTS = ("disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death", "homeless",
          "legal_dispute")


def _money(rng: random.Random, high: int) -> Decimal:
    return Decimal(rng.randrange(0, high * 100)) / 100


def _member(rng: random.Random, application: date, relation: str, seq: int) -> dict[str, object]:
    age = rng.choice([rng.randrange(0, 18), rng.randrange(18, 60), rng.randrange(60, 95)])
    birth = application - timedelta(days=age * 365 + rng.randrange(0, 365))
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
    roll = rng.random()
    return {
        "id_number": body + check_char(body),
        "name": f"成员{seq}",
        "relation": relation,
        "labor_capacity": rng.choice(["full", "full", "partial", "none"]),
        "self_care": rng.choice(["full", "full", "full", "partial", "none"]),
        "disability": ({"grade": rng.randint(1, 4), "kind": rng.choice(["physical", "visual", "intellectual", "mental"])}
                       if roll < 0.15 else None),
        "health": rng.choice(["healthy", "healthy", "healthy", "chronic", "serious"]),
        "schooling": rng.choice([None, "compulsory", "high_school", "higher"]) if age < 24 else None,
        "employed": 18 <= age < 60 and rng.random() < 0.5,
        "supporter_capable": rng.random() < 0.5,
        "income": {
            "wage": _money(rng, 3000) if 16 <= age < 60 and rng.random() < 0.6 else Decimal(0),
            "business": _money(rng, 800) if rng.random() < 0.2 else Decimal(0),
            "property": _money(rng, 200) if rng.random() < 0.1 else Decimal(0),
            "transfer": _money(rng, 1500) if age >= 60 else Decimal(0),
            "other": _money(rng, 300) if rng.random() < 0.1 else Decimal(0),
            "exempt": _money(rng, 500) if rng.random() < 0.1 else Decimal(0),
        },
    }


def household_json(rng: random.Random) -> dict[str, object]:
    # Application dates from the first policy period to past the calendar's last year.
    application = date(2021, 11, 1) + timedelta(days=rng.randrange(0, 6 * 365))
    relations = ["self"] + [rng.choice(["spouse", "child", "parent", "grandparent", "grandchild", "sibling"])
                            for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]))]
    return {
        "application_date": application.isoformat(),
        "area": rng.choice(["urban", "rural"]),
        "current_benefits": ["dibao"] if rng.random() < 0.2 else [],
        "members": [_member(rng, application, rel, i + 1) for i, rel in enumerate(relations)],
        "assets": {
            "deposits": _money(rng, 60000),
            "non_essential_vehicles": 1 if rng.random() < 0.05 else 0,
            "extra_houses": 1 if rng.random() < 0.05 else 0,
        },
        "rigid_expenses": {
            "medical": _money(rng, 2000) if rng.random() < 0.3 else Decimal(0),
            "education": _money(rng, 800) if rng.random() < 0.2 else Decimal(0),
            "care": _money(rng, 1000) if rng.random() < 0.1 else Decimal(0),
            "housing": _money(rng, 600) if rng.random() < 0.1 else Decimal(0),
        },
        "housing": rng.choice(["adequate", "adequate", "adequate", "none", "dangerous"]),
        "events": sorted({rng.choice(EVENTS) for _ in range(rng.choice([0, 0, 0, 0, 1, 2]))}),
    }


def generate(count: int, seed: int) -> list[Household]:
    rng = random.Random(seed)
    return [household_from_json(household_json(rng)) for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    policy = default_policy()
    started = time.perf_counter()
    households = generate(args.households, args.seed)
    print(f"generated {len(households)} households in {time.perf_counter() - started:.1f} s (not timed)")

    gc.collect()
    gc.disable()  # collector pauses would be noise, not the cost of assess
    rounds = []
    try:
        for _ in range(args.rounds):
            started = time.perf_counter()
            results = [assess(h, policy) for h in households]
            rounds.append(time.perf_counter() - started)
        started = time.perf_counter()
        for result in results:
            assessment_to_json(result)
        json_seconds = time.perf_counter() - started
    finally:
        gc.enable()

    per = [seconds / len(households) * 1000 for seconds in rounds]
    tiers: dict[str, int] = {}
    for result in results:
        tiers[result.tier] = tiers.get(result.tier, 0) + 1
    measures = sum(len(r.measures) for r in results)
    noted = sum(1 for r in results if r.calendar_note)
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"assess: best {min(per):.4f} ms/household, rounds " + ", ".join(f"{p:.4f}" for p in per)
          + f" (target ≤ {TARGET_MS} ms)")
    print(f"assessment_to_json: {json_seconds / len(households) * 1000:.4f} ms/household (not part of assess)")
    print(f"{measures / len(results):.2f} measures/household; tiers {dict(sorted(tiers.items()))}; "
          f"{noted} with calendar_note")
    return 0 if min(per) <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
