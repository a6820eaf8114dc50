"""主动发现 papers: the rosters as .xlsx in the seed's shape (附件1 重点人群花名册, 附件3 村级社会救助协理员
花名册, 附件4 困难救助信息采集组成员花名册), the monthly report per village (.xlsx), and a month's
blank visit sheets (附件2 重点困难人群巡查记录台账) for a village, one household per page, prefilled.

Workbooks are real sheets: dates are dates, counts are numbers. The visit sheets follow the documents'
conventions (forms/): every character through the same TrueType font chain (``FontSet``), embedded.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from window_desk.idnumber import mask
from window_desk.services.discovery import RosterEntry, StaffInfo, VillageMonth

ROSTER_TITLE = "重点人群花名册"
ROSTER_HEADERS = ("户编号", "村（社区）", "姓名", "身份证号码", "与户主关系", "家庭住址", "联系电话", "纳入原因",
                  "协理员", "纳入时间", "状态", "状态说明")
ASSISTANT_TITLE = "村级社会救助协理员花名册"
ASSISTANT_HEADERS = ("序号", "村（社区）", "姓名", "性别", "职务", "联系电话", "任职时间")
GROUP_TITLE = "困难救助信息采集组成员花名册"
GROUP_HEADERS = ("序号", "姓名", "性别", "组内职务", "工作单位及职务", "联系电话")
REPORT_TITLE = "主动发现工作月报"
REPORT_HEADERS = ("村（社区）", "重点关注户数", "应走访户数", "已走访（见到本人）", "到户未见人", "逾期未走访",
                  "上报线索", "转入受理个案")
VISIT_TITLE = "重点困难人群巡查记录台账"


def _sheet(wb: Any, title: str, heading: str, headers: Sequence[str], rows: list[list[Any]],
           widths: Sequence[int]) -> Any:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append([heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(headers))
    thin = Side(style="thin")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    return ws


def _book() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _bytes(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rosters_xlsx(entries: Sequence[RosterEntry], assistants: Sequence[StaffInfo], group: Sequence[StaffInfo],
                 office: str = "") -> bytes:
    """One workbook, three sheets: 附件1, 附件3, 附件4. The roster lists one row per member, full ID numbers
    (it is the village's working list and goes back to it), so the file itself is personal data."""
    from window_desk.services.discovery import STATUSES

    wb = _book()
    rows: list[list[Any]] = []
    for e in entries:
        for m in e.members:
            rows.append([e.id, e.village, m.name, m.id_number, "户主" if m.relation == "self" else m.relation_label,
                         e.address, e.phone, e.reason, e.assistant_name, e.since, STATUSES.get(e.status, e.status),
                         e.status_reason])
    _sheet(wb, "附件1 重点人群花名册", f"{office}{ROSTER_TITLE}", ROSTER_HEADERS, rows,
           (8, 14, 10, 21, 10, 26, 14, 30, 10, 12, 10, 20))
    _sheet(wb, "附件3 协理员花名册", f"{office}{ASSISTANT_TITLE}", ASSISTANT_HEADERS,
           [[i, s.village, s.name, s.sex, s.post, s.phone, s.since] for i, s in enumerate(assistants, 1)],
           (6, 16, 10, 6, 20, 14, 12))
    _sheet(wb, "附件4 信息采集组花名册", f"{office}{GROUP_TITLE}", GROUP_HEADERS,
           [[i, s.name, s.sex, s.post, s.village, s.phone] for i, s in enumerate(group, 1)],
           (6, 10, 6, 12, 26, 14))
    return _bytes(wb)


def report_xlsx(report: Sequence[VillageMonth], year: int, month: int, office: str = "") -> bytes:
    wb = _book()
    rows: list[list[Any]] = [[r.village, r.watched, r.due, r.done, r.unseen, r.overdue, r.leads, r.cases_opened]
                             for r in report]
    if report:
        rows.append(["合计", *[sum(getattr(r, k) for r in report) for k in
                              ("watched", "due", "done", "unseen", "overdue", "leads", "cases_opened")]])
    _sheet(wb, f"{year}年{month}月", f"{office}{REPORT_TITLE}（{year}年{month}月）", REPORT_HEADERS, rows,
           (16, 12, 12, 16, 12, 12, 10, 12))
    return _bytes(wb)


def visit_sheets_pdf(entries: Sequence[RosterEntry], year: int, month: int, office: str = "", *,
                     fonts: Any = None) -> bytes:
    """A month's blank visit sheets for the given roster households, one household per A4 page,
    prefilled with the household, its members (ID numbers masked), the reason and the assistant."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from window_desk.forms.fonts import get_fontset
    from window_desk.forms.pdf import _RENDER_LOCK, check_glyphs, draw_text

    fontset = get_fontset(fonts)
    check_glyphs({"office": office, "households": [
        {"village": e.village, "head": e.head_name, "address": e.address, "reason": e.reason,
         "assistant": e.assistant_name, "members": [m.name for m in e.members]} for e in entries]}, fontset)
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    with _RENDER_LOCK:
        buf = io.BytesIO()
        canv = Canvas(buf, pagesize=A4, invariant=1, initialFontName=fontset.chains["body"][0].reg_name)
        canv.setTitle(f"{VISIT_TITLE} {year}年{month}月")
        canv.setCreator("window-desk")
        if not entries:
            draw_text(canv, fontset, width / 2, height - 40 * mm, "本月没有需要走访的重点人群", size=14,
                      role="title", align="center")
            canv.showPage()
        for page, e in enumerate(entries, 1):
            y = height - 25 * mm
            draw_text(canv, fontset, width / 2, y, VISIT_TITLE, size=18, role="title", align="center")
            y -= 9 * mm
            draw_text(canv, fontset, width / 2, y, f"{office}　{e.village}　{year}年{month}月　（一户一页）",
                      size=11, align="center")
            y -= 12 * mm
            lines = [
                ("户编号", str(e.id)), ("户主", e.head_name), ("家庭住址", e.address or "　"),
                ("联系电话", e.phone or "　"), ("纳入原因", e.reason), ("协理员", e.assistant_name or "　"),
                ("家庭成员", "；".join(f"{m.name}（{'户主' if m.relation == 'self' else m.relation_label}，"
                                      f"{mask(m.id_number)}）" for m in e.members)),
            ]
            for label, value in lines:
                draw_text(canv, fontset, left, y, f"{label}：", size=11, role="title")
                for k in range(0, max(len(value), 1), 38):
                    draw_text(canv, fontset, left + 24 * mm, y, value[k:k + 38], size=11)
                    y -= 7 * mm
            y -= 3 * mm
            blanks = [("走访日期", 1), ("走访人", 1), ("是否见到本人（是／否，未见人须写明原因及再次走访时间）", 2),
                      ("当前基本生活状况", 4), ("救助需求", 3), ("处置情况（对策建议）", 3), ("被走访人签字", 1)]
            for label, rows in blanks:
                draw_text(canv, fontset, left, y, f"{label}：", size=11, role="title")
                y -= 7 * mm
                for _ in range(rows):
                    canv.setLineWidth(0.4)
                    canv.line(left, y + 1.5 * mm, right, y + 1.5 * mm)
                    y -= 8 * mm
            draw_text(canv, fontset, width / 2, 12 * mm, f"— {page} —", size=9, align="center")
            canv.showPage()
        canv.save()
        return buf.getvalue()
