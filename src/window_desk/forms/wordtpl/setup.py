"""A new template document: package properties, font table, styles, page, header and footer (GB/T 9704)."""

from __future__ import annotations

from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from window_desk.forms.docx_render import TITLES
from window_desk.forms.wordtpl.base import (BODY_ALT, BODY_FONT, HEI_FONT, LANDSCAPE_TYPE_WIDTH,
                                            PORTRAIT_TYPE_WIDTH, RED, S_BODY, S_CELL, S_CELL_LABEL, S_CUT,
                                            S_HEADER, S_HEADING, S_LETTERHEAD, S_LOOP, S_NUMBER,
                                            S_OFFICE_LINE, S_PLAIN, S_RECEIPT_TITLE, S_REGISTER_CELL, S_SIGN,
                                            S_TITLE, TITLE_ALT, TITLE_FONT)
from window_desk.forms.wordtpl.base import _add_field, _east_asia, _set_border, _set_rfonts


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

