"""The daily register (每日台账): A4 landscape, 14 columns sized to their content, at 10 pt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Spacer

from window_desk import idnumber
from window_desk.forms.kinds import date_cn, text
from window_desk.forms.layouts.base import CELL, Doc, _label_cols
from window_desk.forms.layouts.columns import fit_columns
from window_desk.forms.layouts.rowpages import RowPages, _cell_height
from window_desk.forms.text import Style

TOTAL_LABELS = (
    ("received", "登记"), ("accepted", "受理"), ("notified_missing", "一次性告知"), ("rejected", "不予受理"),
    ("referred", "转介"), ("prepaid", "先行救助"), ("consulted", "咨询"),
)
REGISTER = Style(size=10, leading=13.5, align="left", max_spacing=0.2)
REGISTER_PAD = 3
# (heading, field, kept whole): a value of a column "kept whole" is one word — a name, a time, an
# ID or phone number, a date — and its column is made wide enough that it never breaks.
REGISTER_COLUMNS = (
    ("序号", "seq", True), ("时间", "time", True), ("姓名", "name", True), ("公民身份号码", "id_number", True),
    ("住址", "address", False), ("联系电话", "phone", True), ("救助类别", "category", False),
    ("材料齐全", "materials", True), ("受理结果", "outcome", True), ("转介单位", "referred_to", True),
    ("办理时限", "due_date", True), ("办理结果", "result", True), ("经办人", "clerk", True), ("备注", "note", False),
)



def daily_register(doc: Doc) -> None:
    d = doc.data
    doc.title()
    info = f"登记日期：{date_cn(text(d['day']))}　　填报单位：{text(d['office'])}　　编号：{text(d['number'])}"
    doc.para(info, Style(size=12, leading=22, align="center", space_after=4))
    headers = [name for name, _key, _whole in REGISTER_COLUMNS]
    body: list[list[str]] = []
    for row in d["rows"]:
        due = text(row.get("due_date"))
        body.append([
            text(row["seq"]), text(row["time"]), text(row["name"]), idnumber.mask(text(row["id_number"])),
            text(row.get("address")), text(row.get("phone")), text(row["category"]),
            "齐全" if row["materials_complete"] else "不齐", text(row["outcome"]), text(row.get("referred_to")),
            date_cn(due) if due else "", text(row.get("result")), text(row["clerk"]), text(row.get("note")),
        ])
    widths = fit_columns(doc, headers, body, [whole for _n, _k, whole in REGISTER_COLUMNS], REGISTER, REGISTER_PAD)
    centered = {0, 1, 2, 7, 12}
    label_style = REGISTER.with_(align="center")
    table_kw: dict[str, Any] = dict(style=REGISTER, label_style=label_style, padding=REGISTER_PAD,
                                    extra=[("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])
    if not body:
        rows: list[list[Any]] = [headers, ["本日无登记"] + [""] * (len(headers) - 1)]
        doc.add(doc.table(rows, widths, header_rows=1, labels=lambda r, c: c in centered,
                          spans=[((0, 1), (-1, 1))], **table_kw))
    else:
        # A register repeats itself (clerks, outcomes, dates, departments): identical values share one
        # laid-out block, which RowPages draws wherever it stands.
        shared: dict[tuple[bool, str], Any] = {}

        def cell(c: int, value: str) -> Any:
            key = (c in centered, value)
            got = shared.get(key)
            if got is None:
                got = shared[key] = doc.cell(value, label_style if key[0] else REGISTER)
            return got

        cells = doc.cells([headers], header_rows=1, style=REGISTER)
        cells += [[cell(c, v) for c, v in enumerate(row)] for row in body]
        inner = [wd - 2 * REGISTER_PAD for wd in widths]
        vpad = 6  # TOPPADDING + BOTTOMPADDING of Doc.table

        def height(row: list[Any]) -> float:
            return max(_cell_height(cell, inner[c]) for c, cell in enumerate(row)) + vpad

        heights = [height(row) for row in cells[1:]]
        doc.add(RowPages(doc, cells[0], cells[1:], heights, height(cells[0]), widths, table_kw, REGISTER_PAD))
    _totals(doc, d["totals"])
    _amendments(doc, d.get("amendments") or [])
    _review(doc, d.get("review") or {})


def _totals(doc: Doc, totals: dict[str, Any]) -> None:
    """本日合计：登记12件；其中受理8件，…。"""
    known = dict(TOTAL_LABELS)
    parts = [f"{label}{totals[key]}件" for key, label in TOTAL_LABELS if key in totals and key != "received"]
    parts += [f"{key}{value}件" for key, value in totals.items() if key not in known]
    line = "本日合计："
    if "received" in totals:
        line += f"登记{totals['received']}件" + ("；其中" if parts else "")
    line += "，".join(parts) + "。"
    doc.para(line, Style(size=12, leading=20, align="left", space_before=6))


def _amendments(doc: Doc, amendments: list[dict[str, Any]]) -> None:
    """The corrections made after sign-off, each with who, what, old → new and why."""
    if amendments:
        doc.para("签字后的更正记录：", Style(size=12, leading=20, align="left", space_before=4))
        aw = [90, 60, 150, 0.0, 150]
        aw[3] = doc.width - sum(aw)
        arows: list[list[Any]] = [["更正时间", "更正人", "更正内容", "原值 → 新值", "更正理由"]]
        arows += [[text(a["at"]), text(a["by"]), text(a["what"]), text(a["change"]), text(a["reason"])]
                  for a in amendments]
        doc.add(doc.table(arows, aw, header_rows=1, style=REGISTER, padding=REGISTER_PAD,
                          extra=[("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))


def _review(doc: Doc, review: dict[str, Any]) -> None:
    """The supervisor's sign-off block, with the audit chain anchor when there is one."""
    reviewed = date_cn(text(review.get("reviewed_at"))) if text(review.get("reviewed_at")) else "　　年　　月　　日"
    rw = [80, 120, 80, 150, 90, 0.0]
    rw[-1] = doc.width - sum(rw)
    rows_r: list[list[Any]] = [
        ["审核人", text(review.get("supervisor")), "审核时间", reviewed, "审核人签字", ""],
        ["审核意见", doc.block(text(review.get("comment")), CELL.with_(align="justify")), "", "", "", ""],
    ]
    spans = [((1, 1), (-1, 1))]
    heights: list[float | None] = [None, 34]
    if text(review.get("anchor")):
        # The audit chain head at sign-off, on paper: `window-desk audit verify --anchor N:HASH`.
        rows_r.append(["审计链锚点", doc.block(text(review["anchor"]), CELL.with_(size=10, leading=14)), "", "", "", ""])
        spans.append(((1, 2), (-1, 2)))
        heights.append(None)
    doc.add(Spacer(1, 4))
    doc.add(KeepTogether([doc.table(rows_r, rw, spans=spans, labels=_label_cols(0, 2, 4), heights=heights)]))

