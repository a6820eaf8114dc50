"""Reproducible synthetic first inquiries for demos and benchmarks (called by ``demo.fill``).

Every inquiry goes through the real services (create, handoff, close, reopen), so
the audit chain and the overdue rules see what a real day produces. The seed gives
the same inquiries; the random stream is separate from the cases', so adding
inquiries changes no demo case.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from window_desk.services import demo_people, inquiries
from window_desk.timeutil import TZ, now

HOTLINE = ("phone_12345", "phone_12349")
MATTERS = ["咨询低保申请条件", "家中失火，生活无着，求助临时救助", "老人独居无人照料，咨询特困供养",
           "孩子上学费用困难，咨询教育救助", "住院费用无力承担，咨询医疗救助", "房屋漏雨成危房，求助住房救助",
           "失业在家，咨询就业帮扶", "残疾人两项补贴怎么申请", "路边发现流浪人员", "咨询低保年审材料"]
COLLEAGUES = ["李受理", "周站长", "赵协理", "钱民政", "孙社工"]
DEPARTMENTS = ["区医保局", "区教体局", "区住建局", "区人社局", "区残联", "救助管理站"]
MISSING = ["户口簿", "医疗费用票据", "残疾人证", "学生在读证明", "房屋鉴定报告", "银行卡复印件"]


def _visitor(rng: random.Random, on: date, used: set[str]) -> inquiries.Visitor:
    name = demo_people._name(rng)
    id_number = ""
    if rng.random() < 0.6:
        sex = rng.choice(("男", "女"))
        id_number = demo_people._id_number(rng, demo_people._birth(rng, on, 20, 85), sex, used)
    phone = f"13{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}" if rng.random() < 0.9 else ""
    return inquiries.Visitor(name, id_number, phone, f"示范镇{rng.choice(demo_people.STREETS)}{rng.randrange(1, 300)}号")


def fill(db: Any, actor: Any, n: int, days: int, seed: int, end: date,
         clock: Callable[[datetime], None] | None = None) -> list[int]:
    """``n`` inquiries over the ``days`` days ending at ``end``, most of them handed on and closed,
    a few reopened, some left open (急难 among them). ``clock`` (tests) is told each moment first."""
    from window_desk.uow import UnitOfWork

    rng = random.Random(f"inquiries:{seed}")
    used: set[str] = set()
    latest = now() - timedelta(minutes=1) if clock is None else None
    moments = []
    for _ in range(n):
        day = end - timedelta(days=rng.randrange(0, max(days, 1)))
        moment = datetime(day.year, day.month, day.day, 8, 30, tzinfo=TZ) + timedelta(minutes=rng.randrange(0, 9 * 60))
        if latest is not None and moment > latest:
            moment -= timedelta(days=1)  # later today than now: the same hour yesterday instead
        moments.append(moment)
    created: list[int] = []
    for received in sorted(moments):
        def at(minutes: int) -> None:
            if clock is not None:
                clock(received + timedelta(minutes=minutes))

        at(0)
        hotline = rng.random() < 0.25
        new = inquiries.NewInquiry(
            channel=rng.choice(HOTLINE) if hotline else rng.choice(list(inquiries.CHANNELS)),
            matter=rng.choice(MATTERS), visitor=_visitor(rng, received.date(), used),
            materials=("居民身份证",) if rng.random() < 0.5 else (), urgent=rng.random() < 0.15,
            received_at=received, first_responder=rng.choice(["", "", "", "李前台（党政办）"]),
            work_order_no=f"GD{received:%Y%m%d}{len(created):05d}" if hotline else "",
        )
        with UnitOfWork(db, actor) as uow:
            inquiry_id = inquiries.create(uow, new)
        created.append(inquiry_id)
        fate = rng.random()
        if fate < 0.15:
            continue  # still open
        if rng.random() < 0.4:
            at(5)
            with UnitOfWork(db, actor) as uow:
                inquiries.handoff(uow, inquiry_id, rng.choice(COLLEAGUES), "转窗口办理")
        at(12)
        _close(db, actor, rng, inquiry_id)
        if fate > 0.95:
            at(60)
            with UnitOfWork(db, actor) as uow:
                inquiries.reopen(uow, inquiry_id, "来访人再次来电补充情况")
            at(70)
            _close(db, actor, rng, inquiry_id)
    return created


def _close(db: Any, actor: Any, rng: random.Random, inquiry_id: int) -> None:
    from window_desk.uow import UnitOfWork

    outcome = rng.choice(list(inquiries.OUTCOMES))
    kw: dict[str, Any] = {}
    if outcome == "one_time_notice":
        kw["missing"] = rng.sample(MISSING, rng.randrange(1, 3))
    elif outcome == "to_department":
        kw["department"] = rng.choice(DEPARTMENTS)
    elif outcome == "answered":
        kw["answer"] = "已当面告知申请条件、所需材料和办理时限"
    with UnitOfWork(db, actor) as uow:
        inquiries.close(uow, inquiry_id, outcome, **kw)
