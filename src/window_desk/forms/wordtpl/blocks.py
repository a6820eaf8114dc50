"""The building blocks of a template: paragraphs, letterheads, numbered lists, signature, tables, loops."""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from window_desk.forms.wordtpl.base import (RED, S_BODY, S_CELL, S_CELL_LABEL, S_LETTERHEAD, S_LOOP,
                                            S_NUMBER, S_OFFICE_LINE, S_PLAIN, S_SIGN, S_TITLE)
from window_desk.forms.wordtpl.base import _cant_split, _repeat_header, _set_border, _set_widths


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

