"""Reproducible synthetic households for demos and benchmarks (``window-desk demo-data``).

The same seed gives the same people, households and cases, so benchmark figures
can be compared across machines and versions. Every case goes through the real
``submit_case`` (assessment, overrides, referrals, audit), not around it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from window_desk import idnumber
from window_desk.services import intake

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯婷雪慧建国志强文博淑珍桂芝"
# 生僻字 appear now and then, as they do at a real window.
RARE = ["䶮", "堃", "喆", "赟", "犇", "龑", "𠈌", "𡒄", "𣲗", "𨭉", "𪚥"]
REGIONS = ["110105", "110108", "320102", "330106", "420102", "440305", "510104", "610113", "230102", "530102"]
STREETS = ["幸福路", "建设街", "人民路", "解放路", "和平里", "胜利街", "新华路", "光明巷"]
MATTERS = ["申请最低生活保障", "申请特困人员救助供养", "因病申请临时救助", "申请低收入家庭认定", "因灾申请临时救助",
           "申请医疗救助", "申请教育救助"]


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    if rng.random() < 0.03:
        given = rng.choice(RARE) + given[:1]
    return rng.choice(SURNAMES) + given


def _id_number(rng: random.Random, birth: date, sex: str, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 100)
        order = rng.randrange(0, 5) * 2 + (1 if sex == "男" else 0)
        body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:02d}{order}"
        number = body + idnumber.check_char(body)
        if number not in used:
            used.add(number)
            return number


def _birth(rng: random.Random, on: date, age_from: int, age_to: int) -> date:
    return on - timedelta(days=rng.randrange(age_from * 365 + 1, age_to * 365 + 300))


def _member(rng: random.Random, relation: str, birth: date, on: date, used: set[str]) -> dict[str, Any]:
    age = idnumber.age_on(birth, on)
    sex = rng.choice(("男", "女"))
    m = intake.blank_member(relation)
    m["name"] = _name(rng)
    m["id_number"] = _id_number(rng, birth, sex, used)
    m["signed"] = True
    if age < 16:
        m["labor_capacity"] = "none"
        m["schooling"] = "compulsory" if age >= 6 else "preschool"
        m["supporter_capable"] = rng.random() < 0.8
    elif age >= 60:
        m["labor_capacity"] = rng.choice(("none", "partial"))
        m["health"] = rng.choice(("healthy", "chronic", "chronic", "serious"))
        m["self_care"] = rng.choice(("full", "full", "partial", "none"))
        m["supporter_capable"] = rng.random() < 0.5
    else:
        m["labor_capacity"] = rng.choice(("full", "full", "full", "partial", "none"))
        m["health"] = rng.choice(("healthy", "healthy", "chronic", "serious"))
        if m["labor_capacity"] != "none" and rng.random() < 0.55:
            m["employed"] = True
            m["income"]["wage"] = f"{rng.randrange(300, 3200)}.00"
        m["supporter_capable"] = True
    if rng.random() < 0.08:
        m["disability"] = {"grade": rng.choice((1, 2, 3, 4)), "kind": rng.choice(("physical", "visual", "intellectual"))}
    if rng.random() < 0.2:
        m["income"]["transfer"] = f"{rng.randrange(50, 600)}.00"
    return m


def household(rng: random.Random, on: date, used: set[str]) -> dict[str, Any]:
    """One intake payload dated ``on``."""
    p = intake.blank_payload(on)
    p["area"] = rng.choice(("urban", "rural"))
    p["address"] = f"示范镇{rng.choice(STREETS)}{rng.randrange(1, 300)}号"
    p["phone"] = f"13{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}"
    p["matter"] = rng.choice(MATTERS)
    shape = rng.random()
    members = [_member(rng, "self", _birth(rng, on, 61, 88) if shape < 0.3 else _birth(rng, on, 25, 58), on, used)]
    if shape >= 0.3:
        if rng.random() < 0.7:
            members.append(_member(rng, "spouse", _birth(rng, on, 25, 58), on, used))
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            members.append(_member(rng, "child", _birth(rng, on, 1, 17), on, used))
        if rng.random() < 0.2:
            members.append(_member(rng, "parent", _birth(rng, on, 61, 85), on, used))
    p["members"] = members
    p["assets"]["deposits"] = f"{rng.choice((0, 0, 500, 3000, 12000, 60000))}.00"
    if rng.random() < 0.3:
        p["rigid_expenses"]["medical"] = f"{rng.randrange(200, 4000)}.00"
    if rng.random() < 0.1:
        p["events"] = [rng.choice(("disaster", "accident", "serious_illness", "fire"))]
    if rng.random() < 0.05:
        p["housing"] = rng.choice(("none", "dangerous"))
    return p


def payloads(n: int, days: int, seed: int, end: date) -> Iterator[dict[str, Any]]:
    """``n`` households spread over the ``days`` days ending at ``end``, oldest first."""
    rng = random.Random(seed)
    used: set[str] = set()
    dates = sorted(end - timedelta(days=rng.randrange(0, max(days, 1))) for _ in range(n))
    for day in dates:
        yield household(rng, day, used)


def fill(db: Any, actor: Any, n: int, days: int, seed: int, end: date, office: str,
         progress: Any = None) -> list[str]:
    """Accept ``n`` synthetic cases through ``submit_case``; returns their numbers."""
    from window_desk.services.policy_store import active_policy
    from window_desk.uow import UnitOfWork

    numbers: list[str] = []
    with UnitOfWork(db, actor, write=False) as uow:
        active = active_policy(uow)
    for i, payload in enumerate(payloads(n, days, seed, end)):
        with UnitOfWork(db, actor) as uow:
            numbers.append(intake.submit_case(uow, payload, active, office).number)
        if progress is not None:
            progress(i + 1)
    __import__("window_desk.services.demo_reserve").services.demo_reserve.fill(db, actor, numbers, seed, end, days)
    __import__("window_desk.services.demo_discovery").services.demo_discovery.fill(db, actor, seed, end)
    return numbers
