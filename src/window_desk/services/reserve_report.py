"""The reserve ledger report (临时救助备用金收支明细) of a period, as .xlsx or PDF.

The workbook is a real sheet: dates are dates, amounts are numbers with a two-decimal
format (never text), the opening balance heads the lines and the closing balance
ends them. The PDF follows the documents' conventions (``forms/``): every character
in an embedded TrueType subset through the same font chain, A4 landscape, tables of
``TextBlock``s with the header row repeated, ``— 1 —`` page numbers.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from window_desk.errors import UserError
from window_desk.money import fmt
from window_desk.services.reserve import Ledger

TITLE = "临时救助备用金收支明细账"
HEADERS = ("序号", "日期", "摘要", "收入（元）", "支出（元）", "余额（元）", "个案编号", "凭证编号", "领取人", "经办人")


def to_xlsx(ledger: Ledger, office_full: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "备用金明细"
    money_format = "#,##0.00"
    date_format = "yyyy-mm-dd"
    ncols = len(HEADERS)
    ws.append([f"{office_full or ledger.office}{TITLE}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["期间", ledger.start, "至", ledger.end])
    ws["B2"].number_format = date_format
    ws["D2"].number_format = date_format
    ws.append(list(HEADERS))
    header_row = ws.max_row
    thin = Side(style="thin")
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    ws.append([None, ledger.start, "期初余额", None, None, ledger.opening])
    for i, line in enumerate(ledger.lines, 1):
        ws.append([
            i, line.entry_date, f"{line.kind_label}：{line.note}" if line.note else line.kind_label,
            line.amount_in or None, line.amount_out or None, line.balance, line.case_number or None,
            line.voucher_number or None, line.person_name or None, line.created_by,
        ])
    ws.append([None, ledger.end, "本期合计", ledger.total_in, ledger.total_out, None])
    ws.append([None, ledger.end, "期末余额", None, None, ledger.closing])
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        row[1].number_format = date_format
        for cell in row[3:6]:
            cell.number_format = money_format
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row, max_col=ncols):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, width in enumerate((6, 12, 40, 12, 12, 12, 20, 26, 10, 12), 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_pdf(ledger: Ledger, office_full: str = "", *, fonts: Any = None) -> bytes:
    """The ledger of a period as an A4 landscape PDF: title, the table with opening and closing lines, the
    signature line, and each page's running head and number.

    Long because: the story and the page decoration share the geometry and the font set, and read best
    as one drawing; the primitives are the forms package's.
    """
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    from window_desk.forms.fonts import get_fontset
    from window_desk.forms.kinds import date_cn
    from window_desk.forms.layouts import CELL, TITLE as TITLE_STYLE, Doc
    from window_desk.forms.pdf import _RENDER_LOCK, Geometry, check_glyphs, draw_text
    from window_desk.forms.text import Style

    fontset = get_fontset(fonts)
    office = office_full or ledger.office
    rows_text = [[line.note, line.case_number, line.voucher_number, line.person_name, line.created_by]
                 for line in ledger.lines]
    check_glyphs({"office": office, "lines": rows_text}, fontset)
    g = Geometry(True)
    small = Style(size=10, leading=13.5, align="left", max_spacing=0.2)
    doc = Doc("daily_register", {"office": office}, fontset, g.width)
    doc.add(doc.block(TITLE, TITLE_STYLE))
    doc.para(f"单位：{office}　　期间：{date_cn(ledger.start.isoformat())}至{date_cn(ledger.end.isoformat())}",
             Style(size=12, leading=22, align="center", space_after=4))
    widths = [28, 84, 0.0, 64, 64, 70, 104, 136, 50, 54]
    widths[2] = g.width - sum(widths)
    table: list[list[Any]] = [list(HEADERS)]
    table.append(["", date_cn(ledger.start.isoformat()), "期初余额", "", "", fmt(ledger.opening), "", "", "", ""])
    for i, line in enumerate(ledger.lines, 1):
        table.append([str(i), date_cn(line.entry_date.isoformat()),
                      f"{line.kind_label}：{line.note}" if line.note else line.kind_label,
                      fmt(line.amount_in) if line.amount_in else "", fmt(line.amount_out) if line.amount_out else "",
                      fmt(line.balance), line.case_number, line.voucher_number, line.person_name, line.created_by])
    table.append(["", date_cn(ledger.end.isoformat()), "本期合计", fmt(ledger.total_in), fmt(ledger.total_out), "",
                  "", "", "", ""])
    table.append(["", date_cn(ledger.end.isoformat()), "期末余额", "", "", fmt(ledger.closing), "", "", "", ""])
    right = small.with_(align="right")
    styled: list[list[Any]] = [table[0]]
    for row in table[1:]:
        styled.append([doc.block(v, right) if c in (3, 4, 5) and v else v for c, v in enumerate(row)])
    doc.add(doc.table(styled, widths, header_rows=1, style=small, label_style=small.with_(align="center"),
                      labels=lambda r, c: c in (0, 1), padding=3,
                      extra=[("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    doc.add(Spacer(1, 10))
    doc.para("经办人：　　　　　　　审核人：　　　　　　　单位负责人：", CELL.with_(size=12, leading=20))

    def decorate(canv: Any, template: Any) -> None:
        page_w, page_h = g.page
        canv.saveState()
        top = page_h - g.top
        draw_text(canv, fontset, g.left, top + 5.5 * mm, office, size=10.5)
        draw_text(canv, fontset, page_w - g.right, top + 5.5 * mm, TITLE, size=10.5, align="right")
        canv.setLineWidth(0.6)
        canv.line(g.left, top + 3.5 * mm, page_w - g.right, top + 3.5 * mm)
        canv.line(g.left, g.bottom - 3.5 * mm, page_w - g.right, g.bottom - 3.5 * mm)
        draw_text(canv, fontset, page_w / 2, g.bottom - 9 * mm, f"— {template.page} —", size=14, align="center")
        canv.restoreState()

    with _RENDER_LOCK:
        buf = io.BytesIO()
        pdf = BaseDocTemplate(buf, pagesize=g.page, leftMargin=g.left, rightMargin=g.right, topMargin=g.top,
                              bottomMargin=g.bottom, invariant=1, title=f"{office}{TITLE}", author=office,
                              creator="window-desk", producer="window-desk (reportlab)", lang="zh-CN",
                              initialFontName=fontset.chains["body"][0].reg_name)
        frame = Frame(g.left, g.bottom, g.width, g.height, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="body")
        pdf.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate, pagesize=g.page)])
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            pdf.build(doc.story)
        finally:
            rl_config.useA85 = saved
        return buf.getvalue()


def render(ledger: Ledger, fmt_name: str, office_full: str = "", *, fonts: Any = None) -> bytes:
    if fmt_name == "xlsx":
        return to_xlsx(ledger, office_full)
    if fmt_name == "pdf":
        return to_pdf(ledger, office_full, fonts=fonts)
    raise UserError("输出文件应以 .xlsx 或 .pdf 结尾", field="--out")


def write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write beside the target and rename, so a failure leaves no half file."""
    target = Path(path)
    if not target.parent.exists():
        raise UserError(f"目录不存在： {target.parent}", field="--out")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
