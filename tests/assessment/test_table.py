"""Fifty-six households whose results were worked out by hand from assessment.md.

Every expected figure below is literal data computed with pencil arithmetic
from the spec and the default policy (shown in the comment of each row), never
printed from the code. Working days were counted on the published 2026 / 2022
holiday schedules.

Standards used (resources/policy/default.toml):
  period 1 from 2021-11-01: S urban 830, rural 630; T urban 1420, rural 1000;
  period 2 from 2022-07-01: S urban 860, everything else inherited.
  care 150 / 450 / 1000; multiplier 2; employment deduction 0.3 × S
  (urban p2: 258, rural: 189, urban p1: 249); deposits ≤ 24 × S per person
  (urban p2: 20640); emergency 3 × S × household size, prepay ≤ 3000,
  approval above 2000; expenditure min(3 × E, 6 × S × n).

Due dates from the main application date 2026-03-02 (Monday, no holiday in March 2026):
  +15 working days (dibao, tekun and the window's other measures) → 2026-03-23
  +10 working days (temp_expenditure, referrals)                  → 2026-03-16
  +1 calendar day (temp_emergency)                                 → 2026-03-03
  +5 working days (prepay paperwork, named in the reason)          → 2026-03-09
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from window_desk.assessment import assess, assessment_to_json, household_from_json
from window_desk.policy import Policy

from .conftest import pid

D = "2026-03-02"
# Births and their ages on 2026-03-02.
ADULT = "1980-01-15"  # 46 (42 on 2022-03-01 and on 2022-06-30/07-01)
SPOUSE = "1982-06-20"  # 43
CHILD = "2015-09-01"  # 10 (6 on 2022-03-01)
ELDER = "1950-01-10"  # 76
ELDER2 = "1952-08-08"  # 73
OLD80 = "1945-05-05"  # 80
AGE60 = "1966-03-02"  # exactly 60 on 2026-03-02
AGE59 = "1966-03-03"  # 59: turns 60 the next day
AGE18 = "2008-03-02"  # exactly 18
AGE17 = "2008-03-03"  # 17
AGE16 = "2010-03-02"  # exactly 16
AGE15 = "2010-03-03"  # 15

DEPARTMENTS = {  # copied by hand from default.toml
    "medical": "区医保局", "education": "区教体局", "housing": "区住建局", "employment": "区人社局",
    "disaster": "区应急局", "disability_subsidy": "区残联", "child_welfare": "区民政局", "legal_aid": "区司法局",
    "charity": "区慈善会", "social_work": "乡镇(街道)社工站", "vagrant": "救助管理站",
}


def M(name: str, birth: str, relation: str = "self", *, labor: str = "full", care: str = "full",
      disability: tuple[int, str] | None = None, health: str = "healthy", school: str | None = None,
      employed: bool = False, supporter: bool = True, **income: str) -> dict[str, Any]:
    """A member; ``supporter`` defaults to True (an ordinary family), set False to test 特困/困境儿童."""
    return {
        "name": name, "birth": birth, "relation": relation, "labor_capacity": labor, "self_care": care,
        "disability": {"grade": disability[0], "kind": disability[1]} if disability else None,
        "health": health, "schooling": school, "employed": employed, "supporter_capable": supporter,
        "income": {k: v for k, v in income.items()},
    }


def H(day: str, area: str, members: list[dict[str, Any]], *, deposits: str = "0", vehicles: int = 0,
      houses: int = 0, rigid: dict[str, str] | None = None, housing: str = "adequate",
      events: tuple[str, ...] = (), benefits: tuple[str, ...] = ()) -> dict[str, Any]:
    built = []
    for seq, m in enumerate(members, start=1):
        member = {k: v for k, v in m.items() if k != "birth"}
        member["id_number"] = pid(m["birth"], seq)
        built.append(member)
    return {
        "application_date": day, "area": area, "current_benefits": list(benefits), "members": built,
        "assets": {"deposits": deposits, "non_essential_vehicles": vehicles, "extra_houses": houses},
        "rigid_expenses": rigid or {}, "housing": housing, "events": list(events),
    }


@dataclass
class E:
    tier: str
    size: tuple[int, int]  # household_size, remaining_size
    figures: tuple[str, str | None, str, str | None]  # counted, per capita, rigid, per capita after rigid
    measures: list[tuple[str, list[str] | None, dict[str, Any], str]]  # code, member names, amounts, due date
    flags: tuple[str, ...] = ()
    assets_ok: bool = True
    note: bool = False
    policy: tuple[str, str, str] = ("2022-07-01", "860.00", "1420.00")  # effective_from, S, T
    reasons: dict[str, list[str]] = field(default_factory=dict)  # code → phrases its reason must contain


URBAN_P2 = ("2022-07-01", "860.00", "1420.00")
RURAL_P2 = ("2022-07-01", "630.00", "1000.00")
RURAL_RIGID = ("2026-06-01", "630.00", "1000.00")
URBAN_RIGID = ("2026-06-01", "860.00", "1420.00")

ROWS: list[tuple[str, dict[str, Any], E, str]] = [
    (
        "dibao_urban_basic",
        # 甲 employed: 1000 − min(1000, 258) = 742; 乙 employed: 600 − 258 = 342; 丙 0. I = 1084, n = 3,
        # P = 1084/3 = 361.333 → 361.33 < 860 → dibao 860×3 − 1084 = 1496.00. 丙 (10) has a capable supporter,
        # so not tekun and no child_welfare; in school → education.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="1000"), M("乙", SPOUSE, "spouse", employed=True, wage="600"),
                       M("丙", CHILD, "child", school="compulsory")]),
        E("dibao", (3, 3), ("1084.00", "361.33", "0.00", "361.33"),
          [("dibao", None, {"monthly_amount": "1496.00"}, "2026-03-23"), ("education", ["丙"], {}, "2026-03-16")],
          reasons={"dibao": ["人均361.33元", "860.00元", "1496.00元"], "education": ["丙", "义务教育"]}),
        "default",
    ),
    (
        "rural_per_capita_exactly_S",
        # rural S = 630, cap 0.3×630 = 189. 甲 1000 − 189 = 811; 乙 unemployed, business 449. I = 1260, n = 2,
        # P = 630.00 = S → not dibao (needs < S); 630 ≤ P < 1260 → low_income + dynamic_monitoring.
        # 乙 43, partial capacity, not employed, not in school → employment (甲 works: no zero_employment).
        H(D, "rural", [M("甲", ADULT, employed=True, wage="1000"),
                       M("乙", SPOUSE, "spouse", labor="partial", business="449")]),
        E("low_income", (2, 2), ("1260.00", "630.00", "0.00", "630.00"),
          [("low_income", None, {}, "2026-03-23"), ("employment", ["乙"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",), policy=RURAL_P2,
          reasons={"low_income": ["人均630.00元", "不低于农村低保标准630.00元", "1260.00元"]}),
        "default",
    ),
    (
        "per_capita_one_fen_below_S",
        # alone, not employed, other income 859.99 < 860 → dibao 860 − 859.99 = 0.01.
        # Working age, able, unemployed → employment; nobody employed → zero_employment.
        H(D, "urban", [M("甲", ADULT, other="859.99")]),
        E("dibao", (1, 1), ("859.99", "859.99", "0.00", "859.99"),
          [("dibao", None, {"monthly_amount": "0.01"}, "2026-03-23"), ("employment", ["甲"], {}, "2026-03-16")],
          flags=("zero_employment",)),
        "default",
    ),
    (
        "per_capita_exactly_2S",
        # 甲 2000 − 258 = 1742; 乙 1956 − 258 = 1698; I = 3440, P = 1720 = 2 × 860 → not low_income
        # (needs < 2S); no events, no rigid expenses, P not < 2S → not even observation.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000"), M("乙", SPOUSE, "spouse", employed=True, wage="1956")]),
        E("none", (2, 2), ("3440.00", "1720.00", "0.00", "1720.00"), []),
        "default",
    ),
    (
        "per_capita_half_fen_below_2S",
        # 乙 1955.99 − 258 = 1697.99; I = 1742 + 1697.99 = 3439.99, P = 1719.995 → shown 1720.00 (half up) but
        # exactly below 1720 → low_income; the reason shows four decimals so the clerk sees why.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000"),
                       M("乙", SPOUSE, "spouse", employed=True, wage="1955.99")]),
        E("low_income", (2, 2), ("3439.99", "1720.00", "0.00", "1720.00"),
          [("low_income", None, {}, "2026-03-23")], flags=("dynamic_monitoring",),
          reasons={"low_income": ["人均1719.9950元", "1720.00元"]}),
        "default",
    ),
    (
        "deposits_exactly_at_limit",
        # 2 people, deposits 41280.00 = 2 × 24 × 860 → per capita exactly 20640 ≤ limit → assets_ok.
        # I = 0 → dibao 860 × 2 − 0 = 1720.00; 乙 in school → education; 甲 able, unemployed → employment,
        # nobody employed → zero_employment.
        H(D, "urban", [M("甲", ADULT), M("乙", CHILD, "child", school="compulsory")], deposits="41280.00"),
        E("dibao", (2, 2), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao", None, {"monthly_amount": "1720.00"}, "2026-03-23"), ("education", ["乙"], {}, "2026-03-16"),
           ("employment", ["甲"], {}, "2026-03-16")], flags=("zero_employment",)),
        "default",
    ),
    (
        "deposits_one_fen_over_limit",
        # deposits 41280.01 → per capita 20640.005 > 20640 → assets not ok: no dibao, no low_income, no gate.
        # No events → no charity. Nothing applies but P = 0 < 1720 → observation.
        H(D, "urban", [M("甲", ADULT), M("乙", CHILD, "child", school="compulsory")], deposits="41280.01"),
        E("observation", (2, 2), ("0.00", "0.00", "0.00", "0.00"),
          [("observation", None, {}, "2026-03-23")], assets_ok=False,
          reasons={"observation": ["人均收入0.00元", "1720.00元", "家庭财产超过规定"]}),
        "default",
    ),
    (
        "vehicle_fails_assets_emergency_still_applies",
        # one car → assets not ok. Event accident → temp_emergency whatever the means test: 3 × 860 × 1 = 2580.00,
        # prepay min(2580, 3000) = 2580.00 > 2000 → supervisor approval named; social_work. Gate (emergency):
        # employment 甲 + zero_employment. charity because of temp_emergency.
        H(D, "urban", [M("甲", ADULT)], vehicles=1, events=("accident",)),
        E("emergency", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("temp_emergency", None, {"amount": "2580.00", "prepay": "2580.00"}, "2026-03-03"),
           ("social_work", None, {}, "2026-03-16"), ("employment", ["甲"], {}, "2026-03-16"),
           ("charity", None, {}, "2026-03-16")],
          flags=("zero_employment",), assets_ok=False,
          reasons={"temp_emergency": ["意外事故", "2580.00元", "审核人审批", "2026-03-09"]}),
        "default",
    ),
    (
        "age_exactly_60_is_elder_tekun",
        # born 1966-03-02 → 60 on the application date → elder: category and (by age) no labor capacity.
        # own income 500 < 860, assets ok, no capable supporter → tekun 1420 + 150 (全自理) = 1570.00, dispersed.
        # Nobody left: remaining 0, counted 0.00, per-capita null. Age 60 is not < 60 → no employment.
        H(D, "urban", [M("甲", AGE60, supporter=False, transfer="500")]),
        E("tekun", (1, 0), ("0.00", None, "0.00", None),
          [("tekun", ["甲"], {"monthly_amount": "1570.00", "placement": "dispersed"}, "2026-03-23")],
          reasons={"tekun": ["年满60周岁(现年60岁)", "500.00元", "1420.00元", "150.00元", "1570.00元", "分散供养"]}),
        "default",
    ),
    (
        "age_59_is_not_tekun",
        # born 1966-03-03 → 59: not elder, not minor, no disability → not tekun. n = 1, I = 500 →
        # dibao 860 − 500 = 360.00; able, unemployed → employment + zero_employment.
        H(D, "urban", [M("甲", AGE59, supporter=False, transfer="500")]),
        E("dibao", (1, 1), ("500.00", "500.00", "0.00", "500.00"),
          [("dibao", None, {"monthly_amount": "360.00"}, "2026-03-23"), ("employment", ["甲"], {}, "2026-03-16")],
          flags=("zero_employment",)),
        "default",
    ),
    (
        "minor_17_without_supporter_is_tekun",
        # 17 < 18 → minor: tekun 1420 + 150 = 1570.00 dispersed. In high school → education; 17 is working age
        # but in school → no employment; under 18 without capable supporter → child_welfare.
        H(D, "urban", [M("甲", AGE17, school="high_school", supporter=False)]),
        E("tekun", (1, 0), ("0.00", None, "0.00", None),
          [("tekun", ["甲"], {"monthly_amount": "1570.00", "placement": "dispersed"}, "2026-03-23"),
           ("education", ["甲"], {}, "2026-03-16"), ("child_welfare", ["甲"], {}, "2026-03-16")],
          reasons={"tekun": ["未满18周岁(现年17岁)"], "child_welfare": ["甲(17岁)"]}),
        "default",
    ),
    (
        "age_exactly_18_is_not_minor",
        # exactly 18 → not minor, no disability → not tekun. I = 0 → dibao 860.00. In school → education,
        # no employment (in school), 18 is not under 18 → no child_welfare.
        H(D, "urban", [M("甲", AGE18, school="high_school", supporter=False)]),
        E("dibao", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao", None, {"monthly_amount": "860.00"}, "2026-03-23"), ("education", ["甲"], {}, "2026-03-16")]),
        "default",
    ),
    (
        "age_exactly_16_gets_employment",
        # 甲 1000 − 258 = 742; 乙 exactly 16, able, not employed, not in school, capable supporter (not tekun).
        # I = 742, n = 2 → dibao 1720 − 742 = 978.00. 乙 is 16 ≥ 16 → employment; 甲 works → no zero_employment.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="1000"), M("乙", AGE16, "child")]),
        E("dibao", (2, 2), ("742.00", "371.00", "0.00", "371.00"),
          [("dibao", None, {"monthly_amount": "978.00"}, "2026-03-23"), ("employment", ["乙"], {}, "2026-03-16")],
          reasons={"employment": ["乙(16岁"]}),
        "default",
    ),
    (
        "age_15_gets_no_employment",
        # as above but 乙 is 15 → below working age: dibao 978.00 only.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="1000"), M("乙", AGE15, "child")]),
        E("dibao", (2, 2), ("742.00", "371.00", "0.00", "371.00"),
          [("dibao", None, {"monthly_amount": "978.00"}, "2026-03-23")]),
        "default",
    ),
    (
        "rural_tekun_half_disabled_centralized",
        # rural, 76, no labor, 半失能, transfer 300 < 630 → tekun 1000 + 450 = 1450.00, centralized.
        H(D, "rural", [M("甲", ELDER, labor="none", care="partial", supporter=False, transfer="300")]),
        E("tekun", (1, 0), ("0.00", None, "0.00", None),
          [("tekun", ["甲"], {"monthly_amount": "1450.00", "placement": "centralized"}, "2026-03-23")],
          policy=RURAL_P2, reasons={"tekun": ["半失能", "450.00元", "集中供养"]}),
        "default",
    ),
    (
        "tekun_parent_fully_disabled_beside_working_son",
        # 乙 80, no labor, 全失能, serious illness, transfer 800 < 860, no capable supporter → tekun
        # 1420 + 1000 = 2420.00 centralized. Rest: 甲 3000 − 258 = 2742, P = 2742 ≥ 1720 → nothing for the rest.
        # Gate (tekun): medical for 乙 (serious) even though 乙 is tekun; 甲 employed → no employment.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="3000"),
                       M("乙", OLD80, "parent", labor="none", care="none", health="serious", supporter=False,
                         transfer="800")]),
        E("tekun", (2, 1), ("2742.00", "2742.00", "0.00", "2742.00"),
          [("tekun", ["乙"], {"monthly_amount": "2420.00", "placement": "centralized"}, "2026-03-23"),
           ("medical", ["乙"], {}, "2026-03-16")]),
        "default",
    ),
    (
        "grade2_disabled_adult_is_tekun",
        # 46, physical grade 2 (category), no labor capacity, own 200 < 860 → tekun 1570.00 dispersed.
        # Disabled but covered by tekun → no disability_subsidy; no labor → no employment.
        H(D, "urban", [M("甲", ADULT, labor="none", disability=(2, "physical"), supporter=False, transfer="200")]),
        E("tekun", (1, 0), ("0.00", None, "0.00", None),
          [("tekun", ["甲"], {"monthly_amount": "1570.00", "placement": "dispersed"}, "2026-03-23")],
          reasons={"tekun": ["持肢体二级残疾证", "无劳动能力"]}),
        "default",
    ),
    (
        "grade3_mental_is_tekun_rural",
        # rural, grade 3 mental (category), no labor, 半失能 → tekun 1000 + 450 = 1450.00 centralized.
        H(D, "rural", [M("甲", ADULT, labor="none", care="partial", disability=(3, "mental"), supporter=False)]),
        E("tekun", (1, 0), ("0.00", None, "0.00", None),
          [("tekun", ["甲"], {"monthly_amount": "1450.00", "placement": "centralized"}, "2026-03-23")],
          policy=RURAL_P2),
        "default",
    ),
    (
        "grade3_physical_is_not_tekun",
        # grade 3 physical is not a tekun category. 乙 2100 − 258 = 1842; I = 1842, n = 2, P = 921 ≥ 860,
        # < 1720 → low_income. 甲 grade 3 is not dibao_single (needs grade 1–2 or serious).
        # Gate: disability_subsidy for 甲 (disabled, not tekun); 甲 no labor → no employment.
        H(D, "urban", [M("甲", ADULT, labor="none", disability=(3, "physical"), supporter=False),
                       M("乙", SPOUSE, "spouse", employed=True, wage="2100")]),
        E("low_income", (2, 2), ("1842.00", "921.00", "0.00", "921.00"),
          [("low_income", None, {}, "2026-03-23"), ("disability_subsidy", ["甲"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",), reasons={"disability_subsidy": ["持肢体三级残疾证"]}),
        "default",
    ),
    (
        "dibao_single_for_grade1_spouse",
        # 乙 grade 1 visual, no labor, but a capable supporter → not tekun. I = 2000 − 258 = 1742 + 0,
        # n = 2, P = 871 ≥ 860 (no dibao), < 1720 → low_income, and dibao_single for 乙: 860 − 0 = 860.00.
        # disability_subsidy for 乙.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000"),
                       M("乙", SPOUSE, "spouse", labor="none", disability=(1, "visual"))]),
        E("low_income", (2, 2), ("1742.00", "871.00", "0.00", "871.00"),
          [("dibao_single", ["乙"], {"monthly_amount": "860.00"}, "2026-03-23"), ("low_income", None, {}, "2026-03-23"),
           ("disability_subsidy", ["乙"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",), reasons={"dibao_single": ["持视力一级残疾证", "人均871.00元", "860.00元"]}),
        "default",
    ),
    (
        "dibao_single_for_serious_illness_rural",
        # rural: 甲 1500 − 189 = 1311; 乙 other 100. I = 1411, n = 2, P = 705.50 ≥ 630, < 1260 → low_income;
        # 乙 serious → dibao_single 630 − 100 = 530.00. medical for 乙; 乙 partial capacity, unemployed →
        # employment (甲 works → no zero_employment).
        H(D, "rural", [M("甲", ADULT, employed=True, wage="1500"),
                       M("乙", SPOUSE, "spouse", labor="partial", health="serious", other="100")]),
        E("low_income", (2, 2), ("1411.00", "705.50", "0.00", "705.50"),
          [("dibao_single", ["乙"], {"monthly_amount": "530.00"}, "2026-03-23"), ("low_income", None, {}, "2026-03-23"),
           ("medical", ["乙"], {}, "2026-03-16"), ("employment", ["乙"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",), policy=RURAL_P2, reasons={"dibao_single": ["患重病", "100.00元", "530.00元"]}),
        "default",
    ),
    (
        "dibao_single_amount_floors_at_zero",
        # 甲 1742; 乙 serious, pension (transfer) 900. I = 2642, P = 1321 → low_income; dibao_single for 乙:
        # max(0, 860 − 900) = 0.00. medical 乙; employment 乙 (partial, unemployed).
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000"),
                       M("乙", SPOUSE, "spouse", labor="partial", health="serious", transfer="900")]),
        E("low_income", (2, 2), ("2642.00", "1321.00", "0.00", "1321.00"),
          [("dibao_single", ["乙"], {"monthly_amount": "0.00"}, "2026-03-23"), ("low_income", None, {}, "2026-03-23"),
           ("medical", ["乙"], {}, "2026-03-16"), ("employment", ["乙"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",)),
        "default",
    ),
    (
        "taper_when_income_rose",
        # on dibao now. 甲 2200 − 258 = 1942, n = 2, P = 971 ≥ 860 → no dibao; < 1720 → dibao_taper (6 months)
        # and low_income. 乙 in school → education.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2200"), M("乙", CHILD, "child", school="compulsory")],
          benefits=("dibao",)),
        E("low_income", (2, 2), ("1942.00", "971.00", "0.00", "971.00"),
          [("dibao_taper", None, {"months": 6}, "2026-03-23"), ("low_income", None, {}, "2026-03-23"),
           ("education", ["乙"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",), reasons={"dibao_taper": ["6个月渐退期", "已不低于城市低保标准860.00元"]}),
        "default",
    ),
    (
        "taper_when_assets_fail",
        # on dibao, an extra house → assets not ok: no dibao although P = 0; taper has no asset condition and
        # P = 0 < 1720 → dibao_taper. Taper is not a gate and not in the tier list → tier none.
        H(D, "urban", [M("甲", ADULT)], houses=1, benefits=("dibao",)),
        E("none", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao_taper", None, {"months": 6}, "2026-03-23")], assets_ok=False,
          reasons={"dibao_taper": ["家庭财产超过规定"]}),
        "default",
    ),
    (
        "no_taper_at_2S",
        # on dibao, 甲 2000 − 258 = 1742 ≥ 1720 → no taper, nothing else, no difficulty → none.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000")], benefits=("dibao",)),
        E("none", (1, 1), ("1742.00", "1742.00", "0.00", "1742.00"), []),
        "default",
    ),
    (
        "temp_expenditure_uncapped",
        # 甲 1742, 乙 1200 − 258 = 942: I = 2684, P = 1342 → low_income. E = medical 1000: I − E = 1684,
        # P_r = 842 < 860 and P < 1720 → temp_expenditure min(3 × 1000 = 3000, 6 × 860 × 2 = 10320) = 3000.00.
        # medical (E.medical > 0, nobody ill → whole household), charity (temp_expenditure).
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000"), M("乙", SPOUSE, "spouse", employed=True, wage="1200")],
          rigid={"medical": "1000"}),
        E("low_income", (2, 2), ("2684.00", "1342.00", "1000.00", "842.00"),
          [("low_income", None, {}, "2026-03-23"), ("temp_expenditure", None, {"amount": "3000.00"}, "2026-03-16"),
           ("medical", None, {}, "2026-03-16"), ("charity", None, {}, "2026-03-16")],
          flags=("dynamic_monitoring",), reasons={"temp_expenditure": ["1000.00元", "842.00元", "3000.00元"],
                                                   "medical": ["家庭每月医疗支出1000.00元"]}),
        "default",
    ),
    (
        "temp_expenditure_capped_rural",
        # rural: 900 − 189 = 711 ≥ 630 (no dibao), < 1260 → low_income. E = 3000 + 500 = 3500 > I → I_r = 0,
        # P_r = 0 < 630 → temp_expenditure min(3 × 3500 = 10500, 6 × 630 × 1 = 3780) = 3780.00.
        H(D, "rural", [M("甲", ADULT, employed=True, wage="900")], rigid={"medical": "3000", "education": "500"}),
        E("low_income", (1, 1), ("711.00", "711.00", "3500.00", "0.00"),
          [("low_income", None, {}, "2026-03-23"), ("temp_expenditure", None, {"amount": "3780.00"}, "2026-03-16"),
           ("medical", None, {}, "2026-03-16"), ("charity", None, {}, "2026-03-16")],
          flags=("dynamic_monitoring",), policy=RURAL_P2, reasons={"temp_expenditure": ["3780.00元"]}),
        "default",
    ),
    (
        "expenditure_tier_when_assets_fail",
        # deposits 30000 > 20640 → assets not ok: no dibao/low_income. 1300 − 258 = 1042; E = 600: I_r = 442,
        # P_r < 860, P = 1042 < 1720 → temp_expenditure (no asset test) min(1800, 5160) = 1800.00.
        # Gate: medical (E.medical). charity. Tier expenditure.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="1300")], deposits="30000", rigid={"medical": "600"}),
        E("expenditure", (1, 1), ("1042.00", "1042.00", "600.00", "442.00"),
          [("temp_expenditure", None, {"amount": "1800.00"}, "2026-03-16"), ("medical", None, {}, "2026-03-16"),
           ("charity", None, {}, "2026-03-16")], assets_ok=False),
        "default",
    ),
    (
        "disaster_prepay_capped_rural",
        # rural: 3000 − 189 = 2811, 2500 − 189 = 2311, I = 5122, P = 1707.33 ≥ 1260 → no means-tested measure.
        # disaster → temp_emergency 3 × 630 × 3 = 5670.00, prepay min(5670, 3000) = 3000.00; social_work;
        # education 丙; disaster referral; charity.
        H(D, "rural", [M("甲", ADULT, employed=True, wage="3000"), M("乙", SPOUSE, "spouse", employed=True, wage="2500"),
                       M("丙", CHILD, "child", school="compulsory")], events=("disaster",)),
        E("emergency", (3, 3), ("5122.00", "1707.33", "0.00", "1707.33"),
          [("temp_emergency", None, {"amount": "5670.00", "prepay": "3000.00"}, "2026-03-03"),
           ("social_work", None, {}, "2026-03-16"), ("education", ["丙"], {}, "2026-03-16"),
           ("disaster", None, {}, "2026-03-16"), ("charity", None, {}, "2026-03-16")],
          policy=RURAL_P2, reasons={"temp_emergency": ["自然灾害", "5670.00元", "3000.00元"]}),
        "default",
    ),
    (
        "serious_illness_prepay_under_approval_limit",
        # rural, alone: 3000 − 189 = 2811 ≥ 1260. serious_illness → 3 × 630 × 1 = 1890.00, prepay 1890.00
        # ≤ 2000 → no approval needed. social_work; medical 甲 (serious); charity.
        H(D, "rural", [M("甲", ADULT, employed=True, wage="3000", health="serious")], events=("serious_illness",)),
        E("emergency", (1, 1), ("2811.00", "2811.00", "0.00", "2811.00"),
          [("temp_emergency", None, {"amount": "1890.00", "prepay": "1890.00"}, "2026-03-03"),
           ("social_work", None, {}, "2026-03-16"), ("medical", ["甲"], {}, "2026-03-16"),
           ("charity", None, {}, "2026-03-16")], policy=RURAL_P2),
        "default",
    ),
    (
        "homeless_with_dibao",
        # I = 0 → dibao 860.00; homeless → vagrant (not an emergency event: no temp_emergency, no charity);
        # employment + zero_employment.
        H(D, "urban", [M("甲", ADULT)], events=("homeless",)),
        E("dibao", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao", None, {"monthly_amount": "860.00"}, "2026-03-23"), ("vagrant", None, {}, "2026-03-16"),
           ("employment", ["甲"], {}, "2026-03-16")], flags=("zero_employment",)),
        "default",
    ),
    (
        "homeless_only",
        # 3000 − 258 = 2742 ≥ 1720; homeless → vagrant is a measure, so no observation; tier none.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="3000")], events=("homeless",)),
        E("none", (1, 1), ("2742.00", "2742.00", "0.00", "2742.00"), [("vagrant", None, {}, "2026-03-16")]),
        "default",
    ),
    (
        "legal_dispute_without_gate_is_observation",
        # P = 2742 ≥ 1720; legal_dispute alone is no gate → no legal_aid; no measure but an event → observation.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="3000")], events=("legal_dispute",)),
        E("observation", (1, 1), ("2742.00", "2742.00", "0.00", "2742.00"),
          [("observation", None, {}, "2026-03-23")], reasons={"observation": ["法律纠纷"]}),
        "default",
    ),
    (
        "charity_when_assets_fail_with_event",
        # extra house → assets not ok, event present → charity; so not observation; tier none.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="3000")], houses=1, events=("legal_dispute",)),
        E("none", (1, 1), ("2742.00", "2742.00", "0.00", "2742.00"), [("charity", None, {}, "2026-03-16")],
          assets_ok=False, reasons={"charity": ["家庭财产超过规定", "法律纠纷"]}),
        "default",
    ),
    (
        "observation_for_rigid_expenses_only",
        # 2000 − 258 = 1742 ≥ 1720; E = housing 500 → I_r = 1242 ≥ 860 and P not < 2S → no temp_expenditure.
        # E > 0 → observation.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000")], rigid={"housing": "500"}),
        E("observation", (1, 1), ("1742.00", "1742.00", "500.00", "1242.00"),
          [("observation", None, {}, "2026-03-23")], reasons={"observation": ["每月刚性支出500.00元"]}),
        "default",
    ),
    (
        "zero_employment_couple_rural",
        # rural: other 700 + transfer 100 = 800, n = 2, P = 400 < 630 → dibao 1260 − 800 = 460.00;
        # both able (full / partial), unemployed → employment [甲, 乙] + zero_employment.
        H(D, "rural", [M("甲", ADULT, other="700"), M("乙", SPOUSE, "spouse", labor="partial", transfer="100")]),
        E("dibao", (2, 2), ("800.00", "400.00", "0.00", "400.00"),
          [("dibao", None, {"monthly_amount": "460.00"}, "2026-03-23"),
           ("employment", ["甲", "乙"], {}, "2026-03-16")], flags=("zero_employment",), policy=RURAL_P2,
          reasons={"employment": ["零就业家庭"]}),
        "default",
    ),
    (
        "child_welfare_for_child_with_survivor_pension",
        # 乙 10 without capable supporter, but own transfer 900 ≥ 860 → not tekun. 甲 1500 − 258 = 1242.
        # I = 2142, n = 2, P = 1071 → low_income; child_welfare 乙.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="1500"), M("乙", CHILD, "child", supporter=False, transfer="900")]),
        E("low_income", (2, 2), ("2142.00", "1071.00", "0.00", "1071.00"),
          [("low_income", None, {}, "2026-03-23"), ("child_welfare", ["乙"], {}, "2026-03-16")],
          flags=("dynamic_monitoring",)),
        "default",
    ),
    (
        "two_tekun_elders_rural",
        # 甲 76, no labor, 全自理, 200 < 630 → 1000 + 150 = 1150.00 dispersed;
        # 乙 73 (partial capacity but elder), 全失能, 0 → 1000 + 1000 = 2000.00 centralized. Nobody left.
        H(D, "rural", [M("甲", ELDER, labor="none", supporter=False, transfer="200"),
                       M("乙", ELDER2, "spouse", labor="partial", care="none", supporter=False)]),
        E("tekun", (2, 0), ("0.00", None, "0.00", None),
          [("tekun", ["甲"], {"monthly_amount": "1150.00", "placement": "dispersed"}, "2026-03-23"),
           ("tekun", ["乙"], {"monthly_amount": "2000.00", "placement": "centralized"}, "2026-03-23")],
          policy=RURAL_P2, reasons={"tekun": ["按年龄视为无劳动能力"]}),
        "default",
    ),
    (
        "first_period_2022_03_01",
        # period 1: S = 830, cap 0.3 × 830 = 249. 甲 (42) 1000 − 249 = 751; 乙 (6) 0. n = 2 →
        # dibao 1660 − 751 = 909.00. education 乙 (preschool). Tuesday 2022-03-01: +15 working days →
        # 2022-03-22, +10 → 2022-03-15 (no holiday in March 2022).
        H("2022-03-01", "urban", [M("甲", ADULT, employed=True, wage="1000"), M("乙", CHILD, "child", school="preschool")]),
        E("dibao", (2, 2), ("751.00", "375.50", "0.00", "375.50"),
          [("dibao", None, {"monthly_amount": "909.00"}, "2022-03-22"), ("education", ["乙"], {}, "2022-03-15")],
          policy=("2021-11-01", "830.00", "1420.00"), reasons={"dibao": ["830.00元", "909.00元"]}),
        "default",
    ),
    (
        "second_period_first_day",
        # 2022-07-01 (Friday) is the first day of period 2: S = 860 → dibao 860 − 800 = 60.00.
        # +15 working days: Jul 4…22 → 2022-07-22; +10 → 2022-07-15. employment + zero_employment.
        H("2022-07-01", "urban", [M("甲", ADULT, other="800")]),
        E("dibao", (1, 1), ("800.00", "800.00", "0.00", "800.00"),
          [("dibao", None, {"monthly_amount": "60.00"}, "2022-07-22"), ("employment", ["甲"], {}, "2022-07-15")],
          flags=("zero_employment",)),
        "default",
    ),
    (
        "first_period_last_day",
        # 2022-06-30 (Thursday) is still period 1: S = 830 → dibao 830 − 800 = 30.00.
        # +15 working days: Jul 1, 4–8, 11–15, 18–21 → 2022-07-21; +10 → 2022-07-14.
        H("2022-06-30", "urban", [M("甲", ADULT, other="800")]),
        E("dibao", (1, 1), ("800.00", "800.00", "0.00", "800.00"),
          [("dibao", None, {"monthly_amount": "30.00"}, "2022-07-21"), ("employment", ["甲"], {}, "2022-07-14")],
          flags=("zero_employment",), policy=("2021-11-01", "830.00", "1420.00")),
        "default",
    ),
    (
        "rigid_deduction_on_gives_dibao",
        # rigid policy (period from 2026-06-01, dibao_deduct_rigid = true). 1742 + (1000 − 258 = 742) = 2484,
        # P = 1242; E = 800 → I − E = 1684, P_r = P_d = 842 < 860 → dibao 1720 − 1684 = 36.00 (so no
        # temp_expenditure). medical (E.medical). Monday 2026-06-01: +15 working days skips Friday 06-19
        # (端午) → 2026-06-23; +10 → 2026-06-15.
        H("2026-06-01", "urban", [M("甲", ADULT, employed=True, wage="2000"),
                                  M("乙", SPOUSE, "spouse", employed=True, wage="1000")], rigid={"medical": "800"}),
        E("dibao", (2, 2), ("2484.00", "1242.00", "800.00", "842.00"),
          [("dibao", None, {"monthly_amount": "36.00"}, "2026-06-23"), ("medical", None, {}, "2026-06-15")],
          policy=URBAN_RIGID, reasons={"dibao": ["扣除刚性支出800.00元后为1684.00元", "人均842.00元", "36.00元"]}),
        "rigid",
    ),
    (
        "rigid_deduction_off_same_household",
        # same household under the default policy (deduction off): P_d = P = 1242 → no dibao, low_income;
        # P_r = 842 < 860, P < 1720 → temp_expenditure min(2400, 10320) = 2400.00; medical; charity.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="2000"),
                       M("乙", SPOUSE, "spouse", employed=True, wage="1000")], rigid={"medical": "800"}),
        E("low_income", (2, 2), ("2484.00", "1242.00", "800.00", "842.00"),
          [("low_income", None, {}, "2026-03-23"), ("temp_expenditure", None, {"amount": "2400.00"}, "2026-03-16"),
           ("medical", None, {}, "2026-03-16"), ("charity", None, {}, "2026-03-16")], flags=("dynamic_monitoring",)),
        "default",
    ),
    (
        "rigid_deduction_on_low_income_rural",
        # rigid policy, rural: 1500 − 189 = 1311; E = education 300 → P_d = 1011 ≥ 630, < 1260 → low_income;
        # P_r = 1011 ≥ 630 → no temp_expenditure. Education expense alone does not make an education referral.
        H("2026-06-01", "rural", [M("甲", ADULT, employed=True, wage="1500")], rigid={"education": "300"}),
        E("low_income", (1, 1), ("1311.00", "1311.00", "300.00", "1011.00"),
          [("low_income", None, {}, "2026-06-23")], flags=("dynamic_monitoring",), policy=RURAL_RIGID),
        "rigid",
    ),
    (
        "due_dates_past_the_calendar",
        # 2026-12-21 (Monday). dibao 860.00; fire → temp_emergency 3 × 860 × 1 = 2580.00, prepay 2580.00.
        # Working days: Dec 22, 23, 24, 25, 28, 29, 30, 31 (8), then 2027 is unknown → Monday–Friday:
        # Fri Jan 1 (9), Mon Jan 4 (10) → referrals 2027-01-04; Jan 5, 6, 7, 8, 11 → dibao 2027-01-11.
        # temp_emergency: +1 calendar day → 2026-12-22. Paperwork +5 → 2026-12-28. calendar_note set.
        H("2026-12-21", "urban", [M("甲", ADULT)], events=("fire",)),
        E("dibao", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao", None, {"monthly_amount": "860.00"}, "2027-01-11"),
           ("temp_emergency", None, {"amount": "2580.00", "prepay": "2580.00"}, "2026-12-22"),
           ("social_work", None, {}, "2027-01-04"), ("employment", ["甲"], {}, "2027-01-04"),
           ("charity", None, {}, "2027-01-04")], flags=("zero_employment",), note=True,
          reasons={"temp_emergency": ["2026-12-28前"]}),
        "default",
    ),
    (
        "national_day_week",
        # 2026-09-30 (Wednesday). Oct 1–7 holiday; Sat Oct 10 is a 调休 working day.
        # Oct 8 (1), 9 (2), 10 (3), 12–16 (4–8), 19 (9), 20 (10) → referrals 2026-10-20;
        # 21, 22, 23, 26, 27 → dibao 2026-10-27. dibao 860 − 500 = 360.00.
        H("2026-09-30", "urban", [M("甲", ADULT, other="500")]),
        E("dibao", (1, 1), ("500.00", "500.00", "0.00", "500.00"),
          [("dibao", None, {"monthly_amount": "360.00"}, "2026-10-27"), ("employment", ["甲"], {}, "2026-10-20")],
          flags=("zero_employment",)),
        "default",
    ),
    (
        "emergency_counts_the_whole_household",
        # 甲 76 tekun: 0 < 860 → 1420 + 150 = 1570.00 dispersed. Rest 乙: 3000 − 258 = 2742 ≥ 1720.
        # accident → temp_emergency 3 × 860 × 2 (whole household, tekun member included) = 5160.00,
        # prepay 3000.00; social_work; charity. Tier tekun (before emergency).
        H(D, "urban", [M("甲", ELDER, labor="none", supporter=False), M("乙", ADULT, "child", employed=True, wage="3000")],
          events=("accident",)),
        E("tekun", (2, 1), ("2742.00", "2742.00", "0.00", "2742.00"),
          [("tekun", ["甲"], {"monthly_amount": "1570.00", "placement": "dispersed"}, "2026-03-23"),
           ("temp_emergency", None, {"amount": "5160.00", "prepay": "3000.00"}, "2026-03-03"),
           ("social_work", None, {}, "2026-03-16"), ("charity", None, {}, "2026-03-16")],
          reasons={"temp_emergency": ["×2人=5160.00元"]}),
        "default",
    ),
    (
        "exempt_income_not_counted",
        # other 800 counted, exempt 500 not → dibao 860 − 800 = 60.00; employment + zero_employment.
        H(D, "urban", [M("甲", ADULT, other="800", exempt="500")]),
        E("dibao", (1, 1), ("800.00", "800.00", "0.00", "800.00"),
          [("dibao", None, {"monthly_amount": "60.00"}, "2026-03-23"), ("employment", ["甲"], {}, "2026-03-16")],
          flags=("zero_employment",), reasons={"dibao": ["豁免收入500.00元不计入"]}),
        "default",
    ),
    (
        "elder_with_income_exactly_S_is_not_tekun",
        # 76, no supporter, own 860 = S → not < S → not tekun. Rest: P = 860 = S → no dibao; < 1720 →
        # low_income. 76 is past working age → no employment.
        H(D, "urban", [M("甲", ELDER, labor="none", supporter=False, transfer="860")]),
        E("low_income", (1, 1), ("860.00", "860.00", "0.00", "860.00"),
          [("low_income", None, {}, "2026-03-23")], flags=("dynamic_monitoring",)),
        "default",
    ),
    (
        "wage_below_employment_deduction",
        # employed, wage 200 − min(200, 258) = 0 → dibao 860.00; employed → no employment, no zero_employment.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="200")]),
        E("dibao", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao", None, {"monthly_amount": "860.00"}, "2026-03-23")],
          reasons={"dibao": ["已扣减就业成本200.00元"]}),
        "default",
    ),
    (
        "rural_dangerous_house",
        # rural: other 400 → dibao 630 − 400 = 230.00; dangerous house → housing (危房改造); employment + zero.
        H(D, "rural", [M("甲", ADULT, other="400")], housing="dangerous"),
        E("dibao", (1, 1), ("400.00", "400.00", "0.00", "400.00"),
          [("dibao", None, {"monthly_amount": "230.00"}, "2026-03-23"), ("housing", None, {}, "2026-03-16"),
           ("employment", ["甲"], {}, "2026-03-16")], flags=("zero_employment",), policy=RURAL_P2,
          reasons={"housing": ["危房改造"]}),
        "default",
    ),
    (
        "urban_no_house",
        # urban: other 400 → dibao 860 − 400 = 460.00; no house → housing (公租房/租赁补贴); employment + zero.
        H(D, "urban", [M("甲", ADULT, other="400")], housing="none"),
        E("dibao", (1, 1), ("400.00", "400.00", "0.00", "400.00"),
          [("dibao", None, {"monthly_amount": "460.00"}, "2026-03-23"), ("housing", None, {}, "2026-03-16"),
           ("employment", ["甲"], {}, "2026-03-16")], flags=("zero_employment",),
          reasons={"housing": ["公租房"]}),
        "default",
    ),
    (
        "legal_aid_with_dibao",
        # I = 0 → dibao 860.00 (a gate) → legal_aid for the legal_dispute; employment + zero; assets ok and
        # no temporary aid → no charity.
        H(D, "urban", [M("甲", ADULT)], events=("legal_dispute",)),
        E("dibao", (1, 1), ("0.00", "0.00", "0.00", "0.00"),
          [("dibao", None, {"monthly_amount": "860.00"}, "2026-03-23"), ("employment", ["甲"], {}, "2026-03-16"),
           ("legal_aid", None, {}, "2026-03-16")], flags=("zero_employment",)),
        "default",
    ),
    (
        "tekun_member_plus_dibao_for_the_rest",
        # 乙 76, no labor, 半失能, no supporter, own 300 → tekun 1420 + 450 = 1870.00 centralized.
        # Rest 甲 (1000 − 258 = 742) + 丙 (10, capable supporter, school): I = 742, n = 2, P = 371 →
        # dibao 1720 − 742 = 978.00. education 丙.
        H(D, "urban", [M("甲", ADULT, employed=True, wage="1000"),
                       M("乙", ELDER, "parent", labor="none", care="partial", supporter=False, transfer="300"),
                       M("丙", CHILD, "child", school="compulsory")]),
        E("dibao", (3, 2), ("742.00", "371.00", "0.00", "371.00"),
          [("tekun", ["乙"], {"monthly_amount": "1870.00", "placement": "centralized"}, "2026-03-23"),
           ("dibao", None, {"monthly_amount": "978.00"}, "2026-03-23"), ("education", ["丙"], {}, "2026-03-16")],
          reasons={"dibao": ["除特困人员外的2名家庭成员"]}),
        "default",
    ),
    (
        "rigid_expenses_stay_with_the_rest",
        # rigid policy: 乙 76 tekun (0 < 860): 1570.00 dispersed. Rest 甲: 2000 − 258 = 1742; E = care 900
        # (all of E stays with the rest) → P_d = 842 < 860 → dibao 860 − 842 = 18.00; no temp_expenditure
        # (dibao). E.medical = 0, nobody ill → no medical.
        H("2026-06-01", "urban", [M("甲", ADULT, employed=True, wage="2000"),
                                  M("乙", ELDER, "parent", labor="none", supporter=False)], rigid={"care": "900"}),
        E("dibao", (2, 1), ("1742.00", "1742.00", "900.00", "842.00"),
          [("tekun", ["乙"], {"monthly_amount": "1570.00", "placement": "dispersed"}, "2026-06-23"),
           ("dibao", None, {"monthly_amount": "18.00"}, "2026-06-23")], policy=URBAN_RIGID),
        "rigid",
    ),
    (
        "employment_deduction_first_period_rural_taper",
        # rural, period 1 (rural standard unchanged 630): 1100 − 189 = 911, n = 1, on dibao:
        # P = 911 ≥ 630 → taper (< 1260) and low_income. 2022-03-01 → +15 working days 2022-03-22.
        H("2022-03-01", "rural", [M("甲", ADULT, employed=True, wage="1100")], benefits=("dibao",)),
        E("low_income", (1, 1), ("911.00", "911.00", "0.00", "911.00"),
          [("dibao_taper", None, {"months": 6}, "2022-03-22"), ("low_income", None, {}, "2022-03-22")],
          flags=("dynamic_monitoring",), policy=("2021-11-01", "630.00", "1000.00")),
        "default",
    ),
]


def _names_by_id(household: dict[str, Any]) -> dict[str, str]:
    return {m["id_number"]: m["name"] for m in household["members"]}


@pytest.mark.parametrize(("household", "expected", "which"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_household(household: dict[str, Any], expected: E, which: str, default_policy: Policy,
                   rigid_policy: Policy) -> None:
    policy = rigid_policy if which == "rigid" else default_policy
    result = assessment_to_json(assess(household_from_json(household), policy))
    names = _names_by_id(household)

    assert result["policy"] == {"locality": "示范镇", "effective_from": expected.policy[0]}
    assert result["standards"] == {"dibao": expected.policy[1], "tekun": expected.policy[2]}
    assert (result["household_size"], result["remaining_size"]) == expected.size
    assert (result["counted_income"], result["per_capita_income"], result["rigid_expenses"],
            result["per_capita_after_rigid"]) == expected.figures
    assert result["assets_ok"] is expected.assets_ok
    assert result["tier"] == expected.tier
    assert result["flags"] == list(expected.flags)
    assert (result["calendar_note"] is not None) is expected.note

    got = []
    for m in result["measures"]:
        amounts = {k: m[k] for k in ("monthly_amount", "amount", "prepay", "months", "placement") if k in m}
        who = None if m["member_ids"] is None else [names[i] for i in m["member_ids"]]
        got.append((m["code"], who, amounts, m["due_date"]))
    assert got == expected.measures

    for m in result["measures"]:
        assert m["department"] == DEPARTMENTS.get(m["code"])
        assert m["reason"].strip(), m["code"]
    for code, phrases in expected.reasons.items():
        reasons = " ".join(m["reason"] for m in result["measures"] if m["code"] == code)
        for phrase in phrases:
            assert phrase in reasons, (code, phrase, reasons)


def test_table_is_large_and_covers_everything(default_policy: Policy, rigid_policy: Policy) -> None:
    """The table covers every measure, flag and tier, both areas, both periods and both deduction settings."""
    from window_desk import vocab

    assert len(ROWS) >= 40
    codes = {m[0] for row in ROWS for m in row[2].measures}
    assert codes == set(vocab.MEASURES)
    assert {f for row in ROWS for f in row[2].flags} == set(vocab.FLAGS)
    assert {row[2].tier for row in ROWS} == set(vocab.TIERS)
    assert {row[1]["area"] for row in ROWS} == {"urban", "rural"}
    assert {row[2].policy[0] for row in ROWS} >= {"2021-11-01", "2022-07-01", "2026-06-01"}
    assert {row[3] for row in ROWS} == {"default", "rigid"}
    assert any(row[2].note for row in ROWS)
