"""§3.13 慈善与观察: charity referral, and the observation list when nothing else applies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from window_desk import vocab
from window_desk.assessment.model import Measure
from window_desk.assessment.specialised import referral
from window_desk.assessment.text import _events_text, _money_text, _num, _share_text

if TYPE_CHECKING:
    from window_desk.assessment import Found
    from window_desk.assessment.income import Context


def charity(ctx: Context, found: Found) -> list[Measure]:
    """After temporary aid, or when assets fail but events are present."""
    expenditure, emergency = found.has("temp_expenditure"), found.has("temp_emergency")
    if expenditure or emergency:
        kinds = "、".join(k for k, on in (("支出型", expenditure), ("急难型", emergency)) if on)
        return [referral(ctx, "charity", None, f"家庭获{kinds}临时救助,转{ctx.departments.charity}链接慈善资源,"
                                               f"弥补政府救助的不足。")]
    if not ctx.assets_ok and ctx.events:
        return [referral(ctx, "charity", None, f"家庭财产超过规定,不符合政府救助条件,但遭遇{_events_text(ctx.events)},"
                                               f"转{ctx.departments.charity}寻求慈善救助。")]
    return []


def observation(ctx: Context, found: Found) -> list[Measure]:
    """救助观察名单 (seed 004 二.(四)): no measure applies, but events, rigid expenses or a
    per-capita income under the low-income line show a real difficulty."""
    if found.measures:
        return []
    r = ctx.rest
    difficulties = []
    if ctx.events:
        difficulties.append(f"遭遇{_events_text(ctx.events)}")
    if ctx.E > 0:
        difficulties.append(f"每月刚性支出{_money_text(ctx.E)}元")
    if r.n and r.I < ctx.low_line * r.n:
        difficulties.append(f"人均收入{_share_text(r.I, r.n, (ctx.low_line,))}元低于{_num(ctx.multiplier)}倍低保标准"
                            f"{ctx.low_text}元")
    if not difficulties:
        return []
    why = "(家庭财产超过规定)" if not ctx.assets_ok else ""
    return [Measure(
        "observation", vocab.MEASURES["observation"], None,
        f"家庭暂不符合各项救助条件{why},但{','.join(difficulties)},确有实际困难,纳入救助观察名单,定期回访。",
        due_date=ctx.due("observation"))]
