"""Amounts in financial capitals (大写) by the People's Bank rules for 票据."""

from __future__ import annotations

from decimal import Decimal

import pytest

from window_desk.money import chinese_capitals


@pytest.mark.parametrize(("amount", "words"), [
    ("0.5", "伍角"),                       # 角 without 整
    ("10", "壹拾元整"),                     # 壹拾, not 拾
    ("100.05", "壹佰元零伍分"),             # jiao 0, fen not: 零 after 元
    ("2500", "贰仟伍佰元整"),
    ("30000.10", "叁万元零壹角"),           # yuan units digit 0, jiao follows: 零 after 元
    ("1000000", "壹佰万元整"),
    # The rules' own examples
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("0.05", "伍分"),
    ("1.10", "壹元壹角"),
    ("100010000", "壹亿零壹万元整"),
])
def test_capitals(amount: str, words: str) -> None:
    assert chinese_capitals(Decimal(amount)) == words


def test_capitals_carry_no_currency_sign() -> None:
    for amount in ("0.5", "2500", "30000.10"):
        words = chinese_capitals(Decimal(amount))
        assert not any(sign in words for sign in ("¥", "￥", "人民币"))


def test_negative_amount_has_no_capitals() -> None:
    with pytest.raises(ValueError):
        chinese_capitals(Decimal("-1"))
