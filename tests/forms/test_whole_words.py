"""Every kind rendered with long real-world values keeps the words of its columns whole.

A 34-character address, a four-character name with characters outside the BMP, a difficulty of
six lines, an illness with its bracketed detail, dates in narrow columns: each word comes back on
one line of ``pdftotext -layout`` (a line's spaces removed: justified text and table gaps), never
as 慢性病（糖尿 / 病） or 2026年4 / 月20日.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tests.forms.pdf_tools import load_sample, pdftotext, squash
from window_desk.forms import KINDS, render_pdf
from window_desk.forms.kinds import date_cn, parse_datetime
from window_desk.forms.linebreak import atoms
from window_desk.forms.pdf import iter_leaves

ADDRESS = "河南省信阳市示范县示范镇杨庄村三组幸福路27号院3号楼2单元501室"
NAME = "欧阳𠈌䶮"  # four characters, two of them outside the BMP (CJK Extension B) and in Extension A
DIFFICULTY = ("申请人配偶尿毒症规律透析，每周三次，2026年已自付医疗费用8600元；本人患慢性病（糖尿病），"
              "长期服药，无法外出务工；长子在校学生（高职），次女在校学生（初中），教育支出较大；"
              "家庭住房为危房，2025年7月受灾后未修缮；家庭月收入1200.00元，低于当地低保标准，"
              "因病致贫、因学致贫风险高，急需医疗救助、教育救助和住房救助协同办理，请贵单位优先审核。") * 2
HEALTH = ["慢性病（糖尿病）", "重病（尿毒症，规律透析）", "肢体残疾（二级）", "健康", "精神残疾（一级）"]

# Words the reviewer saw broken, and the parts of the long address: each must stand on one line.
WORDS = ["慢性病", "（糖尿病）", "尿毒症", "规律透析", "2026年4月20日", "2026年3月20日", "河南省", "信阳市",
         "示范县", "示范镇", "杨庄村", "三组", "幸福路", "27号院", "3号楼", "2单元", "501室"]


def _long(kind: str) -> dict[str, Any]:
    """The sample of ``kind`` with the long values put in wherever the kind has such a field."""
    data = copy.deepcopy(load_sample(kind))
    for person in ("applicant", "person", "visitor"):
        if isinstance(data.get(person), dict):
            data[person]["name"] = NAME
            if "address" in data[person]:
                data[person]["address"] = ADDRESS
    if kind == "application":
        for i, member in enumerate(data["members"]):
            member["health"] = HEALTH[i % len(HEALTH)]
        data["members"][0]["name"] = NAME
        data["reason"] = DIFFICULTY
    if kind == "authorization":
        data["members"][0]["name"] = NAME
    if kind == "referral_slip":
        data["difficulty"] = DIFFICULTY
        data["due_date"] = "2026-04-20"
        data["measures"] = ["医疗救助（门诊慢特病），" * 4 + "请于2026年4月20日前反馈办理结果", "教育救助"]
    if kind in ("acceptance_notice", "missing_materials_notice", "rejection_notice"):
        key = {"acceptance_notice": "materials", "missing_materials_notice": "missing",
               "rejection_notice": "reasons"}[kind]
        data[key] = [DIFFICULTY[:90], *data[key]]
    if kind == "inquiry_record":
        data["matter"] = DIFFICULTY
    if kind == "prepay_voucher":
        data["reason"] = DIFFICULTY
    if kind == "daily_register":
        for row in data["rows"]:
            row["name"] = NAME
            row["address"] = ADDRESS
            if row.get("due_date"):
                row["due_date"] = "2026-04-20"
        data["rows"][0]["referred_to"] = "示范县医疗保障局、示范县教育局"
        data["rows"][0]["note"] = "慢性病（糖尿病），" + DIFFICULTY[:40]
    return data


def _printed_values(data: dict[str, Any]) -> list[str]:
    """The data's texts as the paper prints them (dates as 2026年4月20日); the register's masked ID
    numbers and the money figures print otherwise and are left out."""
    out = []
    for path, value in iter_leaves(data):
        if not isinstance(value, str) or path.endswith("id_number") or "monthly_income" in path:
            continue
        out.append(date_cn(value) if parse_datetime(value) is not None else value)
    return out


def _printed_words(kind: str, data: dict[str, Any]) -> set[str]:
    """The words (``linebreak.atoms``) of the printed values, two characters or more."""
    spec = KINDS[kind]
    words = {a for value in _printed_values(data) for a in atoms(value) if len(a) >= 2 and not a.isspace()}
    assert words, spec.kind
    return words


def _lines(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    return [squash(line) for line in pdftotext(path, "-layout").splitlines()]


def _split_words(words: set[str], lines: list[str]) -> list[str]:
    return sorted(w for w in words if not any(w in line for line in lines))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_word_of_every_column_stays_on_one_line(kind: str, tmp_path: Path) -> None:
    data = _long(kind)
    lines = _lines(render_pdf(kind, data), tmp_path)
    words = _printed_words(kind, data)
    assert _split_words(words, lines) == []
    # the long values are really there (the test would prove nothing on short ones)
    assert any(NAME in line for line in lines)
    printed = "\n".join(_printed_values(data))
    for word in WORDS:
        if word in printed:
            assert any(word in line for line in lines), word


def test_the_long_values_do_wrap_so_the_check_means_something(tmp_path: Path) -> None:
    data = _long("referral_slip")
    lines = _lines(render_pdf("referral_slip", data), tmp_path)
    # the difficulty takes at least six lines of its cell, and the address more than one column width
    assert sum(1 for line in lines if any(chunk in line for chunk in ("规律透析", "致贫", "务工", "审核"))) >= 6
    assert len(ADDRESS) >= 30 and not any(ADDRESS in line for line in lines)  # wrapped, between its words


def test_the_register_keeps_dates_addresses_and_names_whole(tmp_path: Path) -> None:
    data = _long("daily_register")
    lines = _lines(render_pdf("daily_register", data), tmp_path)
    for word in ("2026年4月20日", NAME, "河南省", "信阳市", "杨庄村", "27号院", "3号楼", "501室"):
        assert any(word in line for line in lines), word
    assert not any(line.endswith("2026年4") for line in lines)


def test_the_application_keeps_health_whole(tmp_path: Path) -> None:
    data = _long("application")
    lines = _lines(render_pdf("application", data), tmp_path)
    assert {m["health"] for m in data["members"]} >= {"慢性病（糖尿病）", "重病（尿毒症，规律透析）"}
    for health in {m["health"] for m in data["members"]}:
        for word in atoms(health):
            if len(word) >= 2:
                assert any(word in line for line in lines), word
    assert not any(line.endswith(("（糖尿", "（尿毒")) for line in lines)


def test_a_wrapped_list_item_hangs_under_its_text_not_its_number() -> None:
    from window_desk.forms.fonts import get_fontset
    from window_desk.forms.text import Style, TextBlock

    style = Style(size=16, leading=24, indent=32, hanging=True)
    block = TextBlock("1．" + DIFFICULTY[:120], style, get_fontset())
    block.wrap(300, 10_000)
    offsets = block._line_offsets()
    assert len(offsets) >= 3
    number = 16 * 1.0  # "1．": a digit (half) and a full-width point (half em in this face at least)
    assert offsets[0] == 32
    assert all(o > 32 and o >= 32 + number * 0.5 for o in offsets[1:])
    assert len(set(offsets[1:])) == 1
    plain = TextBlock("因病致贫，" * 30, style, get_fontset())
    plain.wrap(300, 10_000)
    assert plain._line_offsets()[1:] == [0.0] * (len(plain._line_offsets()) - 1)


def _chars(pdf: bytes) -> list[tuple[str, float, float]]:
    """(character, left x, baseline-ish bottom y) of every character on page 1, as pdfium reads them."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        tp = page.get_textpage()
        out = []
        for k in range(tp.count_chars()):
            ch = tp.get_text_range(k, 1)
            if ch.strip():
                left, bottom, _right, _top = tp.get_charbox(k, loose=True)
                out.append((ch, left, bottom))
        return out
    finally:
        doc.close()


def test_the_printed_list_item_hangs_under_its_text(tmp_path: Path) -> None:
    """On the rendered page: the wrapped line of item 1 starts under the item's text, right of its number."""
    chars = _chars(render_pdf("rejection_notice", _long("rejection_notice")))
    text = "".join(c for c, _x, _y in chars)
    start = text.index("1．申请人配偶")
    number_x, text_x, first_y = chars[start][1], chars[start + 2][1], chars[start][2]
    following = next(k for k in range(start, len(chars)) if chars[k][2] < first_y - 10)  # the next line
    assert abs(chars[following][1] - text_x) < 1.0, (chars[following], text_x)
    assert chars[following][1] > number_x + 8  # not back under the number
    # a plain paragraph's second line starts at the margin, left of its first-line indent
    para = text.index("如对本决定不服")
    para_y = chars[para][2]
    nxt = next(k for k in range(para, len(chars)) if chars[k][2] < para_y - 10)
    assert chars[nxt][1] < chars[para][1] - 20
