"""Money: always ``Decimal`` 元, rounded half up to the fen only at the end."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value: object) -> Decimal:
    """Round a Decimal (or int / numeric string) half up to 0.01 元.

    Floats are refused: a binary float has already lost the fen.
    """
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    if isinstance(value, bool):
        raise TypeError("money must not be a bool")
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not dec.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return dec.quantize(FEN, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """Two-decimal string, as the assessment output and the documents print it."""
    return "" if value is None else f"{to_money(value):.2f}"


def to_fen(value: Decimal) -> int:
    return int(to_money(value) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(n: int) -> str:
    """Capitals for 0 < n < 10000 with inner zeros collapsed (e.g. 1005 → 壹仟零伍)."""
    out = []
    zero_pending = False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[pos])
    return "".join(out)


def chinese_capitals(amount: Decimal) -> str:
    """An amount in financial capitals (大写), as vouchers print it: 2500 → 贰仟伍佰元整.

    Follows the People's Bank rules for 票据 (《正确填写票据和结算凭证的基本规定》):
    元整 when there are no jiao and fen; 角 without 整 when there are no fen; a 零
    wherever zeros are skipped inside the yuan; a 零 after 元 when the units digit of
    the yuan is 0 and jiao or fen follow (¥1680.32 → 壹仟陆佰捌拾元零叁角贰分,
    ¥30000.10 → 叁万元零壹角), and when the jiao is 0 but the fen is not
    (¥100.05 → 壹佰元零伍分). The capitals carry no currency sign: a voucher prints
    ``人民币`` before them and ``¥`` before the figures, never both on one amount.
    """
    value = to_money(amount)
    if value < 0:
        raise ValueError("negative amounts have no capitals")
    fen_total = to_fen(value)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if yuan >= 10**16:
        raise ValueError("amount too large")

    parts: list[str] = []
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            group = groups[idx]
            if group == 0:
                need_zero = bool(parts)
                continue
            if parts and (need_zero or group < 1000):
                parts.append("零")
            parts.append(_four_digits(group) + _BIG_UNITS[idx])
            need_zero = False
        parts.append("元")
    if jiao == 0 and fen == 0:
        return ("".join(parts) or "零元") + "整"
    if yuan and (yuan % 10 == 0 or jiao == 0):
        parts.append("零")
    if jiao:
        parts.append(_DIGITS[jiao] + "角")
    if fen:
        parts.append(_DIGITS[fen] + "分")
    return "".join(parts)


# --- amounts typed by a clerk (intake) ---
_TYPED = re.compile(r"\d{1,9}(\.\d{1,2})?")


def parse_money(text: str | None) -> Decimal | None:
    """A typed amount: empty is 0.00; a non-negative number with at most two decimals is that amount;
    anything else (a sign, a thousands separator, a third decimal, letters) is None — never guessed."""
    raw = (text or "").strip()
    if not raw:
        return ZERO
    if not _TYPED.fullmatch(raw):
        return None
    return Decimal(raw).quantize(FEN)


def money_error(text: str | None, label: str) -> str | None:
    """The Chinese message for a typed amount that is not one, naming the field; None when it is fine."""
    raw = (text or "").strip()
    if parse_money(raw) is not None:
        return None
    if raw.startswith(("-", "－", "−")):
        why = "不能为负数"
    elif "," in raw or "，" in raw:
        why = "请不要使用千位分隔符（逗号）"
    elif re.fullmatch(r"\d+\.\d{3,}", raw):
        why = "最多保留两位小数"
    else:
        why = "只能填写数字"
    return f"{label}：{why}，应为不小于0、最多两位小数的金额（现为“{raw}”）"
