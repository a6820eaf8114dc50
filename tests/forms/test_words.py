"""Words kept whole: the lexicon segmentation, dates, bracketed terms, numbers with their measure words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from window_desk import vocab
from window_desk.forms.linebreak import atoms, break_text, glued
from window_desk.forms.words import LEXICON, segment


def em(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def test_the_desks_own_words_are_in_the_lexicon() -> None:
    for label in (*vocab.MEASURES.values(), *vocab.HEALTH.values(), *vocab.MATERIALS.values()):
        assert label in LEXICON or any(part in LEXICON for part in segment(label) if len(part) > 1), label
    for word in ("最低生活保障", "慢性病", "糖尿病", "特困人员", "一次性告知", "临时救助"):
        assert word in LEXICON, word


def test_segmentation_of_real_values() -> None:
    assert atoms("慢性病（糖尿病）") == ["慢性病", "（糖尿病）"]
    assert atoms("2026年4月20日前反馈") == ["2026年4月20日", "前", "反馈"]
    assert atoms("示范县示范镇杨庄村三组27号") == ["示范县", "示范镇", "杨庄村", "三组", "27", "号"]
    assert segment("示范县医疗保障局") == ("示范县", "医疗保障局")
    assert "最低生活保障" in atoms("你提出的最低生活保障申请")


def test_a_number_and_its_measure_word_are_glued() -> None:
    assert glued("27", "号") and glued("2", "单元") and glued("2500.00", "元") and glued("第", "3")
    assert not glued("号", "院") and not glued("申请", "人") and not glued("", "号")
    # 12 em a line: "3组" would straddle the break; the number goes down with its measure word
    lines = break_text("申请人住在示范镇杨庄村第3组27号", 10, em)
    assert all(not line.endswith(("3", "27", "第")) for line in lines[:-1]), lines


def test_a_date_never_breaks_inside() -> None:
    for width in range(7, 20):
        lines = break_text("本机关将于2026年11月20日前办结并告知你", width, em)
        assert any("2026年11月20日" in line for line in lines), (width, lines)


def test_a_word_wider_than_the_line_is_still_printed_whole_in_characters() -> None:
    lines = break_text("人力资源和社会保障局", 4, em)
    assert "".join(lines) == "人力资源和社会保障局"
    assert all(em(line) <= 4 for line in lines)


WORDS = sorted(w for w in LEXICON if 2 <= len(w) <= 6)


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), st.integers(6, 30))
def test_no_lexicon_word_is_split_when_it_fits_the_line(words: list[str], width: int) -> None:
    text = "".join(words)
    lines = break_text(text, width, em)
    assert "".join(lines) == text
    for line in lines:
        assert em(line) <= width
    # every unit the breaker used is on one line: the cuts fall only between units
    cuts, pos = set(), 0
    for line in lines[:-1]:
        pos += len(line)
        cuts.add(pos)
    pos = 0
    for unit in atoms(text):
        inside = set(range(pos + 1, pos + len(unit)))
        if em(unit) <= width:  # (a longer word the lexicon found across two is cut as a last resort)
            assert not (inside & cuts), (unit, lines)
        pos += len(unit)
