"""demo-data for 主动发现: assistants and an information group, watch rosters for three villages, last
month's and this month's visits (some overdue, some unseen), observation entries and monitoring rows.

Reproducible from the seed; everything goes through the discovery service (audited like a clerk's work).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from window_desk.services import demo_people, discovery
from window_desk.uow import UnitOfWork

VILLAGES = ("青山村", "河东社区", "柳湾村")
REASONS = ("独居老人，子女在外地", "重病患者，医疗支出大", "重度残疾，缺少照料", "单亲家庭，收入不稳定",
           "低保边缘户", "留守儿童由祖父母照顾")
LIVING = ("基本生活有保障", "住房简陋，冬季取暖困难", "靠亲属接济", "身体状况较上月变差")


def fill(db: Any, actor: Any, seed: int, end: date, households_per_village: int = 6, *, sync: bool = True) -> list[int]:
    """The villages' rosters, visits and leads; with ``sync``, the cases' observation and monitoring lists too
    (``discovery.sync_from_cases``, a page of cases at a time: demo.fill leaves it to the desk on a
    county-sized register)."""
    rng = random.Random(f"discovery:{seed}")
    used: set[str] = set()
    ids: list[int] = []
    with UnitOfWork(db, actor) as uow:
        assistants = {v: discovery.add_staff(uow, "assistant", demo_people._name(rng), village=v, sex=rng.choice("男女"),
                                             post="社会救助协理员", phone=f"139{rng.randrange(10**8):08d}",
                                             since=end - timedelta(days=400)) for v in VILLAGES}
    with UnitOfWork(db, actor) as uow:
        for post in ("组长", "成员", "成员"):
            discovery.add_staff(uow, "info_group", demo_people._name(rng), village="民政办", post=post,
                                phone=f"138{rng.randrange(10**8):08d}")
    last_month_end = end.replace(day=1) - timedelta(days=1)
    since = (last_month_end.replace(day=1) - timedelta(days=60))
    for village in VILLAGES:
        for _ in range(households_per_village):
            birth = demo_people._birth(rng, end, 45, 88)
            members = [discovery.MemberIn(demo_people._name(rng), demo_people._id_number(rng, birth, rng.choice(("男", "女")), used))]
            if rng.random() < 0.5:
                cb = demo_people._birth(rng, end, 8, 40)
                members.append(discovery.MemberIn(demo_people._name(rng), demo_people._id_number(rng, cb, "女", used), "child"))
            with UnitOfWork(db, actor) as uow:
                ids.append(discovery.add_household(
                    uow, village, members, rng.choice(REASONS), since=since, assistant_id=assistants[village].id,
                    address=f"{village}{rng.randrange(1, 12)}组{rng.randrange(1, 60)}号"))
    for i, hid in enumerate(ids):
        visitor = assistants[VILLAGES[i // households_per_village]].name
        # last month: most seen, some unseen only (overdue), some not visited at all (overdue)
        roll = rng.random()
        with UnitOfWork(db, actor) as uow:
            if roll < 0.7:
                discovery.record_visit(uow, hid, last_month_end - timedelta(days=rng.randrange(0, 20)), visitor, True,
                                       living=rng.choice(LIVING), action="继续关注")
            elif roll < 0.85:
                discovery.record_visit(uow, hid, last_month_end - timedelta(days=rng.randrange(0, 20)), visitor, False,
                                       action="家中无人，邻居称外出就医，下周再访")
        if end.day > 3 and rng.random() < 0.5:
            with UnitOfWork(db, actor) as uow:
                seen = rng.random() < 0.8
                visit = discovery.record_visit(
                    uow, hid, end - timedelta(days=rng.randrange(0, min(end.day - 1, 10))), visitor, seen,
                    living=rng.choice(LIVING) if seen else "",
                    needs="冬季取暖困难，申请临时救助" if seen and rng.random() < 0.3 else "",
                    action="已告知可申请临时救助" if seen else "未见本人，三日内再访")
            if visit.needs:
                with UnitOfWork(db, actor) as uow:
                    discovery.raise_lead(uow, visit.id, visit.needs)
    if sync:
        with UnitOfWork(db, actor) as uow:
            discovery.sync_from_cases(uow)
    with UnitOfWork(db, actor) as uow:
        heads = [e.head_person_id for e in discovery.roster(uow, with_members=False)]
    for person_id in heads[:3]:
        with UnitOfWork(db, actor) as uow:
            discovery.place_on_observation(uow, person_id, "人均收入略高于低保标准，但长期患病，生活确有困难")
    return ids
