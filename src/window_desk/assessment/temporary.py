"""§3.9–3.11: temporary aid — 支出型, 急难型 (with 先行救助), and 流浪乞讨."""

from __future__ import annotations

from typing import TYPE_CHECKING

from window_desk import vocab
from window_desk.assessment.model import Measure
from window_desk.assessment.specialised import referral
from window_desk.assessment.text import _events_text, _money_text, _num, _rigid_text, _round, _share_text

if TYPE_CHECKING:
    from window_desk.assessment import Found
    from window_desk.assessment.income import Context

EMERGENCY_EVENTS = ("disaster", "accident", "serious_illness", "public_health", "fire", "breadwinner_death")


def temp_expenditure(ctx: Context, found: Found) -> list[Measure]:
    """§3.9: not dibao, E > 0, P_r < S, P < multiplier × S → min(months × E, max_months × S × n)."""
    r, rules = ctx.rest, ctx.rules
    if not (r.n and not found.has("dibao") and ctx.E > 0 and r.I_r < r.S_n and r.I < r.low_n):
        return []
    n = r.n
    wanted = rules.expenditure_months * ctx.E
    cap = rules.temp_max_months * ctx.S * n
    amount = _round(wanted if wanted < cap else cap)
    who = "家庭" if n == ctx.N else f"除特困人员外的{n}名家庭成员"
    return [Measure(
        "temp_expenditure", vocab.MEASURES["temp_expenditure"], None,
        f"家庭每月刚性支出{_money_text(ctx.E)}元({_rigid_text(ctx.rigid)}),{who}月计算收入{_money_text(r.I)}元"
        f"(人均{_share_text(r.I, n, (ctx.low_line,))}元,低于{_num(ctx.multiplier)}倍低保标准"
        f"{ctx.low_text}元),扣除刚性支出后人均{_share_text(r.I_r, n, (ctx.S,))}元,低于{ctx.area}低保标准"
        f"{ctx.S_text}元;建议一次性救助{rules.expenditure_months}个月刚性支出{_money_text(wanted)}元,"
        f"以{rules.temp_max_months}个月低保标准×{n}人={_money_text(cap)}元为限,即{amount}元。",
        due_date=ctx.due("temp_expenditure"), amount=amount)]


def temp_emergency(ctx: Context, found: Found) -> list[Measure]:
    """§3.10: an emergency event → months × S × N, prepay capped by the reserve; plus social work."""
    hardship = [e for e in EMERGENCY_EVENTS if e in ctx.events]
    if not hardship:
        return []
    rules, deadlines = ctx.rules, ctx.period.deadlines
    N = ctx.N
    amount = _round(rules.emergency_months * ctx.S * N)
    cap = rules.emergency_prepay_cap
    prepay = amount if amount < cap else _round(cap)
    paperwork = ctx.due.working(deadlines.prepay_paperwork)
    approval = (f"先行救助金额超过{_money_text(rules.prepay_approval_limit)}元,须经审核人审批。"
                if prepay > rules.prepay_approval_limit else "")
    what = _events_text(hardship)
    return [
        Measure(
            "temp_emergency", vocab.MEASURES["temp_emergency"], None,
            f"家庭遭遇{what},基本生活陷入困境,属急难情形;建议急难型临时救助{rules.emergency_months}个月×"
            f"{ctx.area}低保标准{ctx.S_text}元×{N}人={amount}元,先行救助{prepay}元(备用金先行救助上限"
            f"{_money_text(cap)}元),先行救助后{deadlines.prepay_paperwork}个工作日内"
            f"({paperwork.isoformat()}前)补齐材料。{approval}",
            due_date=ctx.due("temp_emergency"), amount=amount, prepay=prepay),
        referral(ctx, "social_work", None,
                 f"家庭遭遇{what},转{ctx.departments.social_work}提供心理疏导、精神慰藉等社会工作服务。"),
    ]


def vagrant(ctx: Context, found: Found) -> list[Measure]:
    """§3.11: homeless → the relief station."""
    if "homeless" not in ctx.events:
        return []
    return [referral(ctx, "vagrant", None,
                     f"生活无着、流浪乞讨,转{ctx.departments.vagrant}提供临时食宿、急病救治、协助返乡等救助。")]
