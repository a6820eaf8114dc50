"""A frozen clock and a small filled database for the referral and daily-review tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from window_desk import timeutil
from window_desk.actor import Actor
from window_desk.services import demo, settings, users
from window_desk.uow import UnitOfWork

DAY = date(2026, 11, 2)  # a Monday
PASSWORD = "window-pass-1"


@dataclass
class Clock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment

    def set(self, day: date, hour: int = 10, minute: int = 0) -> None:
        self.moment = datetime.combine(day, time(hour, minute), timeutil.TZ)

    def advance(self, **kw: float) -> None:
        self.moment += timedelta(**kw)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """China time frozen at DAY 10:00; every module that reads the clock sees it."""
    from window_desk import audit
    from window_desk.services import documents, intake

    c = Clock(datetime.combine(DAY, time(10, 0), timeutil.TZ))
    for module in (timeutil, audit, intake, documents, settings, users):
        monkeypatch.setattr(module, "now", c)
    yield c


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli()) as uow:
        admin = users.add_user(uow, "admin", "admin", PASSWORD, "王管理")
    with UnitOfWork(db, admin.actor()) as uow:
        clerk = users.add_user(uow, "zhang", "clerk", PASSWORD, "张窗口")
    with UnitOfWork(db, admin.actor()) as uow:
        supervisor = users.add_user(uow, "chen", "supervisor", PASSWORD, "陈审核")
    with UnitOfWork(db, admin.actor()) as uow:
        settings.update(uow, {"contact_phone": "0371-12345678"})
    return {"admin": admin, "clerk": clerk, "supervisor": supervisor}


@pytest.fixture
def filled(db, clock, people):  # type: ignore[no-untyped-def]
    """12 cases accepted on DAY by the clerk through submit_case, each with its referrals still out
    (demo-data's bulk path also makes receipts and closed cases, which these tests add themselves)."""
    from window_desk.services import intake
    from window_desk.services.policy_store import active_policy

    actor = people["clerk"].actor()
    numbers = []
    with UnitOfWork(db, actor, write=False) as uow:
        active = active_policy(uow)
    for payload in demo.payloads(12, 1, 11, DAY):
        with UnitOfWork(db, actor) as uow:
            numbers.append(intake.submit_case(uow, payload, active, "示范镇").number)
    return numbers
