"""§3.3 特困人员救助供养 (tekun), per member."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from window_desk import vocab
from window_desk.assessment.model import Measure, Member
from window_desk.assessment.text import _PLACEMENT_LABEL, _money_text, _round, disability_text

if TYPE_CHECKING:
    from window_desk.assessment.income import Context

_SEVERE_MENTAL = frozenset({"intellectual", "mental"})


def _severe(m: Member) -> bool:
    """Disability grade 1–2 of any kind, or grade 3 intellectual/mental."""
    d = m.disability
    return d is not None and (d.grade <= 2 or (d.grade == 3 and d.kind in _SEVERE_MENTAL))


def qualifies(m: Member, age: int, own: Decimal, S: Decimal, assets_ok: bool, rules: Any) -> bool:  # noqa: N803
    """Category (elder, minor or severely disabled), no labor capacity (none, or by age), no living
    source (own counted income < S and assets_ok) and no capable supporter."""
    elder, minor = age >= rules.elder_age, age < rules.minor_age
    return ((elder or minor or _severe(m)) and (elder or minor or m.labor_capacity == "none")
            and own < S and assets_ok and not m.supporter_capable)


def tekun(ctx: Context, found: object) -> list[Measure]:
    """T + the care standard by self_care; 集中供养 when self_care is partial or none (seed 004)."""
    return [_measure(ctx, m) for m in ctx.members if m.id_number in ctx.tekun_ids]


def _measure(ctx: Context, m: Member) -> Measure:
    rules, age = ctx.rules, ctx.ages[m.id_number]
    why = []
    if age >= rules.elder_age:
        why.append(f"年满{rules.elder_age}周岁(现年{age}岁)")
    if age < rules.minor_age:
        why.append(f"未满{rules.minor_age}周岁(现年{age}岁)")
    if _severe(m):
        why.append(disability_text(m))
    labor = "无劳动能力" if m.labor_capacity == "none" else "按年龄视为无劳动能力"
    care = ctx.standards.care(m.self_care)
    amount = _round(ctx.T + care)
    placement = "dispersed" if m.self_care == "full" else "centralized"
    place_why = "" if placement == "dispersed" else f"({vocab.SELF_CARE[m.self_care]}人员纳入集中供养)"
    area, own = ctx.area, ctx.counted[m.id_number]
    return Measure(
        "tekun", vocab.MEASURES["tekun"], (m.id_number,),
        f"{m.name}{'、'.join(why)},{labor},本人月收入{_money_text(own)}元低于{area}低保标准{ctx.S_text}元,"
        f"家庭财产符合规定,无有能力的法定赡养、抚养、扶养义务人,符合特困人员条件;按{area}特困人员基本生活标准"
        f"{_money_text(ctx.T)}元加{vocab.SELF_CARE[m.self_care]}照料护理标准{_money_text(care)}元,每月{amount}元,"
        f"建议{_PLACEMENT_LABEL[placement]}{place_why}。",
        due_date=ctx.due("tekun"), monthly_amount=amount, placement=placement)
