"""The PDF side of the documents: every kind rendered from its sample and read back with poppler.

What a person would check on paper, checked by machine: fonts really embedded
(no STSong-Light, nothing that prints as boxes elsewhere), the text stays text
(pdftotext gives back every value of the data, rare characters outside the BMP
included), A4 portrait or landscape, header and footer on every page, the QR
code scans to number|case|hash, a reprint says 补打, same data → same bytes.
"""

from __future__ import annotations

import copy
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import missing
from tests.forms.pdf_tools import SAMPLES, load_sample, need, pdffonts, pdftotext, squash
from window_desk.forms import (
    KINDS,
    RenderError,
    content_hash,
    format_number,
    qr_payload,
    render,
    render_pdf,
    validate,
)
from window_desk.forms.pdf import iter_leaves

ALL_KINDS = list(KINDS)
RARE = ("朱𠈌", "高𪚥", "王䶮")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for kind in ALL_KINDS:
        path = folder / f"{kind}.pdf"
        path.write_bytes(render_pdf(kind, load_sample(kind)))
        out[kind] = path
    return out


def test_there_is_a_sample_for_every_kind_and_nothing_else() -> None:
    assert sorted(p.stem for p in SAMPLES.glob("*.json")) == sorted(ALL_KINDS)
    assert len(ALL_KINDS) == 9


def test_samples_carry_rare_names() -> None:
    names = "".join(str(v) for kind in ALL_KINDS for _, v in iter_leaves(load_sample(kind)))
    for name in RARE:
        assert name in names
    assert any(ord(ch) > 0xFFFF for ch in names)  # Extension B, outside the BMP


# -- fonts -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_font_is_an_embedded_truetype_subset(rendered: dict[str, Path], kind: str) -> None:
    fonts = pdffonts(rendered[kind])
    assert fonts, "no fonts at all"
    for font in fonts:
        assert font["emb"] == "yes", font
        assert font["sub"] == "yes", font
        assert font["uni"] == "yes", font  # has a ToUnicode map
        assert font["type"] == "TrueType", font
        assert "STSong" not in font["name"] and "Helvetica" not in font["name"], font


# -- the text stays text ----------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}))?")


def printed(path: str, value: Any) -> str:
    """How a leaf of the data reads on paper (written out here, independently of the renderer)."""
    if isinstance(value, bool):
        return "齐全" if value else "不齐"
    text = str(value)
    m = _DATE.fullmatch(text)
    if m:
        return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" + (m[4] or "")
    if path.endswith(("monthly_income", "amount")):
        return f"{Decimal(text):.2f}"
    return text


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_pdftotext_gives_back_every_value_of_the_data(rendered: dict[str, Path], kind: str) -> None:
    # -raw: content-stream order, so a value wrapped inside a table cell is not interleaved
    # with its neighbours' lines the way the reading-order mode would put them.
    text = squash(pdftotext(rendered[kind], "-raw"))
    data = load_sample(kind)
    missing = []
    for path, value in iter_leaves(data):
        if value in ("", None):
            continue
        if squash(printed(path, value)) not in text:
            missing.append((path, printed(path, value)))
    assert missing == []


def test_rare_characters_outside_the_bmp_come_back(rendered: dict[str, Path]) -> None:
    auth = pdftotext(rendered["authorization"])
    assert "朱𠈌" in auth and "高𪚥" in auth
    assert "王䶮" in pdftotext(rendered["acceptance_notice"])
    # and the ID numbers stay whole on one line (a Latin run is never broken)
    assert "411526197503082619" in auth and "411526197805123420" in auth


def test_without_the_tounicode_fix_extension_b_would_not_come_back(tmp_path: Path) -> None:
    from window_desk.forms import tounicode

    data = load_sample("authorization")
    tounicode.uninstall()
    try:
        broken = tmp_path / "broken.pdf"
        broken.write_bytes(render_pdf("authorization", data))
    finally:
        tounicode.install()
    fixed = tmp_path / "fixed.pdf"
    fixed.write_bytes(render_pdf("authorization", data))
    assert "𠈌" not in pdftotext(broken)  # reportlab's own map writes <2020C>, not UTF-16
    assert "𠈌" in pdftotext(fixed)
    assert tounicode.utf16_hex(0x2020C) == "D840DE0C"
    assert tounicode.utf16_hex(0x4E2D) == "4E2D"
    assert "𠈌".encode("utf-16-be").hex().upper() == tounicode.utf16_hex(ord("𠈌"))


def test_prepay_voucher_prints_the_amount_in_figures_and_capitals(rendered: dict[str, Path]) -> None:
    text = squash(pdftotext(rendered["prepay_voucher"]))
    assert "¥2500.00" in text and "¥2500.00元" not in text  # one currency sign, not ¥…元
    assert "人民币贰仟伍佰元整" in text
    assert "领取人签名" in text and "指印" in text
    assert "先行救助发放凭证（存根）" in text and "陈卫东" in text and "示范镇财政所" in text


def test_authorization_lists_the_records_the_promise_and_guardians(rendered: dict[str, Path]) -> None:
    text = squash(pdftotext(rendered["authorization"]))
    assert "户籍、车辆、社保、公积金、住房、存款、证券、保险、工商、税务" in text
    assert "承诺" in text
    assert "监护人：高𪚥（母亲）" in text
    assert text.count("代为签名、按指印") >= 2


def test_rejection_notice_names_the_remedies(rendered: dict[str, Path]) -> None:
    text = squash(pdftotext(rendered["rejection_notice"]))
    assert "六十日内向示范县人民政府申请行政复议" in text
    assert "六个月内依法向示范县人民法院提起行政诉讼" in text


def test_referral_slip_has_a_receipt_below_a_cut_line_on_the_same_page(rendered: dict[str, Path]) -> None:
    pdf = rendered["referral_slip"]
    assert _pages(pdf) == 1
    text = pdftotext(pdf)
    assert text.index("沿此虚线剪开") < text.index("社会救助转介回执")
    receipt = squash(text[text.index("社会救助转介回执"):])
    assert "示范镇救转〔2026〕0007号" in receipt  # the same number
    for label in ("接收单位", "签收人", "签收时间", "办理结果", "反馈时间", "盖章"):
        assert label in receipt


# -- pages ---------------------------------------------------------------------------------------

def _pages(pdf: Path) -> int:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info)[1])


def _page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return float(m[1]), float(m[2])


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a4_portrait_or_landscape(rendered: dict[str, Path], kind: str) -> None:
    w, h = _page_size(rendered[kind])
    if KINDS[kind].landscape:
        assert (round(w), round(h)) == (842, 595)
    else:
        assert (round(w), round(h)) == (595, 842)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_header_and_footer_on_every_page(rendered: dict[str, Path], kind: str) -> None:
    data = load_sample(kind)
    pages = _pages(rendered[kind])
    for page in range(1, pages + 1):
        text = squash(pdftotext(rendered[kind], "-f", str(page), "-l", str(page)))
        assert data["office"] in text
        assert data["number"] in text
        assert f"经办人：{data['clerk']}" in text
        assert "日期：2026年3月9日" in text
        assert f"—{page}—" in text


def test_daily_register_is_landscape_over_pages_with_the_header_row_repeated(rendered: dict[str, Path]) -> None:
    pdf = rendered["daily_register"]
    pages = _pages(pdf)
    assert pages >= 2  # 24 rows do not fit one landscape page
    for page in range(1, pages + 1):
        text = squash(pdftotext(pdf, "-f", str(page), "-l", str(page)))
        for head in ("序号", "公民身份号码", "联系电话", "办理时限", "经办人"):
            assert head in text
    last = squash(pdftotext(pdf, "-f", str(pages), "-l", str(pages)))
    assert "本日合计：登记24件" in last
    assert "审核意见" in last


def test_daily_register_masks_full_id_numbers() -> None:
    data = load_sample("daily_register")
    data["rows"][0]["id_number"] = "411526197503082619"
    text = squash(_text_of(render_pdf("daily_register", data)))
    assert "411526197503082619" not in text
    assert "411526********2619" in text


def _text_of(pdf: bytes) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.pdf"
        path.write_bytes(pdf)
        return pdftotext(path)


# -- number, hash, QR, reprint, determinism ---------------------------------------------------------

def test_format_number() -> None:
    assert format_number("示范镇", "救受", 2026, 1) == "示范镇救受〔2026〕0001号"
    assert format_number("示范镇人民政府", "救转", 2026, 7) == "示范镇救转〔2026〕0007号"
    assert format_number("示范镇", "救台", 2027, 12345) == "示范镇救台〔2027〕12345号"
    assert [KINDS[k].number_word for k in ALL_KINDS] == ["救授", "救申", "救受", "救告", "救驳", "救转", "救首",
                                                          "救先", "救台"]
    with pytest.raises(ValueError):
        format_number("示范镇", "救受", 2026, 0)


def test_content_hash_is_canonical() -> None:
    data = load_sample("referral_slip")
    reordered = dict(reversed(list(data.items())))
    assert content_hash("referral_slip", data) == content_hash("referral_slip", reordered)
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash("referral_slip", data))
    changed = copy.deepcopy(data)
    changed["person"]["phone"] = "13800000000"
    assert content_hash("referral_slip", changed) != content_hash("referral_slip", data)
    money = load_sample("prepay_voucher")
    assert content_hash("prepay_voucher", dict(money, amount=Decimal("2500.00"))) == content_hash(
        "prepay_voucher", dict(money, amount="2500.00"))


def test_qr_code_scans_to_number_case_and_hash(rendered: dict[str, Path], tmp_path: Path) -> None:
    zbarimg = shutil_which("zbarimg")
    if zbarimg is None:
        missing("zbarimg (zbar-tools) is not installed")
    for kind in ("referral_slip", "daily_register"):
        data = load_sample(kind)
        subprocess.run([need("pdftoppm"), "-r", "200", "-png", "-f", "1", "-l", "1", str(rendered[kind]),
                        str(tmp_path / kind)], check=True)
        png = next(tmp_path.glob(f"{kind}-*.png"))
        out = subprocess.run([zbarimg, "-q", "--raw", str(png)], capture_output=True, text=True,
                             encoding="utf-8").stdout.split()
        expected = f"{data['number']}|{data.get('case_number', '')}|{content_hash(kind, data)[:12]}"
        assert expected == qr_payload(kind, data)
        # The page's code; the referral slip's tear-off receipt carries a second one with the same payload.
        assert out == [expected] * (2 if kind == "referral_slip" else 1)


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


def test_same_data_gives_the_same_bytes() -> None:
    data = load_sample("referral_slip")
    first = render_pdf("referral_slip", data)
    assert render_pdf("referral_slip", copy.deepcopy(data)) == first
    assert render("referral_slip", data, "pdf") == first
    assert first.startswith(b"%PDF-")


def test_reprint_says_so_on_the_page() -> None:
    data = load_sample("acceptance_notice")
    plain = render_pdf("acceptance_notice", data)
    again = render_pdf("acceptance_notice", data, reprint=True)
    assert plain != again
    assert "补打" not in squash(_text_of(plain))
    assert "补打" in squash(_text_of(again))
    assert data["number"] in squash(_text_of(again))  # the original number


def test_long_values_wrap_and_flow_onto_more_pages() -> None:
    data = load_sample("application")
    data["reason"] = "因病致贫，" * 300
    data["members"] = data["members"] * 6
    pdf = render_pdf("application", data)
    text = squash(_text_of(pdf))
    # every character of the long reason is there (a word cut by a page break has the header between)
    assert text.count("因") == text.count("贫") == 300
    assert text.count("因病致贫") >= 295
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.pdf"
        path.write_bytes(pdf)
        assert _pages(path) >= 3


# -- bad data --------------------------------------------------------------------------------------

def _without(data: dict[str, Any], path: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    last = parts[-1]
    del node[last]
    return data


@pytest.mark.parametrize(("kind", "path"), [
    ("authorization", "applicant.name"),
    ("authorization", "clerk"),
    ("application", "reason"),
    ("acceptance_notice", "deadline"),
    ("missing_materials_notice", "contact.phone"),
    ("rejection_notice", "remedy.court"),
    ("referral_slip", "to_department"),
    ("inquiry_record", "answered_at"),
    ("prepay_voucher", "amount"),
    ("daily_register", "totals"),
    ("referral_slip", "office"),
    ("acceptance_notice", "number"),
])
def test_a_missing_field_is_named(kind: str, path: str) -> None:
    data = _without(load_sample(kind), path)
    with pytest.raises(RenderError) as caught:
        render_pdf(kind, data)
    assert str(caught.value) == f"缺少必填字段 {path}"
    assert caught.value.field == path


def test_a_missing_field_inside_a_list_is_named_by_index() -> None:
    data = load_sample("application")
    del data["members"][2]["health"]
    with pytest.raises(RenderError, match=r"members\[2\]\.health"):
        validate("application", data)


@pytest.mark.parametrize(("kind", "change", "field", "words"), [
    ("authorization", lambda d: d["members"][1].update(id_number="411526197805123421"), "members[1].id_number",
     "校验码"),
    ("acceptance_notice", lambda d: d.update(deadline="2026-02-30"), "deadline", "日期"),
    ("acceptance_notice", lambda d: d.update(materials=[]), "materials", "至少"),
    ("acceptance_notice", lambda d: d.update(materials="身份证"), "materials", "列表"),
    ("prepay_voucher", lambda d: d.update(amount="两千"), "amount", "金额"),
    ("prepay_voucher", lambda d: d.update(amount="0"), "amount", "零"),
    ("daily_register", lambda d: d["rows"][3].update(materials_complete="是"), "rows[3].materials_complete",
     "true"),
    ("referral_slip", lambda d: d.update(person="高𪚥"), "person", "对象"),
    ("inquiry_record", lambda d: d["handoffs"][1].update(at="昨天"), "handoffs[1].at", "时间"),
])
def test_bad_values_are_named(kind: str, change: Any, field: str, words: str) -> None:
    data = load_sample(kind)
    change(data)
    with pytest.raises(RenderError) as caught:
        render_pdf(kind, data)
    assert caught.value.field == field
    assert field in str(caught.value) and words in str(caught.value)


def test_unknown_kind_and_format() -> None:
    with pytest.raises(RenderError, match="未知的文书种类 receipt"):
        render("receipt", {}, "pdf")
    with pytest.raises(RenderError, match="不支持的文书格式 odt"):
        render("referral_slip", load_sample("referral_slip"), "odt")
    with pytest.raises(RenderError, match="JSON 对象"):
        validate("referral_slip", ["not", "an", "object"])


def test_optional_fields_may_be_left_out() -> None:
    data = load_sample("prepay_voucher")
    del data["approved_by"]
    del data["case_number"]
    assert render_pdf("prepay_voucher", data).startswith(b"%PDF")
    register = load_sample("daily_register")
    del register["review"]
    register["rows"] = []
    text = squash(_text_of(render_pdf("daily_register", register)))
    assert "本日无登记" in text
    inquiry = load_sample("inquiry_record")
    inquiry["handoffs"] = []
    inquiry["materials"] = []
    assert "无转办" in squash(_text_of(render_pdf("inquiry_record", inquiry)))


# -- characters no font has ---------------------------------------------------------------------------

@pytest.mark.parametrize(("char", "code"), [
    ("\ue000", "U+E000"),  # private use: no meaning to print
    ("\U00017000", "U+17000"),  # Tangut: assigned, but no configured font has it
    ("\u0378", "U+0378"),  # unassigned
])
def test_a_character_no_font_has_is_an_error_naming_field_and_character(char: str, code: str) -> None:
    data = load_sample("authorization")
    data["members"][2]["name"] = "朱" + char
    with pytest.raises(RenderError) as caught:
        render_pdf("authorization", data)
    message = str(caught.value)
    assert "members[2].name" in message and code in message and "没有可用字体" in message
    assert caught.value.field == "members[2].name"


def test_rare_characters_fall_back_to_the_next_font_per_character() -> None:
    from window_desk.forms.fonts import get_fontset

    fonts = get_fontset()
    body = fonts.chains["body"]
    first = body[0]
    runs = fonts.runs("朱𠈌与高𪚥", "body")
    assert "".join(part for _, part in runs) == "朱𠈌与高𪚥"
    for face, part in runs:
        for ch in part:
            assert face.has(ord(ch))
            # a character goes to a later font only when every earlier one lacks it
            for earlier in body[: body.index(face)]:
                assert not earlier.has(ord(ch))
    assert runs[0][0] is first or not first.has(ord("朱"))
