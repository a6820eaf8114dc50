#!/usr/bin/env python3
"""Build the Word templates of the nine documents: ``resources/templates/<kind>.docx``.

    .venv/bin/python scripts/build_templates.py            # rewrite resources/templates/
    .venv/bin/python scripts/build_templates.py --out DIR  # somewhere else

The templates are ordinary Word files with docxtpl (Jinja) placeholders —
``{{ applicant.name }}``, ``{%tr for m in members %}`` table-row loops,
``{%p for x in materials %}`` paragraph loops — so a township can open one in
Word, change the wording or the letterhead, and put the edited copy in its
template folder (``WINDOW_DESK_TEMPLATE_DIR``); ``window_desk.forms.docx_render``
fills them. Keep each ``{{ … }}`` / ``{% … %}`` typed in one go when editing,
and do not delete the rows or paragraphs that hold only a ``{%tr … %}`` or
``{%p … %}`` tag: they are the loops.

Layout after GB/T 9704-2012: A4, top margin 37 mm, binding (left) 28 mm, type
area 156 × 225 mm (so right 26 mm, bottom 35 mm); title 22 pt (二号) 小标宋,
falling back to 黑体; body 16 pt (三号) 仿宋_GB2312, falling back to 仿宋, at
1.5 line spacing; 12 pt (小四) inside tables; page numbers ``— 1 —``. The
daily register is A4 landscape. Every page carries the issuing office, the
document number, the date and the clerk (经办人) in its header and footer.

Filters the templates may use (see docx_render): ``cn_date`` (2026-03-09 →
2026年3月9日), ``money`` (→ 2500.00), ``capitals`` (→ 贰仟伍佰元整), ``yesno``
(→ 齐全 / 不全).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "resources" / "templates"

# Font names as Chinese Word installs them; the font table tells Word what to
# use on a machine that lacks the first choice (altName).
BODY_FONT, BODY_ALT = "仿宋_GB2312", "仿宋"
TITLE_FONT, TITLE_ALT = "方正小标宋简体", "黑体"
HEI_FONT = "黑体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xFF, 0x00, 0x00)

PORTRAIT_TYPE_WIDTH = Mm(156)
LANDSCAPE_TYPE_WIDTH = Mm(297 - 28 - 26)

# Kinds and titles come from the package, so the templates can never disagree with the PDFs.
from window_desk.forms.docx_render import KINDS, TITLES  # noqa: E402

# Style names (Chinese, as a township sees them in Word's style gallery).
S_BODY = "公文正文"
S_PLAIN = "公文无缩进"
S_TITLE = "公文标题"
S_LETTERHEAD = "发文机关标志"
S_NUMBER = "发文字号"
S_OFFICE_LINE = "单位名称"
S_HEADING = "公文小标题"
S_SIGN = "公文落款"
S_CELL = "表格文字"
S_CELL_LABEL = "表格栏目"
S_REGISTER_CELL = "台账文字"
S_HEADER = "页眉页脚文字"
S_CUT = "裁剪线"
S_RECEIPT_TITLE = "回执标题"
S_LOOP = "模板循环标记"


# ---------------------------------------------------------------- low-level XML


def _east_asia(style_or_run_element, east: str, latin: str = LATIN_FONT) -> None:
    """Set ascii/hAnsi to the Latin face and eastAsia to the Chinese face (hint eastAsia)."""
    _set_rfonts(style_or_run_element.get_or_add_rPr(), east, latin)


def _set_rfonts(rpr, east: str, latin: str = LATIN_FONT) -> None:
    fonts = rpr.get_or_add_rFonts()
    # A theme attribute beats the explicit one in Word: drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:hint"), "eastAsia")


def _set_border(ppr_owner, side: str, *, val: str = "single", sz: int = 4, color: str = "000000",
                space: int = 1) -> None:
    """A paragraph border (``side``: top/bottom); ``sz`` in eighths of a point."""
    ppr = ppr_owner.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), val)
    edge.set(qn("w:sz"), str(sz))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)
    # CT_PPr is a sequence: pBdr must come before spacing/ind/jc; python-docx's
    # insert helpers keep the others in order, so move pBdr into place.
    ppr.remove(borders)
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def _add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (e.g. PAGE) as begin / instrText / separate / result / end runs."""
    def fld(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        return run

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.insert(0, el)


def _table_cell_margins(table, left_mm: float, right_mm: float) -> None:
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, mm in (("left", left_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _set_widths(table, widths_mm: Sequence[float]) -> None:
    """Fixed layout with the given column widths (Word reads tcW, LibreOffice tblGrid)."""
    table.autofit = False
    tbl = table._tbl
    total = sum(widths_mm)
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(Mm(total).twips)))
    tbl_w.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    for col, mm in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(mm).twips)))
    for row in table.rows:
        for idx, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[idx])


# ---------------------------------------------------------------- document setup


def _style(doc, name: str, base: str | None = "Normal", *, size: float | None = None, east: str | None = None,
           align=None, first_indent: float | None = None, spacing: float | None = None,
           before: float | None = None, after: float | None = None, bold: bool | None = None,
           color: RGBColor | None = None, right_indent: float | None = None, keep_next: bool = False):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if east is not None:
        _east_asia(style.element, east)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if first_indent is not None:
        fmt.first_line_indent = Pt(first_indent)
    if right_indent is not None:
        fmt.right_indent = Pt(right_indent)
    if spacing is not None:
        fmt.line_spacing = spacing
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep_next:
        fmt.keep_with_next = True
    return style


def _setup_styles(doc) -> None:
    styles = doc.styles
    # Document defaults: Chinese language, so Word applies Chinese line-breaking rules.
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    _set_rfonts(rpr_default, BODY_FONT)

    normal = styles["Normal"]
    normal.font.size = Pt(16)
    _east_asia(normal.element, BODY_FONT)
    nfmt = normal.paragraph_format
    nfmt.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    nfmt.space_before = Pt(0)
    nfmt.space_after = Pt(0)
    nfmt.widow_control = True

    _style(doc, S_BODY, size=16, east=BODY_FONT, first_indent=32, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, S_PLAIN, size=16, east=BODY_FONT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(doc, S_TITLE, size=22, east=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, before=0, after=16,
           keep_next=True)
    _style(doc, S_LETTERHEAD, size=26, east=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, spacing=1.0,
           after=6)
    _style(doc, S_NUMBER, size=16, east=BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=1.0, after=18)
    _style(doc, S_OFFICE_LINE, size=16, east=HEI_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=1.0, after=6)
    _style(doc, S_HEADING, size=16, east=HEI_FONT, keep_next=True, first_indent=32)
    _style(doc, S_SIGN, size=16, east=BODY_FONT, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=64)
    _style(doc, S_CELL, size=12, east=BODY_FONT, spacing=1.0, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(doc, S_CELL_LABEL, base=S_CELL, size=12, east=HEI_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, S_REGISTER_CELL, base=S_CELL, size=10.5, east=BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, S_HEADER, size=10.5, east=BODY_FONT, spacing=1.0)
    _style(doc, S_RECEIPT_TITLE, size=18, east=HEI_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=1.0, after=2)
    _style(doc, S_CUT, size=12, east=BODY_FONT, spacing=1.0, align=WD_ALIGN_PARAGRAPH.CENTER, before=8, after=6)
    _style(doc, S_LOOP, size=8, east=BODY_FONT, spacing=1.0, color=RGBColor(0x80, 0x80, 0x80))


def _setup_font_table(doc) -> None:
    """Tell Word which installed face stands in for a missing one (altName)."""
    package = doc.part.package
    part = next((p for p in package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    for name, alt, family, pitch in (
        (BODY_FONT, BODY_ALT, "modern", "fixed"),
        (TITLE_FONT, TITLE_ALT, "script", "fixed"),
        (BODY_ALT, "FangSong", "modern", "fixed"),
        (HEI_FONT, "SimHei", "modern", "fixed"),
    ):
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_package(doc, kind: str) -> None:
    # python-docx's default template carries a sample thumbnail; an official form has none.
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
            package.rels._target_parts_by_rId.pop(rid, None)
    props = doc.core_properties
    props.title = TITLES[kind]
    props.subject = "社会救助“一门受理”窗口文书模板"
    props.author = "window-desk"
    props.last_modified_by = "window-desk"
    props.keywords = kind
    # docxtpl renders the properties too: no template braces in here.
    props.comments = "由 scripts/build_templates.py 生成;可在 Word 中修改措辞和版头,花括号占位符请保留原样。"
    props.language = "zh-CN"
    props.revision = 1
    stamp = datetime(2026, 1, 1, 0, 0, 0)
    props.created = stamp
    props.modified = stamp
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))  # present in python-docx's default template
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_section(doc, *, landscape: bool) -> None:
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        # Bound on the left like the portrait papers; the shorter page keeps 28/26 mm top/bottom.
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(12), Mm(10)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.header_distance, section.footer_distance = Mm(18), Mm(16)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.gutter = Mm(0)


def _setup_header_footer(doc, kind: str, *, width) -> None:
    section = doc.sections[0]
    header = section.header
    p = header.paragraphs[0]
    p.style = doc.styles[S_HEADER]
    p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    p.add_run("{{ office }}")
    p.add_run().add_tab()
    p.add_run(f"{TITLES[kind]}　编号：{{{{ number }}}}")
    mark = p.add_run("{% if reprint %}　补打{% endif %}")
    mark.bold = True
    mark.font.color.rgb = RED
    _set_border(p._p, "bottom", sz=4, space=1)

    footer = section.footer
    p = footer.paragraphs[0]
    p.style = doc.styles[S_HEADER]
    p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    p.add_run("日期：{{ date }}　经办人：{{ clerk }}")
    p.add_run("{% if case_number %}　案号：{{ case_number }}{% endif %}")
    p.add_run().add_tab()
    p.add_run("{{ office }}")
    p = footer.add_paragraph(style=doc.styles[S_HEADER])
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(3)
    run = p.add_run("— ")
    run.font.size = Pt(14)
    _add_field(p, "PAGE")
    for r in p.runs[1:]:
        r.font.size = Pt(14)
    run = p.add_run(" —")
    run.font.size = Pt(14)


def new_document(kind: str, *, landscape: bool = False):
    doc = Document()
    _setup_package(doc, kind)
    _setup_font_table(doc)
    _setup_styles(doc)
    _setup_section(doc, landscape=landscape)
    _setup_header_footer(doc, kind, width=LANDSCAPE_TYPE_WIDTH if landscape else PORTRAIT_TYPE_WIDTH)
    # Document() starts with no paragraphs; nothing to clear.
    return doc


# ---------------------------------------------------------------- building blocks


def para(doc_or_cell, text: str = "", style: str = S_BODY, *, bold: bool = False, align=None, color=None):
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True
        if color is not None:
            run.font.color.rgb = color
    if align is not None:
        p.alignment = align
    return p


def loop_tag(doc, tag: str):
    """A paragraph holding only a ``{%p … %}`` tag; removed whole when rendered."""
    return para(doc, tag, S_LOOP)


def red_letterhead(doc) -> None:
    """发文机关标志 in red, the document number, and the red separator line."""
    para(doc, "{{ office }}", S_LETTERHEAD)
    p = para(doc, "", S_NUMBER)
    p.add_run("{{ number }}")
    mark = p.add_run("{% if reprint %}（补打）{% endif %}")
    mark.bold = True
    mark.font.color.rgb = RED
    _set_border(p._p, "bottom", sz=18, color="FF0000", space=8)


def plain_letterhead(doc) -> None:
    """The office in 黑体 above a thin rule: for forms filled in at the window."""
    p = para(doc, "{{ office }}", S_OFFICE_LINE)
    _set_border(p._p, "bottom", sz=6, space=4)


def title(doc, text: str) -> None:
    para(doc, text, S_TITLE)


def number_line(doc) -> None:
    """编号 right-aligned under the title of a form, with the 补打 mark of a reprint."""
    p = para(doc, "", S_CELL, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.space_after = Pt(6)
    p.add_run("编号：{{ number }}")
    mark = p.add_run("{% if reprint %}（补打）{% endif %}")
    mark.bold = True
    mark.font.color.rgb = RED


def numbered_list(doc, var: str, item: str = "x", text: str | None = None) -> None:
    """One paragraph per item, ``1．……``, with a hanging indent: the wrapped lines align with the
    item's text (2 characters in, plus the number's ~1.5), as the PDF prints them."""
    loop_tag(doc, f"{{%p for {item} in {var} %}}")
    p = para(doc, text or f"{{{{ loop.index }}}}．{{{{ {item} }}}}", S_BODY)
    p.paragraph_format.left_indent = Pt(56)
    p.paragraph_format.first_line_indent = Pt(-24)
    loop_tag(doc, "{%p endfor %}")


def signature_block(doc, office_expr: str = "{{ office }}", date_expr: str = "{{ date|cn_date }}",
                    seal: bool = True) -> None:
    para(doc, "", S_PLAIN)
    para(doc, office_expr + ("（盖章）" if seal else ""), S_SIGN)
    para(doc, date_expr, S_SIGN)


def _fill_cell(cell, text: str, style: str, *, align=None, bold=False) -> None:
    p = cell.paragraphs[0]
    p.style = style
    if text:
        run = p.add_run(text)
        run.bold = bold
    if align is not None:
        p.alignment = align
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def form_table(doc, widths_mm: Sequence[float], rows: Sequence[Sequence[tuple]], *,
               min_height_mm: float = 9) -> object:
    """A label/value grid.

    ``rows`` is a list of rows; each row a list of ``(text, span, kind[, height_mm])`` with kind
    ``"label"`` (黑体, centred) or ``"value"`` (仿宋, left); spans must add up to the column count.
    """
    table = doc.add_table(rows=len(rows), cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r_idx, spec in enumerate(rows):
        row = table.rows[r_idx]
        height = max((c[3] for c in spec if len(c) > 3), default=min_height_mm)
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        _cant_split(row)
        col = 0
        for cell_spec in spec:
            text, span, kind = cell_spec[:3]
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
            if kind == "label":
                _fill_cell(cell, text, S_CELL_LABEL)
            else:
                _fill_cell(cell, text, S_CELL)
            col += span
        if col != len(widths_mm):
            raise ValueError(f"row {r_idx} spans {col} columns, not {len(widths_mm)}")
    _set_widths(table, widths_mm)
    return table


def loop_table(doc, headers: Sequence[str], widths_mm: Sequence[float], loop: str, cells: Sequence[str], *,
               empty_text: str | None = None, cell_style: str = S_CELL_LABEL, value_style: str = S_CELL,
               row_height_mm: float = 9, centered_cols: Sequence[int] = ()) -> object:
    """A table with a repeated header row and one row per item (``{%tr for … %}``)."""
    n = len(headers)
    collection = loop.split(" in ", 1)[1].strip()
    rows = 4 + (3 if empty_text else 0)
    table = doc.add_table(rows=rows, cols=n)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    _cant_split(header)
    for idx, text in enumerate(headers):
        _fill_cell(header.cells[idx], text, cell_style)

    def control(row, tag: str) -> None:
        cell = row.cells[0].merge(row.cells[n - 1])
        _fill_cell(cell, tag, S_LOOP)

    control(table.rows[1], f"{{%tr for {loop} %}}")
    data = table.rows[2]
    data.height = Mm(row_height_mm)
    data.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _cant_split(data)
    for idx, text in enumerate(cells):
        align = WD_ALIGN_PARAGRAPH.CENTER if idx in centered_cols else None
        _fill_cell(data.cells[idx], text, value_style, align=align)
    control(table.rows[3], "{%tr endfor %}")
    if empty_text:
        control(table.rows[4], f"{{%tr if not {collection} %}}")
        row = table.rows[5]
        cell = row.cells[0].merge(row.cells[n - 1])
        _fill_cell(cell, empty_text, S_CELL, align=WD_ALIGN_PARAGRAPH.CENTER)
        control(table.rows[6], "{%tr endif %}")
    _set_widths(table, widths_mm)
    return table


def spacer(doc, pt: float = 6) -> None:
    p = doc.add_paragraph(style=S_CELL)
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(pt)


# ---------------------------------------------------------------- the nine documents


RECORDS_CHECKED = "户籍、车辆、社保、公积金、住房、存款、证券、保险、工商、税务"


def build_authorization():
    doc = new_document("authorization")
    plain_letterhead(doc)
    title(doc, TITLES["authorization"])
    number_line(doc)
    para(doc, "{{ office }}及县级以上人民政府民政部门（居民家庭经济状况核对机构）：", S_PLAIN)
    para(doc, "本人{{ applicant.name }}（公民身份号码：{{ applicant.id_number }}）因申请社会救助，"
              "本人及下表所列共同生活的家庭成员自愿授权你单位，在审核确认社会救助和救助期间的动态管理中，"
              "通过有关部门和机构查询、核对本人及下列家庭成员的以下信息：")
    para(doc, RECORDS_CHECKED + "等信息。", S_BODY, bold=True)
    para(doc, "本授权自签署之日起生效，至本人及家庭成员停止享受社会救助之日止。核对机构对查询获得的信息"
              "负有保密义务，仅用于社会救助审核确认和动态管理，不得用于其他用途。")
    para(doc, "本人及家庭成员承诺：所申报的家庭人口、收入、财产和支出情况真实、完整，本授权系本人（监护人）"
              "真实意思表示。如有隐瞒、虚报或者伪造，愿意承担相应的法律责任，并退回不应享受的救助款物。")
    spacer(doc)
    loop_table(
        doc,
        ["序号", "姓名", "与申请人关系", "公民身份号码", "监护人（代签）", "本人或监护人签名", "手印"],
        [10, 19, 17, 38, 32, 24, 16],
        "m in members",
        [
            "{{ loop.index }}",
            "{{ m.name }}",
            "{{ m.relation }}",
            "{{ m.id_number }}",
            "{% if m.guardian %}{{ m.guardian.name }}{% if m.guardian.relation %}（{{ m.guardian.relation }}）"
            "{% endif %}{% if m.guardian.id_number %}\n{{ m.guardian.id_number }}{% endif %}{% endif %}",
            "",
            "",
        ],
        row_height_mm=15,
        centered_cols=(0, 1, 2, 3),
    )
    para(doc, "注：家庭成员中无民事行为能力或者限制民事行为能力的，由其监护人代为签名并捺手印，"
              "在“监护人”栏写明监护人姓名、关系和公民身份号码。", S_CELL)
    para(doc, "", S_PLAIN)
    para(doc, "申请人（签名）：　　　　　　　　（手印）", S_PLAIN)
    para(doc, "签署日期：{{ date|cn_date }}", S_SIGN)
    return doc


def build_application():
    doc = new_document("application")
    plain_letterhead(doc)
    title(doc, TITLES["application"])
    number_line(doc)
    para(doc, "{{ office }}：", S_PLAIN)
    para(doc, "本人因家庭生活困难，现向你单位申请社会救助。本人及共同生活家庭成员的情况如下：")
    spacer(doc)
    form_table(doc, [26, 52, 26, 52], [
        [("申请人", 1, "label"), ("{{ applicant.name }}", 1, "value"),
         ("公民身份号码", 1, "label"), ("{{ applicant.id_number }}", 1, "value")],
        [("家庭住址", 1, "label"), ("{{ applicant.address }}", 1, "value"),
         ("联系电话", 1, "label"), ("{{ applicant.phone }}", 1, "value")],
        [("申请救助类别", 1, "label"), ("{{ requested|join('、') }}", 3, "value")],
    ])
    spacer(doc)
    loop_table(
        doc,
        ["序号", "姓名", "与申请人关系", "公民身份号码", "健康状况", "就业状况", "月收入（元）"],
        [10, 18, 17, 39, 26, 26, 20],
        "m in members",
        ["{{ loop.index }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.id_number }}", "{{ m.health }}",
         "{{ m.employment }}", "{{ m.monthly_income|money }}"],
        centered_cols=(0, 1, 2, 3, 6),
    )
    para(doc, "共同生活家庭成员共{{ members|length }}人，月收入合计{{ income_total }}元。", S_CELL)
    para(doc, "申请理由", S_HEADING)
    para(doc, "{{ reason }}")
    para(doc, "本人承诺：以上所填情况及提交的材料真实、完整，同意并授权有关部门对本人及家庭成员的家庭经济状况"
              "进行调查核对；如有隐瞒、虚报或者伪造，愿意承担相应的法律责任，并退回不应享受的救助款物。")
    para(doc, "", S_PLAIN)
    para(doc, "申请人（签名）：　　　　　　　　（手印）", S_PLAIN)
    para(doc, "申请日期：{{ date|cn_date }}", S_SIGN)
    return doc


def _addressee(doc) -> None:
    para(doc, "{{ applicant.name }}{% if applicant.id_number %}（公民身份号码：{{ applicant.id_number }}）"
              "{% endif %}：", S_PLAIN)


def _contact(doc) -> None:
    para(doc, "联系人：{{ contact.name }}　　联系电话：{{ contact.phone }}")


def _receipt_line(doc) -> None:
    para(doc, "", S_PLAIN)
    para(doc, "申请人签收：　　　　　　　　　　签收日期：　　　年　　月　　日", S_CELL)


def build_acceptance_notice():
    doc = new_document("acceptance_notice")
    red_letterhead(doc)
    title(doc, TITLES["acceptance_notice"])
    _addressee(doc)
    para(doc, "你于{{ accepted_at|cn_date }}提出的{{ matter }}，经审查，申请材料齐全，符合法定形式，"
              "本机关决定予以受理。")
    para(doc, "已收到你提交的下列材料：")
    numbered_list(doc, "materials")
    para(doc, "本机关将于{{ deadline|cn_date }}前办结，并将办理结果书面告知你。办理期间，如家庭人口、收入、"
              "财产状况发生变化，请及时告知。如有疑问，请与经办人联系。")
    _contact(doc)
    signature_block(doc)
    _receipt_line(doc)
    return doc


def build_missing_materials_notice():
    doc = new_document("missing_materials_notice")
    red_letterhead(doc)
    title(doc, TITLES["missing_materials_notice"])
    _addressee(doc)
    para(doc, "你申请办理的{{ matter }}，经审查，提交的申请材料尚不齐全。根据社会救助“一门受理、协同办理”"
              "和一次性告知的有关规定，现将需要补正的全部材料一次性告知如下：")
    numbered_list(doc, "missing")
    para(doc, "请于{{ supplement_by|cn_date }}前将上述材料补齐后送至本机关社会救助服务窗口。材料补齐后，"
              "本机关将依法受理；逾期未补正的，视为撤回本次申请，你可以重新提出申请。")
    _contact(doc)
    signature_block(doc)
    _receipt_line(doc)
    return doc


def build_rejection_notice():
    doc = new_document("rejection_notice")
    red_letterhead(doc)
    title(doc, TITLES["rejection_notice"])
    _addressee(doc)
    para(doc, "你提出的{{ matter }}，经审查，因下列理由，本机关决定不予受理：")
    numbered_list(doc, "reasons")
    para(doc, "依据：{{ basis }}。")
    loop_tag(doc, "{%p if remedy_text %}")
    para(doc, "{{ remedy_text }}")
    loop_tag(doc, "{%p else %}")
    para(doc, "如对本决定不服，可以自收到本告知书之日起60日内向{{ remedy.review_body }}申请行政复议，"
              "也可以自收到本告知书之日起6个月内依法向{{ remedy.court }}提起行政诉讼。")
    loop_tag(doc, "{%p endif %}")
    para(doc, "如你的家庭情况符合其他社会救助条件，可向本机关社会救助服务窗口咨询。")
    signature_block(doc)
    _receipt_line(doc)
    return doc


def build_referral_slip():
    doc = new_document("referral_slip")
    plain_letterhead(doc)
    title(doc, TITLES["referral_slip"])
    number_line(doc)
    para(doc, "{{ to_department }}：", S_PLAIN)
    para(doc, "现将下列人员转介贵单位，请于{{ due_date|cn_date }}前办理，并将回执反馈我单位。")
    spacer(doc)
    form_table(doc, [26, 52, 26, 52], [
        [("姓名", 1, "label"), ("{{ person.name }}", 1, "value"),
         ("公民身份号码", 1, "label"), ("{{ person.id_number }}", 1, "value")],
        [("住址", 1, "label"), ("{{ person.address }}", 1, "value"),
         ("联系电话", 1, "label"), ("{{ person.phone }}", 1, "value")],
        [("困难情况", 1, "label"), ("{{ difficulty }}", 3, "value", 14)],
        [("请求协助事项", 1, "label"),
         ("{% for x in measures %}{{ loop.index }}．{{ x }}{% if not loop.last %}\n{% endif %}{% endfor %}", 3,
          "value", 14)],
        [("转介日期", 1, "label"), ("{{ referred_at|cn_date }}", 1, "value"),
         ("办理时限", 1, "label"), ("{{ due_date|cn_date }}前", 1, "value")],
        [("转出单位", 1, "label"), ("{{ from_office }}（盖章）", 1, "value"),
         ("联系人及电话", 1, "label"), ("{{ contact.name }}　{{ contact.phone }}", 1, "value")],
    ], min_height_mm=8)

    # The tear-off receipt: below a dashed cut line, on the same page, with the same number.
    cut = para(doc, "✂ - - - - - - - - - - - - - - - - - 沿此线剪开 - - - - - - - - - - - - - - - - -", S_CUT)
    _set_border(cut._p, "bottom", val="dashed", sz=6, space=1)
    cut.paragraph_format.keep_with_next = True
    para(doc, "社会救助转介回执", S_RECEIPT_TITLE).paragraph_format.keep_with_next = True
    p = para(doc, "", S_CELL, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.keep_with_next = True
    p.add_run("（转介单编号：{{ number }}）")
    # The receipt comes back on its own: it carries its own QR code (docx_render fills receipt_qr).
    p = para(doc, "{{ receipt_qr }}", S_CELL, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.keep_with_next = True
    form_table(doc, [26, 52, 26, 52], [
        [("转介对象", 1, "label"), ("{{ person.name }}", 1, "value"),
         ("接收单位", 1, "label"), ("{{ to_department }}", 1, "value")],
        [("签收人", 1, "label"), ("", 1, "value"),
         ("签收时间", 1, "label"), ("　　年　　月　　日", 1, "value")],
        [("办理结果", 1, "label"), ("", 3, "value", 16)],
        [("反馈时间", 1, "label"), ("　　年　　月　　日", 1, "value"),
         ("盖章", 1, "label"), ("接收单位（盖章）", 1, "value", 16)],
    ], min_height_mm=8)
    p = para(doc, "请接收单位填写后将回执送回（或拍照发送）{{ from_office }}。", S_CELL)
    p.paragraph_format.space_before = Pt(3)
    return doc


def build_inquiry_record():
    doc = new_document("inquiry_record")
    plain_letterhead(doc)
    title(doc, TITLES["inquiry_record"])
    number_line(doc)
    form_table(doc, [28, 50, 28, 50], [
        [("登记时间", 1, "label"), ("{{ received_at|cn_date }}", 1, "value"),
         ("来访方式", 1, "label"), ("{{ channel }}", 1, "value")],
        [("来访人", 1, "label"), ("{{ visitor.name }}", 1, "value"),
         ("联系电话", 1, "label"), ("{{ visitor.phone }}", 1, "value")],
        [("住址", 1, "label"), ("{{ visitor.address }}", 3, "value")],
        [("诉求事项", 1, "label"), ("{{ matter }}", 3, "value", 14)],
        [("提交材料", 1, "label"), ("{{ materials|join('、') }}", 3, "value")],
        [("首问责任人", 1, "label"), ("{{ first_responder }}", 1, "value"),
         ("承办人", 1, "label"), ("{{ handled_by }}", 1, "value")],
        [("办理结果", 1, "label"), ("{{ outcome }}", 3, "value", 16)],
        [("答复时间", 1, "label"), ("{{ answered_at|cn_date }}", 1, "value"),
         ("关联案号", 1, "label"), ("{{ case_number }}", 1, "value")],
    ])
    para(doc, "转办记录", S_HEADING).paragraph_format.first_line_indent = Pt(0)
    loop_table(
        doc,
        ["序号", "转出人", "接收人", "转办时间", "说明"],
        [10, 24, 38, 34, 50],
        "h in handoffs",
        ["{{ loop.index }}", "{{ h.from }}", "{{ h.to }}", "{{ h.at|cn_date }}", "{{ h.note }}"],
        empty_text="（无转办）",
        centered_cols=(0, 1),
    )
    para(doc, "首问责任人对来访、来电事项负责到底：能当场办理的当场办理；材料不全的一次性告知；"
              "不属于本单位职责的，转交有关部门并跟踪办理结果。", S_CELL)
    para(doc, "", S_PLAIN)
    para(doc, "首问责任人（签名）：　　　　　　　　　来访人（签名）：", S_PLAIN)
    return doc


def build_prepay_voucher():
    doc = new_document("prepay_voucher")
    plain_letterhead(doc)
    title(doc, TITLES["prepay_voucher"])
    number_line(doc)
    form_table(doc, [30, 48, 30, 48], [
        [("受助人姓名", 1, "label"), ("{{ person.name }}", 1, "value"),
         ("公民身份号码", 1, "label"), ("{{ person.id_number }}", 1, "value")],
        [("救助事由", 1, "label"), ("{{ reason }}", 3, "value", 18)],
        [("金额（小写）", 1, "label"), ("¥{{ amount_figures }}", 1, "value"),
         ("发放日期", 1, "label"), ("{{ paid_at|cn_date }}", 1, "value")],
        [("金额（大写）", 1, "label"), ("人民币{{ amount_capitals }}", 3, "value")],
        [("发放单位", 1, "label"), ("{{ payer }}", 1, "value"),
         ("审批人", 1, "label"), ("{{ approved_by }}", 1, "value")],
        [("经办人", 1, "label"), ("{{ clerk }}", 1, "value"),
         ("关联案号", 1, "label"), ("{{ case_number }}", 1, "value")],
        [("受助人签名", 1, "label"), ("本人已如数领取上述先行救助金。\n\n签名：", 1, "value", 24),
         ("受助人手印", 1, "label"), ("", 1, "value", 24)],
    ])
    para(doc, "说明：本凭证为临时救助备用金先行救助发放凭据，一式两联，第一联由发放单位留存并归入个案档案，"
              "第二联交受助人收执。先行救助后应按规定及时补齐审核审批手续。", S_CELL)
    signature_block(doc)
    return doc


def build_daily_register():
    doc = new_document("daily_register", landscape=True)
    p = para(doc, TITLES["daily_register"], S_TITLE)
    p.paragraph_format.space_after = Pt(4)
    p = para(doc, "", S_CELL, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_after = Pt(6)
    p.add_run("受理单位：{{ office }}　　登记日期：{{ day|cn_date }}　　编号：{{ number }}")
    mark = p.add_run("{% if reprint %}（补打）{% endif %}")
    mark.bold = True
    mark.font.color.rgb = RED
    table = loop_table(
        doc,
        ["序号", "时间", "姓名", "公民身份号码", "住址", "联系电话", "救助类别", "材料",
         "受理情况", "转介部门", "办结时限", "办理结果", "经办人", "备注"],
        [8, 11, 14, 36, 24, 22, 16, 10, 16, 17, 20, 17, 13, 19],
        "r in rows",
        ["{{ r.seq }}", "{{ r.time }}", "{{ r.name }}", "{{ r.id_number }}", "{{ r.address }}", "{{ r.phone }}",
         "{{ r.category }}", "{{ r.materials_complete|yesno }}", "{{ r.outcome }}", "{{ r.referred_to }}",
         "{{ r.due_date }}", "{{ r.result }}", "{{ r.clerk }}", "{{ r.note }}"],
        empty_text="本日无登记",
        cell_style=S_REGISTER_CELL,
        value_style=S_REGISTER_CELL,
        row_height_mm=7,
    )
    _table_cell_margins(table, 0.8, 0.8)
    p = para(doc, "", S_CELL)
    p.paragraph_format.space_before = Pt(6)
    p.add_run("本日合计：").bold = True
    p.add_run("{% for t in totals_items %}{{ t.label }}{{ t.value }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    para(doc, "审核意见：{{ review.comment }}", S_CELL)
    para(doc, "登记人：{{ clerk }}　　　　审核人（分管领导）：{{ review.supervisor }}　　　　"
              "审核时间：{{ review.reviewed_at|cn_date }}", S_CELL)
    # The audit chain head at sign-off (window-desk audit verify --anchor N:HASH), as the PDF prints it.
    loop_tag(doc, "{%p if review.anchor %}")
    para(doc, "审计链锚点：{{ review.anchor }}", S_CELL)
    loop_tag(doc, "{%p endif %}")
    loop_tag(doc, "{%p if amendments %}")
    para(doc, "签字后的更正记录：", S_CELL)
    loop_table(
        doc,
        ["更正时间", "更正人", "更正内容", "原值 → 新值", "更正理由"],
        [40, 24, 50, 79, 50],
        "a in amendments",
        ["{{ a.at|cn_date }}", "{{ a.by }}", "{{ a.what }}", "{{ a.change }}", "{{ a.reason }}"],
        cell_style=S_REGISTER_CELL,
        value_style=S_REGISTER_CELL,
        row_height_mm=7,
    )
    loop_tag(doc, "{%p endif %}")
    return doc


BUILDERS = {
    "authorization": build_authorization,
    "application": build_application,
    "acceptance_notice": build_acceptance_notice,
    "missing_materials_notice": build_missing_materials_notice,
    "rejection_notice": build_rejection_notice,
    "referral_slip": build_referral_slip,
    "inquiry_record": build_inquiry_record,
    "prepay_voucher": build_prepay_voucher,
    "daily_register": build_daily_register,
}


def check_fields(kind: str, path: Path) -> None:
    """Refuse a template that leaves out a field of the kind's list (``forms.fields``, the list the PDF
    layouts read) or names one that list does not have."""
    from window_desk.forms.fields import covered, docx_sources, shape_fields, template_fields

    missing, unknown = covered(shape_fields(kind), template_fields(docx_sources(str(path))))
    if missing or unknown:
        path.unlink()
        raise SystemExit(f"{kind}.docx: fields missing {sorted(missing)}, unknown {sorted(unknown)}")


def build(kind: str, out_dir: Path) -> Path:
    doc = BUILDERS[kind]()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{kind}.docx"
    doc.save(str(path))
    check_fields(kind, path)
    return path


def build_all(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    return [build(kind, Path(out_dir)) for kind in KINDS]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成文书的 Word 模板 (resources/templates/*.docx)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="输出文件夹 (默认 resources/templates)")
    parser.add_argument("kinds", nargs="*", metavar="KIND", help="只生成这几种 (默认全部): " + ", ".join(KINDS))
    args = parser.parse_args(argv)
    kinds = args.kinds or list(KINDS)
    unknown = [k for k in kinds if k not in BUILDERS]
    if unknown:
        parser.error("未知的文书种类: " + ", ".join(unknown))
    for kind in kinds:
        print(build(kind, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
