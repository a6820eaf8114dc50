"""The daily register (每日台账) of one day as a file: .xlsx (openpyxl) or PDF (forms ``daily_register``).

The workbook's first sheet is the register as printed — title, a frozen header row, one
typed row per record (sequence numbers as integers, times and dates as Excel dates), the
totals, the supervisor's review with the audit chain anchor, and any amendments — set up to
print on A4 landscape with the header row repeated on every page. The second sheet lists
each section of the supervisor's review (inquiries, cases, referrals, receipts, overdue…).
ID numbers are masked in both.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from window_desk.errors import UserError
from window_desk.forms import KINDS
from window_desk.forms.layouts import TOTAL_LABELS
from window_desk.services import daily
from window_desk.uow import UnitOfWork

FORMATS = (".xlsx", ".pdf")
COLUMNS = (("seq", "序号"), ("time", "时间"), ("name", "姓名"), ("id_number", "公民身份号码"), ("address", "住址"),
           ("phone", "联系电话"), ("category", "救助类别"), ("materials_complete", "材料齐全"), ("outcome", "受理结果"),
           ("referred_to", "转介单位"), ("due_date", "办理时限"), ("result", "办理结果"), ("clerk", "经办人"),
           ("note", "备注"))
MAX_WIDTH = 48


def _display_width(text: str) -> int:
    """Columns an Excel cell needs for ``text``: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def export_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"导出文件应以 .xlsx 或 .pdf 结尾:{path}", field="--out")
    return suffix[1:]


def render_day(uow: UnitOfWork, day: date, fmt: str, *, office: str | None = None) -> tuple[bytes, int]:
    """The day's register as ``fmt`` ("xlsx" or "pdf") bytes, and its number of rows."""
    if fmt not in ("xlsx", "pdf"):
        raise UserError("导出格式应为 xlsx 或 pdf", field="格式")
    data = daily.register_data(uow, day, office)
    if fmt == "pdf":
        from window_desk.forms import render

        return render("daily_register", data, "pdf"), len(data["rows"])
    register = daily.build_day(uow, day, office)
    return workbook_bytes(data, register), len(data["rows"])


def export_day(uow: UnitOfWork, day: date, out: str | Path, *, office: str | None = None) -> int:
    """Write the day's register to ``out`` (.xlsx or .pdf); returns the number of rows."""
    fmt = export_format(out)
    content, rows = render_day(uow, day, fmt, office=office)
    try:
        Path(out).write_bytes(content)
    except OSError as exc:
        raise UserError(f"无法写入 {out}:{exc.strerror}", field="--out") from exc
    return rows


def _cell_value(key: str, value: Any, day: date) -> Any:
    if key == "seq":
        return int(value)
    if key == "time" and value:
        hh, mm = str(value).split(":")[:2]
        return datetime.combine(day, time(int(hh), int(mm)))
    if key == "due_date" and value:
        return date.fromisoformat(str(value))
    if key == "materials_complete":
        return "齐全" if value else "不齐"
    return value if value not in (None, "") else None


def workbook_bytes(data: dict[str, Any], register: daily.DayRegister) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    day = date.fromisoformat(data["day"])
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    title = KINDS["daily_register"].title
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"登记日期：{day.year}年{day.month}月{day.day}日　　填报单位：{data['office']}　　编号：{data['number']}"])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([label for _k, label in COLUMNS])
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="EEEEEE")
    for c in range(1, ncol + 1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.border = grid
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_display_width(label) + 2 for _k, label in COLUMNS]
    wrap = Alignment(vertical="center", wrap_text=True)
    for row in data["rows"]:
        values = [_cell_value(k, row.get(k), day) for k, _label in COLUMNS]
        ws.append(values)
        r = ws.max_row
        for c, (key, _label) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=r, column=c)
            cell.border = grid
            cell.alignment = wrap
            if key == "time":
                cell.number_format = "hh:mm"
            elif key == "due_date":
                cell.number_format = "yyyy-mm-dd"
            v = values[c - 1]
            shown = v.strftime("%H:%M") if isinstance(v, datetime) else (v.isoformat() if isinstance(v, date) else str(v or ""))
            widths[c - 1] = max(widths[c - 1], _display_width(shown) + 2)
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = min(w, MAX_WIDTH)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.page_margins.left = ws.page_margins.right = 0.6
    if data["rows"]:
        ws.auto_filter.ref = f"A3:{last}{ws.max_row}"

    totals = data["totals"]
    known = dict(TOTAL_LABELS)
    ws.append([])
    ws.append(["本日合计"] + [f"{known.get(k, k)}{v}件" for k, v in totals.items()])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    review = data.get("review")
    if review:
        ws.append(["审核人", review["supervisor"], "审核时间", review.get("reviewed_at", "").replace("T", " "),
                   "审核意见", review.get("comment", "")])
        if review.get("anchor"):
            ws.append(["审计链锚点", review["anchor"]])
    else:
        ws.append(["审核", "本日台账尚未签字确认"])
    if data.get("amendments"):
        ws.append([])
        ws.append(["更正记录", "时间", "更正人", "更正内容", "原值 → 新值", "理由"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for a in data["amendments"]:
            ws.append(["", a["at"], a["by"], a["what"], a["change"], a["reason"]])

    detail = wb.create_sheet("审阅明细")
    for section in register.sections:
        detail.append([f"{section.title}（{section.total}件）"])
        detail.cell(row=detail.max_row, column=1).font = Font(bold=True, size=12)
        detail.append(list(section.columns))
        for c in range(1, len(section.columns) + 1):
            detail.cell(row=detail.max_row, column=c).font = Font(bold=True)
            detail.cell(row=detail.max_row, column=c).fill = head_fill
        red = Font(color="C62828")
        for item in section.items:
            detail.append(list(item.cells))
            if item.overdue:
                for c in range(1, len(item.cells) + 1):
                    detail.cell(row=detail.max_row, column=c).font = red
        detail.append([])
    for c in range(1, 10):
        detail.column_dimensions[get_column_letter(c)].width = 18
    detail.page_setup.orientation = "landscape"
    detail.page_setup.paperSize = detail.PAPERSIZE_A4

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
