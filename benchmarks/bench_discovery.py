"""主动发现's paged lists on a big roster: the first and a deep page of the roster, a month's due visits,
the observation and monitoring lists, and the 受理 history panel's lookup.

Fills a fresh SQLite database (a temporary folder) with ``--households`` watched households over
``--villages`` villages, one member each, a visit a month for the last ``--months`` months (some unseen),
an observation entry and a monitoring entry for every tenth household (bulk inserts, not timed), then
times each read the page makes (best of ``--rounds``, each in its own read-only unit of work) and prints
its EXPLAIN QUERY PLAN, so a missing index shows as a SCAN. The whole village read (the exports' and
visit sheets' ``roster``) is timed for comparison.

    .venv/bin/python benchmarks/bench_discovery.py [--households 50000] [--villages 50] [--months 3] [--rounds 5]
"""

from __future__ import annotations

import argparse
import platform
import random
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.db.models import MonitoringEntry, ObservationEntry, Person, WatchHousehold, WatchMember, WatchVisit
from window_desk.policy import default_policy
from window_desk.services import discovery
from window_desk.timeutil import now, today
from window_desk.uow import UnitOfWork

PAGE = 100


def fill(db: Any, households: int, villages: int, months: int, seed: int) -> None:
    rng = random.Random(seed)
    moment, day = now(), today()
    start = (day.replace(day=1) - timedelta(days=31 * months)).replace(day=1)
    with db.engine.begin() as conn:
        conn.execute(insert(Person), [
            {"id": i, "id_number": f"W{i:017d}", "name": f"户主{i}", "name_initials": "hz", "created_at": moment,
             "created_by": "bench"} for i in range(1, households + 1)])
        conn.execute(insert(WatchHousehold), [
            {"id": i, "village": f"村{i % villages:03d}", "address": "", "phone": "", "reason": "bench",
             "assistant_id": None, "since": start, "status": "watching" if i % 17 else "removed", "status_reason": "",
             "status_on": None if i % 17 else start + timedelta(days=40), "head_person_id": i, "created_at": moment,
             "created_by": "bench"} for i in range(1, households + 1)])
        conn.execute(insert(WatchMember), [
            {"watch_household_id": i, "person_id": i, "seq": 1, "relation": "self"} for i in range(1, households + 1)])
        visits = []
        for i in range(1, households + 1):
            for m in range(months):
                when = start + timedelta(days=31 * m + rng.randrange(0, 25))
                if when <= day and rng.random() < 0.9:
                    visits.append({"watch_household_id": i, "visit_date": when, "visitor": "协理员",
                                   "assistant_id": None, "seen": rng.random() < 0.85, "living": "尚可", "needs": "",
                                   "action": "继续关注", "inquiry_id": None, "created_at": moment,
                                   "created_by": "bench"})
        conn.execute(insert(WatchVisit), visits)
        conn.execute(insert(ObservationEntry), [
            {"person_id": i, "case_id": None, "watch_household_id": i, "reason": "bench", "placed_on": start,
             "review_date": start + timedelta(days=rng.randrange(30, 200)), "status": "open", "closed_reason": "",
             "created_at": moment, "created_by": "bench"} for i in range(1, households + 1, 10)])
        conn.execute(insert(MonitoringEntry), [
            {"person_id": i, "case_id": None, "area": "rural", "household_size": 2,
             "per_capita_income": Decimal(rng.randrange(500, 1500)), "assessed_on": start,
             "recheck_date": start + timedelta(days=365), "status": "active", "closed_reason": "",
             "created_at": moment, "created_by": "bench"} for i in range(1, households + 1, 10)])


def best(db: Any, fn: Callable[[Any], Any], rounds: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            n = len(fn(uow))
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), n


def plans(db: Any, fn: Callable[[Any], Any]) -> list[str]:
    seen: list[tuple[str, Any]] = []

    def grab(_c, _cur, statement, params, _ctx, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            fn(uow)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    out = []
    with db.engine.connect() as conn:
        for statement, params in seen:
            if statement.lstrip().upper().startswith("SELECT"):
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
                out.append(" / ".join(r[-1] for r in rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--villages", type=int, default=50)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-discovery-"))
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    t0 = time.perf_counter()
    fill(db, args.households, args.villages, args.months, args.seed)
    print(f"filled {args.households} households in {time.perf_counter() - t0:.1f} s ({folder})")
    policy = default_policy()
    day = today()
    mid = args.households // 2
    village = "村007"
    people_of = lambda uow: {p.id: p for p in uow.session.query(Person).filter(Person.id.in_([mid, mid + 1]))}  # noqa: E731
    cases: list[tuple[str, Callable[[Any], Any]]] = [
        ("roster, first page (all villages)", lambda uow: discovery.roster_page(uow, limit=PAGE)),
        ("roster, a deep page (all villages)", lambda uow: discovery.roster_page(uow, after=("村025", mid), limit=PAGE)),
        ("roster, a village's page (watching)", lambda uow: discovery.roster_page(
            uow, village, status="watching", after=(village, mid), limit=PAGE)),
        ("due visits, a village's page", lambda uow: discovery.due_page(
            uow, day.year, day.month, village=village, after=(village, mid), limit=PAGE)),
        ("observation list, a page", lambda uow: discovery.observation_page(
            uow, after=(day - timedelta(days=10), mid), limit=PAGE)),
        ("monitoring list, a page with warnings", lambda uow: discovery.monitoring_page(
            uow, policy, day, after=args.households // 20, limit=PAGE)),
        ("history panel, two people", lambda uow: discovery.history_items(uow, people_of(uow), 200)),
        ("whole village roster (exports)", lambda uow: discovery.roster(uow, village)),
        ("monthly report, every village", lambda uow: discovery.monthly_report(uow, day.year, day.month)),
        ("whole village due visits (visit sheets)", lambda uow: discovery.due_visits(uow, day.year, day.month,
                                                                              village=village)),
    ]
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print("| read | rows | best of %d | plan |" % args.rounds)
    print("|---|---|---|---|")
    for label, fn in cases:
        ms, n = best(db, fn, args.rounds)
        plan = plans(db, fn)
        print(f"| {label} | {n} | {ms:.1f} ms | {plan[-1] if len(plan) == 1 else ' ;; '.join(plan)} |")
    db.dispose()


if __name__ == "__main__":
    main()
