"""Chinese line breaking (禁则): the rules of forms.md, on plain strings and in the PDF layout."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from window_desk.forms.linebreak import CANNOT_END, CANNOT_START, atoms, break_text

SPEC_CANNOT_START = "，。、：；！？）》」”"
SPEC_CANNOT_END = "（《「“"


def em(text: str) -> float:
    """Every Han character and full-width mark 1 em; Latin letters and digits half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def test_the_spec_marks_are_in_the_rules() -> None:
    assert set(SPEC_CANNOT_START) <= CANNOT_START
    assert set(SPEC_CANNOT_END) <= CANNOT_END


def test_a_comma_that_would_start_a_line_takes_the_last_character_with_it() -> None:
    # 10 em per line: the 11th character is "，" and may not start line 2.
    lines = break_text("一二三四五六七八九十，十一十二", 10, em)
    assert lines == ["一二三四五六七八九", "十，十一十二"]


def test_an_opening_bracket_never_ends_a_line() -> None:
    lines = break_text("一二三四五六七八九《社会救助暂行办法》", 10, em)
    assert lines[0] == "一二三四五六七八九"
    assert lines[1].startswith("《")


def test_closing_marks_in_a_row_move_together() -> None:
    lines = break_text("一二三四五六七八九十」。后文", 10, em)
    assert lines[0] == "一二三四五六七八九"
    assert lines[1] == "十」。后文"


def test_a_line_of_nothing_but_marks_hangs_them_rather_than_loop() -> None:
    lines = break_text("好" + "。" * 12, 5, em)
    assert "".join(lines) == "好" + "。" * 12
    assert lines[0].startswith("好")


def test_id_numbers_phone_numbers_and_amounts_are_not_broken() -> None:
    text = "公民身份号码11010519491231002X，电话0376-3123456，金额2500.00元"
    assert "11010519491231002X" in atoms(text)
    assert "0376-3123456" in atoms(text)
    assert "2500.00" in atoms(text)
    for width in range(10, 30):
        lines = break_text(text, width, em)
        joined = "\n".join(lines)
        for token in ("11010519491231002X", "0376-3123456", "2500.00"):
            assert token in joined


def test_a_latin_run_wider_than_the_line_is_cut_by_characters() -> None:
    lines = break_text("A" * 30, 5, em)
    assert "".join(lines) == "A" * 30
    assert all(em(line) <= 5 for line in lines)


def test_newline_forces_a_break_and_dashes_stay_whole() -> None:
    assert break_text("第一行\n第二行", 20, em) == ["第一行", "第二行"]
    lines = break_text("一二三四五六七八——九十", 10, em)
    assert any("——" in line for line in lines)


HAN = "社会救助一门受理窗口申请家庭经济状况核对授权书低保特困临时医疗教育住房就业"
MARKS = SPEC_CANNOT_START + SPEC_CANNOT_END


@st.composite
def prose(draw: st.DrawFn) -> str:
    """Han text with marks, never two marks in a row (real prose), as a line breaker meets it."""
    out = []
    for _ in range(draw(st.integers(1, 120))):
        if out and out[-1] not in MARKS and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(MARKS)))
        else:
            out.append(draw(st.sampled_from(HAN)))
    return "".join(out)


@given(prose(), st.integers(4, 30))
def test_no_line_starts_or_ends_with_a_forbidden_mark(text: str, width: int) -> None:
    lines = break_text(text, width, em)
    assert "".join(lines) == text  # nothing lost, nothing added
    for line in lines[1:]:
        assert line[0] not in SPEC_CANNOT_START, lines
    for line in lines[:-1]:
        assert line[-1] not in SPEC_CANNOT_END, lines
    for line in lines:
        assert em(line) <= width, lines  # pushing down never overflows


@pytest.mark.parametrize("width", [200.0, 250.0, 300.0, 442.2])
def test_the_pdf_layout_applies_the_rules(width: float) -> None:
    from window_desk.forms.fonts import get_fontset
    from window_desk.forms.text import Style, TextBlock

    text = ("申请人朱𠈌（公民身份号码：411526197503082619），因配偶高𪚥患尿毒症，"
            "每周透析三次，“自付费用”较高；家庭收入难以维持基本生活。《社会救助暂行办法》规定：") * 4
    block = TextBlock(text, Style(size=16, leading=24, indent=32), get_fontset())
    block.wrap(width, 10000)
    lines = ["".join(u[0] for u in units).strip() for units, _ in block._lines]
    assert "".join(lines) == text.replace(" ", "")
    for line in lines[1:]:
        assert line[0] not in SPEC_CANNOT_START, lines
    for line in lines[:-1]:
        assert line[-1] not in SPEC_CANNOT_END, lines
    assert any("411526197503082619" in line for line in lines)
