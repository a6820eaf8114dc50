"""主动发现 lists read a page at a time: keyset pages add up to the whole list, in order, and the paged
queries use an index (EXPLAIN QUERY PLAN: no table scan, no sort of the whole table)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.services.test_discovery import CLERK, nid
from tests.sqlplans import sqlite_plans
from window_desk.errors import UserError
from window_desk.paths import resource
from window_desk.policy import parse_policy
from window_desk.services import (
    discovery,
    discovery_observation,
    discovery_roster,
    discovery_visits,
)
from window_desk.services.discovery import MemberIn
from window_desk.uow import UnitOfWork

DAY = date(2026, 11, 20)
SCAN = re.compile(r"\bSCAN (watch_households|watch_members|watch_visits|observation_entries|monitoring_entries)\b"
                  r"(?! USING (COVERING )?INDEX)")
TEMP_SORT = "USE TEMP B-TREE FOR ORDER BY"


@pytest.fixture
def filled(db, monkeypatch):  # type: ignore[no-untyped-def]
    for module in (discovery_roster, discovery_visits, discovery_observation):
        monkeypatch.setattr(module, "today", lambda: DAY)
    n = 0
    for village in ("青山村", "河东社区", "柳湾村"):
        for i in range(9):
            n += 1
            with UnitOfWork(db, CLERK) as uow:
                hid = discovery.add_household(uow, village, [MemberIn(f"王{n}", nid(n))], "独居老人",
                                              since="2026-09-01")
            if i % 3 == 0:
                with UnitOfWork(db, CLERK) as uow:
                    discovery.record_visit(uow, hid, "2026-11-02", "刘协理", True, living="尚可")
            if i == 8:
                with UnitOfWork(db, CLERK) as uow:
                    discovery.set_status(uow, hid, "removed", "迁出", on="2026-10-15")
    with UnitOfWork(db, CLERK, write=False) as uow:
        heads = [e.head_person_id for e in discovery.roster(uow)]
    for k, pid in enumerate(heads[:12]):
        with UnitOfWork(db, CLERK) as uow:
            discovery.place_on_observation(uow, pid, "收入略高", review_date=f"2027-0{1 + k % 3}-10")
        with UnitOfWork(db, CLERK) as uow:
            discovery.add_monitoring(uow, pid, "rural", 2, Decimal(600 + 10 * k), "2026-06-01")
    return db


def _pages(fetch: Any, key: Any, size: int) -> list[Any]:
    out: list[Any] = []
    while True:
        page = fetch(key(out[-1]) if out else None, size)
        assert len(page) <= size
        out.extend(page)
        if len(page) < size:
            return out


def test_pages_add_up_to_the_whole_list_in_order(filled) -> None:  # type: ignore[no-untyped-def]
    policy = parse_policy(resource("policy", "default.toml").read_text(encoding="utf-8"), "default.toml")
    with UnitOfWork(filled, CLERK, write=False) as uow:
        whole = [e.id for e in discovery.roster(uow)]
        for size in (1, 4, 27, 100):
            paged = _pages(lambda a, n: discovery.roster_page(uow, after=a, limit=n), lambda e: (e.village, e.id), size)
            assert [e.id for e in paged] == whole
        village = _pages(lambda a, n: discovery.roster_page(uow, "青山村", status="watching", after=a, limit=n),
                         lambda e: (e.village, e.id), 2)
        assert [e.id for e in village] == [e.id for e in discovery.roster(uow, "青山村", status="watching")]
        assert len(village) == 8 and all(len(e.members) == 1 for e in village)
        due = [(d.watch_household_id, d.state) for d in discovery.due_visits(uow, 2026, 11, on=DAY)]
        paged_due = _pages(lambda a, n: discovery.due_page(uow, 2026, 11, after=a, limit=n, on=DAY),
                           lambda d: (d.village, d.watch_household_id), 5)
        assert [(d.watch_household_id, d.state) for d in paged_due] == due and len(due) == 24  # removed ones left
        october = _pages(lambda a, n: discovery.due_page(uow, 2026, 10, village="柳湾村", after=a, limit=n),
                         lambda d: (d.village, d.watch_household_id), 3)
        assert len(october) == 8  # removed in the middle of October: leaving lifts that month too
        obs = _pages(lambda a, n: discovery.observation_page(uow, after=a, limit=n), lambda o: (o.review_date, o.id), 5)
        assert [o.id for o in obs] == [o.id for o in discovery.observation_list(uow)] and len(obs) == 12
        assert [o.review_date for o in obs] == sorted(o.review_date for o in obs)
        mon = _pages(lambda a, n: discovery.monitoring_page(uow, policy, DAY, after=a, limit=n),
                     lambda m: m.entry_id, 5)
        assert [m.entry_id for m in mon] == [m.entry_id for m in discovery.monitoring_warnings(uow, policy, DAY)]
        assert len(mon) == 12 and any(m.state == "below_dibao" for m in mon)
        with pytest.raises(UserError, match="每页行数"):
            discovery.roster_page(uow, limit=0)


def test_the_paged_queries_use_an_index(filled) -> None:  # type: ignore[no-untyped-def]
    if filled.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    policy = parse_policy(resource("policy", "default.toml").read_text(encoding="utf-8"), "default.toml")

    def read() -> None:
        with UnitOfWork(filled, CLERK, write=False) as uow:
            discovery.roster_page(uow, limit=10)
            discovery.roster_page(uow, after=("河东社区", 5), limit=10)
            discovery.roster_page(uow, "青山村", after=("青山村", 3), limit=10)
            discovery.roster_page(uow, "青山村", status="watching", after=("青山村", 3), limit=10)
            discovery.due_page(uow, 2026, 11, village="柳湾村", after=("柳湾村", 20), limit=10, on=DAY)
            discovery.due_page(uow, 2026, 11, after=("河东社区", 12), limit=10, on=DAY)
            discovery.observation_page(uow, after=(date(2027, 1, 10), 3), limit=10)
            discovery.monitoring_page(uow, policy, DAY, after=4, limit=10)

    plans = sqlite_plans(filled, read)
    assert len(plans) == 14  # roster and due pages: rows, then members or visits; the lists: one query
    for statement, plan in plans:
        assert not SCAN.search(plan), f"{statement}\n{plan}"
        if "LIMIT" in statement:  # the page itself comes in index order; its members or visits are one page
            assert TEMP_SORT not in plan, f"{statement}\n{plan}"
    joined = "\n".join(p for _, p in plans)
    for index in ("ix_watch_households_village_id", "ix_watch_households_village_status",
                  "ix_observation_entries_status_review", "ix_monitoring_entries_status",
                  "ix_watch_visits_household_date"):
        assert index in joined, joined


def test_the_history_lookup_reads_by_person(filled) -> None:  # type: ignore[no-untyped-def]
    if filled.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")

    def read() -> None:
        with UnitOfWork(filled, CLERK, write=False) as uow:
            assert [s.id_number for s in discovery.roster_status_of(uow, [nid(2), nid(40)])] == [nid(2)]

    plans = sqlite_plans(filled, read)
    joined = "\n".join(p for _, p in plans)
    assert not SCAN.search(joined), joined
    for index in ("ix_watch_members_person_id", "ix_observation_entries_person_id", "ix_monitoring_entries_person_id"):
        assert index in joined, joined
    assert "(status=?)" not in joined, joined  # not every open entry by the status index


@pytest.mark.parametrize(("month", "on"), [(10, DAY), (11, DAY), (11, date(2026, 12, 1))])
def test_the_monthly_report_counts_as_the_due_list_does(filled, month: int, on: date) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(filled, CLERK) as uow:
        hid = discovery.roster(uow, "河东社区")[1].id
        discovery.record_visit(uow, hid, "2026-11-03", "刘协理", False, action="不在家")  # unseen only
    with UnitOfWork(filled, CLERK, write=False) as uow:
        due = discovery.due_visits(uow, 2026, month, on=on)
        report = {r.village: r for r in discovery.monthly_report(uow, 2026, month, on=on)}
    assert set(report) == {"青山村", "河东社区", "柳湾村"}
    for village, r in report.items():
        states = [d.state for d in due if d.village == village]
        assert (r.due, r.done, r.unseen, r.overdue) == (len(states), states.count("done"), states.count("unseen"),
                                                        states.count("overdue")), village
    assert sum(r.unseen for r in report.values()) == (1 if (month, on) == (11, DAY) else 0)
