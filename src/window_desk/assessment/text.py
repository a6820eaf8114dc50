"""How figures and lists read in the reasons: rounding, per-capita shares, names joined."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from window_desk import vocab
from window_desk.assessment.model import FEN, MONEY_ZERO, Member, RigidExpenses

_GRADE_LABEL = {1: "一", 2: "二", 3: "三", 4: "四"}
_PLACEMENT_LABEL = {"centralized": "集中供养", "dispersed": "分散供养"}

def _money_text(value: Decimal) -> str:
    """Half up to the fen, as a plain two-decimal string."""
    rounded = value.quantize(FEN, ROUND_HALF_UP)
    return "0.00" if not rounded else str(rounded)


def _round(value: Decimal) -> Decimal:
    rounded = value.quantize(FEN, ROUND_HALF_UP)
    return MONEY_ZERO if not rounded else rounded


def _share(total: Decimal, n: int, places: int = 2) -> Decimal:
    """total ÷ n rounded half up to ``places`` decimals, exactly (no intermediate rounding)."""
    num, den = total.as_integer_ratio()
    scale = 10**places
    quotient, remainder = divmod(abs(num) * scale, den * n)
    if 2 * remainder >= den * n:
        quotient += 1
    return Decimal(-quotient if num < 0 else quotient).scaleb(-places)


def _share_text(total: Decimal, n: int, thresholds: Iterable[Decimal]) -> str:
    """A per-capita figure for a reason; four decimals when two would hide which side of a threshold it is."""
    shown = _share(total, n)
    for threshold in thresholds:
        if shown == threshold and total != threshold * n:
            return str(_share(total, n, 4))
    return str(shown)


def _num(value: Decimal) -> str:
    """A multiplier or ratio without trailing zeros: 2.0 → 2, 1.50 → 1.5."""
    return format(value.normalize(), "f")


def _names(members: Iterable[Member]) -> str:
    return "、".join(m.name for m in members)


def _events_text(events: Iterable[str]) -> str:
    present = set(events)
    return "、".join(label for code, label in vocab.EVENTS.items() if code in present)


def _ids(members: Sequence[Member]) -> tuple[str, ...]:
    return tuple(m.id_number for m in members)



def _rigid_text(rigid: RigidExpenses) -> str:
    return "、".join(f"{label}{_money_text(getattr(rigid, key))}元" for key, label in vocab.RIGID_EXPENSES.items()
                    if getattr(rigid, key) > 0)


def _income_basis(n: int, N: int, I: Decimal, E: Decimal, I_d: Decimal, deduct: bool, deducted: Decimal,  # noqa: E741
                  exempt: Decimal, thresholds: tuple[Decimal, ...]) -> str:
    """The household's income as the reasons of §3.5–3.8 state it."""
    who = f"家庭{n}人" if n == N else f"除特困人员外的{n}名家庭成员"
    notes = []
    if deducted:
        notes.append(f"已扣减就业成本{_money_text(deducted)}元")
    if exempt:
        notes.append(f"豁免收入{_money_text(exempt)}元不计入")
    text = f"{who}月计算收入合计{_money_text(I)}元" + (f"({','.join(notes)})" if notes else "")
    if deduct:
        text += f",扣除刚性支出{_money_text(E)}元后为{_money_text(I_d)}元"
    return f"{text},人均{_share_text(I_d, n, thresholds)}元"


# --- a measure the clerk adds by hand --------------------------------------------------------


def disability_text(m: Member) -> str:
    """持视力二级残疾证 — how a reason names a member's disability certificate."""
    d = m.disability
    assert d is not None
    return f"持{vocab.DISABILITY_KINDS[d.kind]}{_GRADE_LABEL[d.grade]}级残疾证"

