"""The 首问登记 queries over a big table, and what recording one inquiry costs.

A fresh SQLite database gets ``--rows`` synthetic inquiries (bulk-inserted, not timed; a third with a
person behind an ID number, 8 % 急难, 99 % closed (2,000 open: a long backlog)) spread over ``--days`` days. Then, each repeated
``--repeat`` times and the median reported: the page's first page of "今日及未办结", the pinned open
急难 rows, search by name prefix / phone prefix / full ID number, ``overdue_open`` and the count; and
``inquiries.create`` through the real service (one transaction with its audit entry). The query plan
of every query is printed so a table scan would show.

    .venv/bin/python benchmarks/bench_inquiries.py [--rows 200000] [--days 365] [--repeat 15]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.db.models import Inquiry, Person
from window_desk.idnumber import check_char
from window_desk.services import inquiries
from window_desk.services.inquiries import InquiryFilter
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚"


def _fill(db, rows: int, days: int, seed: int) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    moment = now()
    people, inqs = [], []
    for i in range(rows):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        person_id = None
        if i % 3 == 0:
            person_id = len(people) + 1
            birth = date(1940, 1, 1) + timedelta(days=person_id // 1000)
            body = f"110105{birth:%Y%m%d}{person_id % 1000:03d}"
            people.append({"id": person_id, "id_number": body + check_char(body), "name": name, "name_initials": "",
                           "created_at": moment, "created_by": "bench"})
        received = moment - timedelta(minutes=rng.randrange(1, days * 24 * 60))
        closed = rng.random() < 0.99
        inqs.append({
            "received_at": received, "channel": rng.choice(list(inquiries.CHANNELS)), "visitor_name": name,
            "visitor_phone": f"13{rng.randrange(0, 10**9):09d}", "visitor_address": "示范镇", "visitor_person_id": person_id,
            "matter": "咨询低保", "materials": [], "urgent": rng.random() < 0.08, "first_responder": "张窗口",
            "handled_by": "张窗口", "outcome": "answered" if closed else None, "outcome_note": "",
            "status": "closed" if closed else "open", "due_date": (received + timedelta(days=7)).date(),
            "department": "", "missing_items": [], "created_at": received, "created_by": "bench",
        })
    with db.engine.begin() as conn:
        if people:
            conn.execute(insert(Person), people)
        for start in range(0, len(inqs), 20_000):
            conn.execute(insert(Inquiry), inqs[start:start + 20_000])
    sample = inqs[len(inqs) // 2]
    return sample["visitor_name"][:1], sample["visitor_phone"][:6], people[len(people) // 2]["id_number"]


def _median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp())
    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    actor = Actor(label="bench", role="clerk", display_name="张窗口")
    t0 = time.perf_counter()
    name, phone, id_number = _fill(db, args.rows, args.days, args.seed)
    print(f"filled {args.rows} inquiries in {time.perf_counter() - t0:.1f} s (not part of the figures)")
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))

    queries = {
        "first page of 今日及未办结 (200 rows)": lambda uow: inquiries.find(uow, InquiryFilter(today_and_open=True),
                                                                      exclude_pinned=True),
        "pinned open 急难": lambda uow: inquiries.pinned(uow, InquiryFilter(today_and_open=True)),
        f"search name prefix “{name}” (200 rows)": lambda uow: inquiries.find(uow, InquiryFilter(query=name)),
        f"search phone prefix {phone}": lambda uow: inquiries.find(uow, InquiryFilter(query=phone)),
        "search full ID number": lambda uow: inquiries.find(uow, InquiryFilter(query=id_number)),
        "overdue_open (all, up to 1000)": lambda uow: inquiries.overdue_open(uow),
        "count of 今日及未办结": lambda uow: inquiries.count(uow, InquiryFilter(today_and_open=True)),
    }
    print(f"machine: {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}, "
          f"SQLite {__import__('sqlite3').sqlite_version}")
    print("| query | median ms | rows |")
    print("|---|---|---|")
    with UnitOfWork(db, actor, write=False) as uow:
        for label, fn in queries.items():
            got = fn(uow)
            ms = _median_ms(lambda fn=fn: fn(uow), args.repeat)
            print(f"| {label} | {ms:.2f} | {got if isinstance(got, int) else len(got)} |")
        moment = now()
        plans = {
            "name": inquiries._filtered(uow, InquiryFilter(query=name), moment, 24).order_by(Inquiry.id.desc()).limit(200),
            "phone": inquiries._filtered(uow, InquiryFilter(query=phone), moment, 24),
            "id": inquiries._filtered(uow, InquiryFilter(query=id_number), moment, 24),
            "today_and_open": inquiries._filtered(uow, InquiryFilter(today_and_open=True), moment, 24)
            .order_by(Inquiry.id.desc()).limit(200),
            "overdue": inquiries.overdue_statement(moment, 24).limit(1000),
            "pinned": inquiries._filtered(uow, InquiryFilter(today_and_open=True), moment, 24)
            .where(Inquiry.status == "open", Inquiry.urgent.is_(True)).order_by(Inquiry.received_at).limit(500),
        }
        for label, stmt in plans.items():
            compiled = stmt.compile(uow.session.get_bind(), compile_kwargs={"literal_binds": True})
            plan = "; ".join(r[-1] for r in uow.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            print(f"plan {label}: {plan}")

    def record() -> None:
        with UnitOfWork(db, actor) as uow:
            inquiries.create(uow, inquiries.NewInquiry(channel="window", matter="咨询低保申请条件",
                                                       visitor=inquiries.Visitor("王䶮", "", "13812345678", "示范镇")))

    print(f"| inquiries.create (one transaction + audit entry) | {_median_ms(record, args.repeat * 4):.2f} | 1 |")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
