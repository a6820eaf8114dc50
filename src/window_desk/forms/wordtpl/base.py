"""The Word templates' ground: font and style names, and the low-level XML python-docx does not offer
(East Asian fonts, paragraph borders, fields, repeated header rows, fixed column widths)."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor

# Font names as Chinese Word installs them; the font table tells Word what to
# use on a machine that lacks the first choice (altName).
BODY_FONT, BODY_ALT = "仿宋_GB2312", "仿宋"
TITLE_FONT, TITLE_ALT = "方正小标宋简体", "黑体"
HEI_FONT = "黑体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xFF, 0x00, 0x00)

PORTRAIT_TYPE_WIDTH = Mm(156)
LANDSCAPE_TYPE_WIDTH = Mm(297 - 28 - 26)

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

