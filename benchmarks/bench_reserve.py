"""The reserve's queries on a big ledger: balance, a month's report, the ledger page, the rule checks.

Fills a fresh SQLite database (a temporary folder) with ``--lines`` ledger lines over
``--years`` years and ``--prepayments`` prepayments to as many people (bulk inserts, not
timed), then times each query the desk runs (best of ``--rounds``) and prints its
EXPLAIN QUERY PLAN, so a missing index shows as a SCAN.

    .venv/bin/python benchmarks/bench_reserve.py [--lines 200000] [--prepayments 50000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import platform
import random
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.db.models import Person, Prepayment, ReserveEntry
from window_desk.services import reserve
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork


def fill(db, lines: int, prepayments: int, years: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    start = today() - timedelta(days=365 * years)
    moment = now()
    with db.engine.begin() as conn:
        conn.execute(insert(Person), [
            {"id": i, "id_number": f"P{i:017d}", "name": f"人{i}", "name_initials": "r", "created_at": moment,
             "created_by": "bench"} for i in range(1, prepayments + 1)])
        rows = []
        for i in range(1, prepayments + 1):
            paid = start + timedelta(days=rng.randrange(0, 365 * years))
            rows.append({"id": i, "office": "示范镇", "person_id": i, "cause": rng.choice(list(reserve.CAUSES)),
                         "amount": Decimal(rng.randrange(500, 3000)), "reason": "bench", "status": "paid",
                         "approval_needed": "", "override_reason": "", "requested_by_name": "bench",
                         "approver_name": "", "decision_note": "", "paid_at": moment, "paid_on": paid,
                         "paperwork_due": paid + timedelta(days=7),
                         "paperwork_done_at": moment if rng.random() < 0.98 else None, "voucher_number": f"V{i}",
                         "created_at": moment, "created_by": "bench"})
        conn.execute(insert(Prepayment), rows)
        entries = []
        for i in range(1, lines + 1):
            kind = "allocation" if i % 20 == 1 else ("return" if i % 97 == 0 else "prepayment")
            entries.append({"office": "示范镇", "entry_date": start + timedelta(days=i * 365 * years // lines),
                            "kind": kind, "amount": Decimal(rng.randrange(500, 3000)) * (30 if kind == "allocation"
                                                                                          else 1),
                            "prepayment_id": (i % prepayments) + 1 if kind != "allocation" else None,
                            "note": "bench", "created_at": moment, "created_by": "bench"})
        conn.execute(insert(ReserveEntry), entries)


def best(fn, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def plan(db, stmt) -> str:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return "; ".join(r[-1] for r in rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--prepayments", type=int, default=50_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        t0 = time.perf_counter()
        fill(db, args.lines, args.prepayments, args.years, args.seed)
        print(f"filled {args.lines} lines, {args.prepayments} prepayments in {time.perf_counter() - t0:.1f} s")
        actor = Actor.cli()
        day = today()
        month = day.replace(day=1)
        some = list(range(1, 6))

        def run(fn):  # type: ignore[no-untyped-def]
            def inner() -> object:
                with UnitOfWork(db, actor, write=False) as uow:
                    return fn(uow)
            return inner

        cases = [
            ("balance (sum of every line)", run(lambda u: reserve.balance(u, "示范镇")),
             select(ReserveEntry.kind).where(ReserveEntry.office == "示范镇").group_by(ReserveEntry.kind)),
            ("opening balance of the month", run(lambda u: reserve.balance(u, "示范镇", before=month)),
             select(ReserveEntry.kind).where(ReserveEntry.office == "示范镇", ReserveEntry.entry_date < month)
             .group_by(ReserveEntry.kind)),
            ("report of the current month (opening + lines)", run(lambda u: reserve.ledger(u, month, day, "示范镇")),
             select(ReserveEntry.id).where(ReserveEntry.office == "示范镇", ReserveEntry.entry_date >= month,
                                           ReserveEntry.entry_date <= day).order_by(ReserveEntry.entry_date,
                                                                                    ReserveEntry.id)),
            ("ledger page (newest 100, running balance)", run(lambda u: reserve.recent_lines(u, office="示范镇")),
             select(ReserveEntry.id).where(ReserveEntry.office == "示范镇").order_by(ReserveEntry.id.desc())
             .limit(100)),
            ("prepayments of a household (5 people)", run(lambda u: reserve.prepayments_of(u, some)),
             select(Prepayment.id).where(Prepayment.person_id.in_(some)).order_by(Prepayment.id.desc())),
            ("once-a-year check", run(lambda u: reserve._earlier_same_cause(u, some, "fire", day)),
             select(Prepayment.id).where(Prepayment.person_id.in_(some), Prepayment.cause == "fire",
                                         Prepayment.status != "rejected", Prepayment.status != "returned",
                                         Prepayment.paid_on > day - timedelta(days=365))),
            ("paperwork overdue", run(lambda u: reserve.paperwork_overdue(u, day)),
             select(Prepayment.id).where(Prepayment.paperwork_done_at.is_(None), Prepayment.paperwork_due < day)),
            ("payments of one day", run(lambda u: reserve.payments_on(u, day - timedelta(days=30))),
             select(Prepayment.id).where(Prepayment.paid_on == day - timedelta(days=30))),
        ]
        print(f"| query | best of {args.rounds} | plan |")
        print("|---|---|---|")
        for name, fn, stmt in cases:
            print(f"| {name} | {best(fn, args.rounds):.1f} ms | {plan(db, stmt)} |")
        print(f"\nmachine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
