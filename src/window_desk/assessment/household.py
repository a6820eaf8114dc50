"""§3.5–3.8: the rest of the household — 低保, 单人保, 渐退, 低收入.

Every comparison is on exact totals (I_d against S × n), so nothing is rounded early; the reasons
print the figures as the clerk reads them aloud.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from window_desk import vocab
from window_desk.assessment.model import MONEY_ZERO, Measure
from window_desk.assessment.text import _money_text, _num, _round, disability_text

if TYPE_CHECKING:
    from window_desk.assessment import Found
    from window_desk.assessment.income import Context


def dibao(ctx: Context, found: Found) -> list[Measure]:
    """§3.5: assets_ok and P_d < S → (S − P_d) × n, computed as S × n − I_d."""
    r = ctx.rest
    if not (r.n and ctx.assets_ok and r.I_d < r.S_n):
        return []
    amount = _round(r.S_n - r.I_d)
    return [Measure(
        "dibao", vocab.MEASURES["dibao"], None,
        f"{r.basis},低于{ctx.area}低保标准{ctx.S_text}元,家庭财产符合规定;按{r.n}人补差:"
        f"{ctx.S_text}元×{r.n}人−{_money_text(r.I_d)}元={amount}元/月。",
        due_date=ctx.due("dibao"), monthly_amount=amount)]


def dibao_single(ctx: Context, found: Found) -> list[Measure]:
    """§3.6: not dibao, assets_ok, P_d < multiplier × S → each remaining member with disability
    grade 1–2 or a serious illness, max(0, S − own counted income)."""
    r = ctx.rest
    if not (r.n and not found.has("dibao") and ctx.assets_ok and r.I_d < r.low_n):
        return []
    out = []
    for m in r.members:
        d = m.disability
        severe = d is not None and d.grade <= 2
        if not (severe or m.health == "serious"):
            continue
        own = ctx.counted[m.id_number]
        amount = _round(ctx.S - own) if own < ctx.S else MONEY_ZERO
        why = disability_text(m) if severe else "患重病"
        out.append(Measure(
            "dibao_single", vocab.MEASURES["dibao_single"], (m.id_number,),
            f"{r.basis},不低于{ctx.area}低保标准{ctx.S_text}元,整户不符合低保条件,但低于{_num(ctx.multiplier)}倍"
            f"低保标准{ctx.low_text}元,家庭财产符合规定;{m.name}{why},按单人保纳入低保:"
            f"{ctx.S_text}元−本人月收入{_money_text(own)}元,每月{amount}元。",
            due_date=ctx.due("dibao_single"), monthly_amount=amount))
    return out


def dibao_taper(ctx: Context, found: Found) -> list[Measure]:
    """§3.7: receiving dibao, not dibao now, P_d < multiplier × S → taper_months of 渐退."""
    r = ctx.rest
    if not (r.n and "dibao" in ctx.household.current_benefits and not found.has("dibao") and r.I_d < r.low_n):
        return []
    why_not = (f"已不低于{ctx.area}低保标准{ctx.S_text}元" if r.I_d >= r.S_n
               else "但家庭财产超过规定,不再符合低保条件")
    months = ctx.rules.taper_months
    return [Measure(
        "dibao_taper", vocab.MEASURES["dibao_taper"], None,
        f"家庭正在享受低保;{r.basis},{why_not},仍低于{_num(ctx.multiplier)}倍低保标准{ctx.low_text}元;"
        f"给予{months}个月渐退期,期内维持原低保待遇。",
        due_date=ctx.due("dibao_taper"), months=months)]


def low_income(ctx: Context, found: Found) -> list[Measure]:
    """§3.8: not dibao, assets_ok, S ≤ P_d < multiplier × S (flag dynamic_monitoring, see finish)."""
    r = ctx.rest
    if not (r.n and not found.has("dibao") and ctx.assets_ok and r.S_n <= r.I_d < r.low_n):
        return []
    return [Measure(
        "low_income", vocab.MEASURES["low_income"], None,
        f"{r.basis},不低于{ctx.area}低保标准{ctx.S_text}元、低于{_num(ctx.multiplier)}倍低保标准{ctx.low_text}元,"
        f"家庭财产符合规定,认定为低收入家庭,纳入低收入人口动态监测。",
        due_date=ctx.due("low_income"))]
