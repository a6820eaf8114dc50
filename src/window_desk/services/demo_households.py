"""The synthetic households of ``demo-data`` (reproducible from the seed) and their assessment input made
without re-validation (``fast_input``), with the pinyin initials of generated names. Re-exported by
``services.demo``, which writes them in bulk."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from window_desk import idnumber
from window_desk.assessment import Assets as AAssets
from window_desk.assessment import Disability as ADisability
from window_desk.assessment import Household as AHousehold
from window_desk.assessment import Income as AIncome
from window_desk.assessment import Member as AMember
from window_desk.assessment import RigidExpenses as ARigid
from window_desk.services import intake
from window_desk.services.demo_people import STREETS, _birth, _id_number, _name
from window_desk.services.persons import name_initials

MATTERS = ["申请最低生活保障", "申请特困人员救助供养", "因病申请临时救助", "申请低收入家庭认定", "因灾申请临时救助",
           "申请医疗救助", "申请教育救助"]


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
    _guardians(p, on)  # minors sign through the applicant, as at the window
    return p


_GUARDIAN_RELATION = {"child": "parent", "grandchild": "grandparent", "spouse": "spouse", "parent": "child",
                      "sibling": "sibling"}


def _guardians(p: dict[str, Any], on: date) -> None:
    """``intake.default_guardians`` for a generated payload, whose numbers are valid by construction: the
    age read from the number without checking it again (a test holds the two equal)."""
    applicant = p["members"][0]
    for m in p["members"][1:]:
        number = m["id_number"]
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if idnumber.age_on(birth, on) < intake.MINOR_AGE and not intake.guardian_of(m)["name"]:
            m["guardian"] = {"name": applicant["name"], "relation": _GUARDIAN_RELATION.get(m["relation"], "other"),
                             "id_number": applicant["id_number"], "auto": True}


def payloads(n: int, days: int, seed: int, end: date) -> Iterator[dict[str, Any]]:
    """``n`` households spread over the ``days`` days ending at ``end``, oldest first."""
    rng = random.Random(seed)
    used: set[str] = set()
    dates = sorted(end - timedelta(days=rng.randrange(0, max(days, 1))) for _ in range(n))
    for day in dates:
        yield household(rng, day, used)


_CHAR_INITIALS: dict[str, str] = {}


def initials_of(name: str) -> str:
    """``persons.name_initials`` of a generated name, from a table of each character's initial built once:
    the pools' names are single characters put together, and their initials are the characters' initials
    joined (a test holds this equal to ``name_initials`` for every pair the generator can make)."""
    table = _CHAR_INITIALS
    try:
        return "".join([table[c] for c in name])
    except KeyError:
        for c in name:
            if c not in table:
                table[c] = name_initials(c)
        return "".join([table[c] for c in name])


_MONEY: dict[str, Decimal] = {}


def _money(text_value: str) -> Decimal:
    value = _MONEY.get(text_value)
    if value is None:
        value = _MONEY[text_value] = Decimal(text_value).quantize(Decimal("0.01"))
    return value


def fast_input(payload: dict[str, Any]) -> tuple[dict[str, Any], AHousehold]:
    """``json_ready(assessment_input(payload))`` and ``household_from_json`` of it, for payloads made here.

    Made here means valid by construction (checked ID numbers, known codes), so the validation of
    ``household_from_json`` is skipped; a test holds both equal to the validated path."""
    members_json = []
    members = []
    for m in payload["members"]:
        income = {f: m["income"][f] for f in intake.INCOME_FIELDS}
        members_json.append({"id_number": m["id_number"], "name": m["name"], "relation": m["relation"],
                             "labor_capacity": m["labor_capacity"], "self_care": m["self_care"],
                             "disability": m["disability"], "health": m["health"], "schooling": m["schooling"],
                             "employed": m["employed"], "income": income,
                             "supporter_capable": m["supporter_capable"]})
        disability = m["disability"]
        members.append(AMember(
            id_number=m["id_number"], name=m["name"], relation=m["relation"], labor_capacity=m["labor_capacity"],
            self_care=m["self_care"], disability=ADisability(disability["grade"], disability["kind"]) if disability else None,
            health=m["health"], schooling=m["schooling"], employed=m["employed"],
            income=AIncome(**{f: _money(v) for f, v in income.items()}), supporter_capable=m["supporter_capable"],
            birth_date=date(int(m["id_number"][6:10]), int(m["id_number"][10:12]), int(m["id_number"][12:14])),
        ))
    assets = payload["assets"]
    rigid = payload["rigid_expenses"]
    data = {
        "application_date": payload["application_date"], "area": payload["area"],
        "current_benefits": list(payload["current_benefits"]), "members": members_json,
        "assets": {"deposits": f"{_money(assets['deposits']):.2f}", "non_essential_vehicles": int(assets["non_essential_vehicles"]),
                   "extra_houses": int(assets["extra_houses"])},
        "rigid_expenses": {f: f"{_money(rigid[f]):.2f}" for f in intake.RIGID_FIELDS},
        "housing": payload["housing"], "events": list(payload["events"]),
    }
    household = AHousehold(
        application_date=date.fromisoformat(payload["application_date"]), area=payload["area"], members=tuple(members),
        current_benefits=frozenset(payload["current_benefits"]),
        assets=AAssets(_money(assets["deposits"]), int(assets["non_essential_vehicles"]), int(assets["extra_houses"])),
        rigid_expenses=ARigid(**{f: _money(rigid[f]) for f in intake.RIGID_FIELDS}),
        housing=payload["housing"], events=frozenset(payload["events"]),
    )
    return data, household
