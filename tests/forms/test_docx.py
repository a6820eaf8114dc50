"""The Word side of the documents: templates in resources/templates/, filled by docx_render.

Each kind is rendered from its sample data (resources/samples/forms/<kind>.json)
and read back with python-docx: every value of the data must be in the text of
the document (body, tables, headers and footers), rare characters included.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from window_desk.forms.kinds import KINDS as SPEC_KINDS
from window_desk.errors import UserError
from window_desk.forms.docx_render import (
    KINDS,
    TEMPLATE_DIR_ENV,
    TITLES,
    build_context,
    cn_date,
    render_docx,
    template_path,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "resources" / "samples" / "forms"
TEMPLATES = REPO / "resources" / "templates"
SCRIPT = REPO / "scripts" / "build_templates.py"

ALL_KINDS = tuple(SPEC_KINDS)


# ---------------------------------------------------------------- helpers


def sample(kind: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{kind}.json").read_text(encoding="utf-8"))


def _paragraph_texts(element) -> list[str]:
    return [Paragraph(p, None).text for p in element.iter(qn("w:p"))]


def parts_text(data: bytes) -> dict[str, str]:
    """The text of the body (tables included), the headers and the footers, one paragraph a line."""
    doc = Document(io.BytesIO(data))
    headers, footers = [], []
    for section in doc.sections:
        for hdr in (section.header, section.first_page_header, section.even_page_header):
            if not hdr.is_linked_to_previous:
                headers += _paragraph_texts(hdr._element)
        for ftr in (section.footer, section.first_page_footer, section.even_page_footer):
            if not ftr.is_linked_to_previous:
                footers += _paragraph_texts(ftr._element)
    return {
        "body": "\n".join(_paragraph_texts(doc.element.body)),
        "header": "\n".join(headers),
        "footer": "\n".join(footers),
    }


def all_text(data: bytes) -> str:
    return "\n".join(parts_text(data).values())


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for key, sub in value.items() for leaf in leaves(sub, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [leaf for idx, sub in enumerate(value) for leaf in leaves(sub, f"{path}[{idx}]")]
    return [(path, value)]


def assert_all_values_present(kind: str, data: dict[str, Any], text: str) -> int:
    """Every non-empty string or number of ``data`` is in ``text`` (a date may print as 2026年3月9日)."""
    checked = 0
    for path, value in leaves(data):
        if isinstance(value, bool) or value is None or value == "":
            continue
        shown = str(value)
        assert shown in text or cn_date(shown) in text, f"{kind}: {path} = {shown!r} is not in the document"
        checked += 1
    return checked


def table_with_header(data: bytes, header_word: str):
    doc = Document(io.BytesIO(data))
    for table in doc.tables:
        if any(header_word in cell.text for cell in table.rows[0].cells):
            return table
    raise AssertionError(f"no table whose first row says {header_word}")


# ---------------------------------------------------------------- the templates


def test_samples_and_templates_cover_all_nine_kinds() -> None:
    assert set(KINDS) == set(ALL_KINDS) == set(TITLES)
    for kind in ALL_KINDS:
        assert (SAMPLES / f"{kind}.json").is_file(), kind
        assert (TEMPLATES / f"{kind}.docx").is_file(), kind
        assert template_path(kind) == TEMPLATES / f"{kind}.docx"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_template_page_setup_follows_gbt_9704(kind: str) -> None:
    doc = Document(str(TEMPLATES / f"{kind}.docx"))
    section = doc.sections[0]
    tolerance = Mm(0.2)
    assert abs(section.left_margin - Mm(28)) < tolerance
    assert abs(section.right_margin - Mm(26)) < tolerance
    if kind == "daily_register":
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert abs(section.page_width - Mm(297)) < tolerance and abs(section.page_height - Mm(210)) < tolerance
    else:
        assert section.orientation == WD_ORIENT.PORTRAIT
        assert abs(section.page_width - Mm(210)) < tolerance and abs(section.page_height - Mm(297)) < tolerance
        assert abs(section.top_margin - Mm(37)) < tolerance
        assert abs(section.bottom_margin - Mm(35)) < tolerance
        # type area 156 × 225 mm
        assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < tolerance
        assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < tolerance

    def east_asia(style_name: str) -> str:
        return doc.styles[style_name].element.rPr.rFonts.get(qn("w:eastAsia"))

    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing == 1.5
    assert east_asia("Normal") == "仿宋_GB2312"
    assert doc.styles["公文标题"].font.size.pt == 22
    assert east_asia("公文标题") == "方正小标宋简体"
    assert doc.styles["表格文字"].font.size.pt == 12
    # Word falls back to 仿宋 / 黑体 where the first choice is not installed.
    with zipfile.ZipFile(TEMPLATES / f"{kind}.docx") as zf:
        font_table = zf.read("word/fontTable.xml").decode("utf-8")
        document_xml = zf.read("word/document.xml").decode("utf-8")
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table
    assert 'w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in font_table
    # the title paragraph is there, centred by its style, and the template has placeholders
    titles = [p.text for p in doc.paragraphs if p.style.name == "公文标题"]
    assert TITLES[kind] in titles
    assert "{{ office }}" in "".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "{{ clerk }}" in "".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert "{{" in document_xml


def test_build_script_regenerates_the_committed_templates(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_templates", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{k}.docx" for k in ALL_KINDS)
    for path in written:
        doc = Document(str(path))  # python-docx opens it
        assert doc.paragraphs, path.name
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(TEMPLATES / path.name) as committed:
            # The committed template is what the script makes now (rerun the script after changing it).
            for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
                assert new.read(part) == committed.read(part), f"{path.name}:{part} is stale"


# ---------------------------------------------------------------- rendering the samples


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_value_of_the_sample_is_in_the_document(kind: str) -> None:
    data = sample(kind)
    rendered = render_docx(kind, data)
    parts = parts_text(rendered)
    text = "\n".join(parts.values())
    checked = assert_all_values_present(kind, data, text)
    assert checked >= 8
    assert TITLES[kind] in parts["body"]
    # header and footer: office, number, date, clerk (经办人)
    assert data["office"] in parts["header"] and data["number"] in parts["header"]
    assert data["date"] in parts["footer"] and f"经办人：{data['clerk']}" in parts["footer"]
    if data.get("case_number"):
        assert data["case_number"] in parts["footer"]
    # page number — 1 — from a PAGE field
    with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
        footer_xml = zf.read("word/footer1.xml").decode("utf-8")
    assert " PAGE " in footer_xml and "— " in parts["footer"]
    # nothing of the template language is left, nothing printed as None/Undefined
    for leftover in ("{{", "}}", "{%", "%}", "None", "Undefined", "True", "False"):
        assert leftover not in text, f"{kind}: {leftover!r} left in the document"
    assert "补打" not in text


def test_rare_characters_survive() -> None:
    text = all_text(render_docx("application", sample("application")))
    for name in ("朱𠈌", "高𪚥", "朱䶮", "朱堃"):
        assert name in text
    register = all_text(render_docx("daily_register", sample("daily_register")))
    for name in ("周𣲗", "吴𨭉", "孙龑", "钱犇", "赵赟"):
        assert name in register


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_reprint_says_budai_in_header_and_body(kind: str) -> None:
    data = sample(kind)
    parts = parts_text(render_docx(kind, data, reprint=True))
    assert "补打" in parts["header"]
    assert "补打" in parts["body"]
    assert data["number"] in parts["body"] + parts["header"]  # same number as the original


def test_authorization_wording_and_one_signature_row_per_member() -> None:
    data = sample("authorization")
    rendered = render_docx("authorization", data)
    text = all_text(rendered)
    assert "户籍、车辆、社保、公积金、住房、存款、证券、保险、工商、税务" in text
    assert "承诺" in text and "真实" in text
    table = table_with_header(rendered, "手印")
    header = [c.text for c in table.rows[0].cells]
    assert header[-2:] == ["本人或监护人签名", "手印"]
    assert len(table.rows) == 1 + len(data["members"])
    for row, member in zip(table.rows[1:], data["members"], strict=True):
        cells = [c.text for c in row.cells]
        assert cells[1] == member["name"] and cells[3] == member["id_number"]
        assert cells[-1] == "" and cells[-2] == ""  # left for the pen and the finger
        guardian = member.get("guardian")
        if guardian:
            assert guardian["name"] in cells[4] and guardian["id_number"] in cells[4]
        else:
            assert cells[4] == ""
    # the header row repeats on a second page
    assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


def test_guardian_given_as_plain_name() -> None:
    data = sample("authorization")
    data["members"][0]["guardian"] = "李监护"
    table = table_with_header(render_docx("authorization", data), "手印")
    assert table.rows[1].cells[4].text == "李监护"


def test_prepay_voucher_amount_in_figures_and_capitals() -> None:
    data = sample("prepay_voucher")
    text = all_text(render_docx("prepay_voucher", data))
    assert "¥2500.00" in text
    assert "人民币贰仟伍佰元整" in text
    assert "手印" in text and "签名" in text
    for amount, figures, words in ((2500, "2500.00", "贰仟伍佰元整"), ("1234.56", "1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
                                   (Decimal("800.5"), "800.50", "捌佰元零伍角"), ("10005", "10005.00", "壹万零伍元整")):
        text = all_text(render_docx("prepay_voucher", dict(data, amount=amount)))
        assert f"¥{figures}" in text and f"人民币{words}" in text


def test_optional_keys_missing_print_nothing() -> None:
    data = sample("prepay_voucher")
    del data["approved_by"]
    del data["case_number"]
    text = all_text(render_docx("prepay_voucher", data))
    assert "陈卫东" not in text and "审批人" in text
    assert "案号" not in parts_text(render_docx("prepay_voucher", data))["footer"]

    register = sample("daily_register")
    del register["review"]
    register["rows"][0]["note"] = None
    text = all_text(render_docx("daily_register", register))
    assert "陈卫东" not in text and "None" not in text


def test_rejection_notice_remedy_as_object_or_text() -> None:
    data = sample("rejection_notice")
    text = all_text(render_docx("rejection_notice", data))
    assert "60日内向示范县人民政府申请行政复议" in text
    assert "6个月内依法向示范县人民法院提起行政诉讼" in text
    assert "依据：《社会救助暂行办法》第十一条" in text

    own = "如不服本决定，可于60日内向某县人民政府申请行政复议，或于6个月内向某县人民法院提起行政诉讼。"
    text = all_text(render_docx("rejection_notice", dict(data, remedy=own)))
    assert own in text
    assert "示范县人民政府" not in text


def test_referral_slip_has_the_tear_off_receipt_with_the_same_number() -> None:
    data = sample("referral_slip")
    rendered = render_docx("referral_slip", data)
    body = parts_text(rendered)["body"]
    cut = body.index("✂")
    slip, receipt = body[:cut], body[cut:]
    assert "- - - -" in receipt.splitlines()[0]
    assert "回执" in receipt
    assert data["number"] in slip and data["number"] in receipt
    for field in ("接收单位", "签收人", "签收时间", "办理结果", "反馈时间", "盖章"):
        assert field in receipt, field
    assert data["to_department"] in receipt and data["person"]["name"] in receipt
    for measure in data["measures"]:
        assert measure in slip


def test_inquiry_record_lists_every_handoff() -> None:
    data = sample("inquiry_record")
    rendered = render_docx("inquiry_record", data)
    table = table_with_header(rendered, "转出人")
    assert len(table.rows) == 1 + len(data["handoffs"])
    assert [r.cells[2].text for r in table.rows[1:]] == [h["to"] for h in data["handoffs"]]
    empty = render_docx("inquiry_record", dict(data, handoffs=[]))
    table = table_with_header(empty, "转出人")
    assert len(table.rows) == 2 and "无转办" in table.rows[1].cells[0].text


def test_daily_register_is_landscape_with_a_row_per_entry_and_totals() -> None:
    data = sample("daily_register")
    rendered = render_docx("daily_register", data)
    doc = Document(io.BytesIO(rendered))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = table_with_header(rendered, "公民身份号码")
    assert len(table.rows) == 1 + len(data["rows"])
    assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    first = [c.text for c in table.rows[1].cells]
    assert first[3] == data["rows"][0]["id_number"]  # printed as given: masked
    assert "*" in first[3]
    materials = [r.cells[7].text for r in table.rows[1:]]
    assert materials == ["齐全" if r["materials_complete"] else "不全" for r in data["rows"]]
    text = all_text(rendered)
    assert "登记24" in text and "受理6" in text and "咨询答复3" in text
    assert "审核人（分管领导）：陈卫东" in text
    empty = render_docx("daily_register", dict(data, rows=[], totals={"received": 0}))
    assert "本日无登记" in all_text(empty)


def test_awkward_text_stays_valid_word() -> None:
    data = sample("acceptance_notice")
    data["applicant"]["name"] = "A&B <王䶮> \"引号\""
    data["matter"] = "第一行\n第二行\x07\x0c\x00"
    rendered = render_docx("acceptance_notice", data)
    doc = Document(io.BytesIO(rendered))  # still well-formed XML
    text = all_text(rendered)
    assert "A&B <王䶮> \"引号\"" in text
    assert "第一行\n第二行" in text  # a line break, and the control characters are gone
    assert "\x07" not in text and "\x0c" not in text
    assert len(doc.sections) == 1  # \f did not become a page/section break


def test_numbers_and_date_objects_as_values() -> None:
    data = sample("application")
    for member in data["members"]:
        member["monthly_income"] = 300
    text = all_text(render_docx("application", data))
    assert "300.00" in text and "月收入合计1200.00元" in text
    from datetime import date

    notice = sample("acceptance_notice")
    notice["deadline"] = date(2026, 4, 20)
    assert "2026年4月20日前办结" in all_text(render_docx("acceptance_notice", notice))


def test_context_leaves_the_callers_data_alone() -> None:
    data = sample("authorization")
    before = copy.deepcopy(data)
    ctx = build_context("authorization", data, reprint=True)
    assert data == before
    assert ctx["reprint"] is True and ctx["title"] == TITLES["authorization"]


def test_unknown_kind_is_a_user_error() -> None:
    with pytest.raises(UserError) as info:
        render_docx("../../etc/passwd", {})
    assert info.value.field == "KIND"


# ---------------------------------------------------------------- the township's own templates


def _edited_template(path: Path, kind: str, marker: str) -> None:
    """A township's edit in Word: a new first paragraph with its own wording and a placeholder."""
    doc = Document(str(TEMPLATES / f"{kind}.docx"))
    first = doc.paragraphs[0]
    first.insert_paragraph_before(f"{marker}（本镇自定义）{{{{ applicant.name }}}}")
    doc.save(str(path))


def test_template_folder_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edited_template(tmp_path / "acceptance_notice.docx", "acceptance_notice", "示范镇民政办")
    monkeypatch.setenv(TEMPLATE_DIR_ENV, str(tmp_path))
    assert template_path("acceptance_notice") == tmp_path / "acceptance_notice.docx"
    data = sample("acceptance_notice")
    text = all_text(render_docx("acceptance_notice", data))
    assert "示范镇民政办（本镇自定义）王䶮" in text
    assert_all_values_present("acceptance_notice", data, text)
    # a kind the folder has no file for still uses the shipped template
    assert template_path("rejection_notice") == TEMPLATES / "rejection_notice.docx"
    assert "本镇自定义" not in all_text(render_docx("rejection_notice", sample("rejection_notice")))


def test_override_folder_from_the_build_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates the script writes into another folder render like the shipped ones."""
    for kind in ALL_KINDS:
        shutil.copy(TEMPLATES / f"{kind}.docx", tmp_path / f"{kind}.docx")
    monkeypatch.setenv(TEMPLATE_DIR_ENV, str(tmp_path))
    for kind in ALL_KINDS:
        assert template_path(kind).parent == tmp_path
        assert_all_values_present(kind, sample(kind), all_text(render_docx(kind, sample(kind))))


def test_broken_township_template_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEMPLATE_DIR_ENV, str(tmp_path))
    (tmp_path / "prepay_voucher.docx").write_bytes(b"not a word file")
    with pytest.raises(UserError) as info:
        render_docx("prepay_voucher", sample("prepay_voucher"))
    assert info.value.field == "模板"

    doc = Document(str(TEMPLATES / "rejection_notice.docx"))
    doc.paragraphs[0].insert_paragraph_before("{{ applicant.name ")  # a half-typed placeholder
    doc.save(str(tmp_path / "rejection_notice.docx"))
    with pytest.raises(UserError) as info:
        render_docx("rejection_notice", sample("rejection_notice"))
    assert "rejection_notice.docx" in str(info.value)


def test_cn_date() -> None:
    assert cn_date("2026-03-09") == "2026年3月9日"
    assert cn_date("2026-03-09T17:30") == "2026年3月9日 17:30"
    assert cn_date("2026-03-09 08:05:00") == "2026年3月9日 08:05"
    assert cn_date("三月九日") == "三月九日"
    assert cn_date(None) == ""
