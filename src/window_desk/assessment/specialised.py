"""§3.12 专项救助: referrals to the departments in charge, for households that got a gate measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from window_desk import vocab
from window_desk.assessment.model import Measure
from window_desk.assessment.text import _ids, _money_text, disability_text

if TYPE_CHECKING:
    from window_desk.assessment import Found
    from window_desk.assessment.income import Context

# A household is referred for specialised aid only once it got one of these (§3.12).
GATE_MEASURES = ("tekun", "dibao", "dibao_single", "low_income", "temp_expenditure", "temp_emergency")


def referral(ctx: Context, code: str, member_ids: tuple[str, ...] | None, reason: str) -> Measure:
    """A measure another department carries out: its department and due date from the period."""
    return Measure(code, vocab.MEASURES[code], member_ids, reason, due_date=ctx.due(code),
                   department=ctx.departments.for_code(code))


def specialised(ctx: Context, found: Found) -> list[Measure]:
    if not found.has(*GATE_MEASURES):
        return []
    return [*medical(ctx), *education(ctx), *housing(ctx), *employment(ctx), *disaster(ctx),
            *disability_subsidy(ctx), *child_welfare(ctx), *legal_aid(ctx)]


def medical(ctx: Context) -> list[Measure]:
    """A member with health chronic or serious, or medical expenses."""
    ill = [m for m in ctx.members if m.health != "healthy"]
    if not (ill or ctx.rigid.medical > 0):
        return []
    parts = []
    if ill:
        parts.append("、".join(f"{m.name}患{vocab.HEALTH[m.health]}" for m in ill))
    if ctx.rigid.medical > 0:
        parts.append(f"家庭每月医疗支出{_money_text(ctx.rigid.medical)}元")
    return [referral(ctx, "medical", _ids(ill) or None, f"{','.join(parts)},转{ctx.departments.medical}办理医疗救助。")]


def education(ctx: Context) -> list[Measure]:
    pupils = [m for m in ctx.members if m.schooling]
    if not pupils:
        return []
    text = "、".join(f"{m.name}({vocab.SCHOOLING[m.schooling or '']})" for m in pupils)
    return [referral(ctx, "education", _ids(pupils), f"{text}在学,转{ctx.departments.education}办理教育救助。")]


def housing(ctx: Context) -> list[Measure]:
    """No house or a dangerous one (urban: 公租房/租赁补贴; rural: 危房改造)."""
    state = ctx.household.housing
    if state == "adequate":
        return []
    what = "无房" if state == "none" else "住房为危房"
    help_ = "申请公租房或住房租赁补贴" if ctx.urban else "申请农村危房改造"
    return [referral(ctx, "housing", None, f"家庭{what}({ctx.area}),转{ctx.departments.housing}{help_}。")]


def job_seekers(ctx: Context) -> list:
    """Working age, able to work, not employed, not in school."""
    rules = ctx.rules
    return [m for m in ctx.members
            if rules.working_age_min <= ctx.ages[m.id_number] < rules.working_age_max
            and m.labor_capacity != "none" and not m.employed and not m.schooling]


def zero_employment(ctx: Context) -> bool:
    """零就业家庭: nobody is employed although someone could be."""
    return bool(job_seekers(ctx)) and not any(m.employed for m in ctx.members)


def employment(ctx: Context) -> list[Measure]:
    seekers = job_seekers(ctx)
    if not seekers:
        return []
    text = "、".join(f"{m.name}({ctx.ages[m.id_number]}岁,{vocab.LABOR_CAPACITY[m.labor_capacity]})" for m in seekers)
    extra = ";家庭无人就业,属零就业家庭,请优先帮扶" if zero_employment(ctx) else ""
    return [referral(ctx, "employment", _ids(seekers),
                     f"{text}处于劳动年龄、未就业且不在学,转{ctx.departments.employment}提供就业援助{extra}。")]


def disaster(ctx: Context) -> list[Measure]:
    if "disaster" not in ctx.events:
        return []
    return [referral(ctx, "disaster", None, f"家庭遭受自然灾害,转{ctx.departments.disaster}办理受灾人员救助。")]


def disability_subsidy(ctx: Context) -> list[Measure]:
    """A disabled member not covered by tekun."""
    disabled = [m for m in ctx.members if m.disability is not None and m.id_number not in ctx.tekun_ids]
    if not disabled:
        return []
    text = "、".join(f"{m.name}{disability_text(m)}" for m in disabled)
    return [referral(ctx, "disability_subsidy", _ids(disabled),
                     f"{text},未纳入特困供养,转{ctx.departments.disability_subsidy}申请困难残疾人生活补贴。")]


def child_welfare(ctx: Context) -> list[Measure]:
    """A minor without a capable supporter."""
    minor_age = ctx.rules.minor_age
    children = [m for m in ctx.members if ctx.ages[m.id_number] < minor_age and not m.supporter_capable]
    if not children:
        return []
    text = "、".join(f"{m.name}({ctx.ages[m.id_number]}岁)" for m in children)
    return [referral(ctx, "child_welfare", _ids(children),
                     f"{text}未满{minor_age}周岁且无有能力的抚养人,转{ctx.departments.child_welfare}"
                     f"落实困境儿童基本生活保障。")]


def legal_aid(ctx: Context) -> list[Measure]:
    if "legal_dispute" not in ctx.events:
        return []
    return [referral(ctx, "legal_aid", None, f"家庭涉及法律纠纷,转{ctx.departments.legal_aid}申请法律援助。")]
