"""The referral slip (转介单) with its tear-off receipt (回执), which carries its own QR code."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from window_desk.forms.draw import CutLine, QrMark
from window_desk.forms.kinds import date_cn, text
from window_desk.forms.layouts.base import CELL, NUMBER, SMALL, TITLE, Doc, _id, _items, _label_cols

def referral_slip(doc: Doc) -> None:
    d = doc.data
    p = d["person"]
    contact = d["contact"]
    doc.title()
    doc.number(space_after=6)
    w = [84, 126, 84, 0.0]
    w[-1] = doc.width - sum(w)
    measures = doc.block("\n".join(_items(d["measures"])), CELL.with_(hanging=True))
    opinion = [doc.block("同意转介。", CELL),
               doc.block(f"{text(d['office'])}（盖章）　　{date_cn(text(d['date']))}", CELL.with_(align="right"))]
    rows = [
        ["转出单位", text(d["from_office"]), "", ""],
        ["接收单位", text(d["to_department"]), "", ""],
        ["被转介人", text(p["name"]), "公民身份号码", _id(p["id_number"])],
        ["家庭住址", text(p["address"]), "联系电话", text(p["phone"])],
        ["困难情况", doc.block(text(d["difficulty"]), CELL.with_(align="justify")), "", ""],
        ["需协助事项", measures, "", ""],
        ["转介日期", date_cn(text(d["referred_at"])), "办理时限", f"{date_cn(text(d['due_date']))}前反馈"],
        ["联系人", text(contact["name"]), "联系电话", text(contact["phone"])],
        ["转出单位意见", opinion, "", ""],
    ]
    spans = [((1, r), (3, r)) for r in (0, 1, 4, 5, 8)]
    doc.add(doc.table(rows, w, spans=spans, labels=_label_cols(0, 2)))
    doc.para("请接收单位在办理时限内办理，并填写下方回执、盖章后反馈转出单位。", SMALL.with_(space_before=3))
    # The receipt: cut line, title, the same number, and the fields the receiving unit fills in.
    receipt_w = [84, 126, 84, 0.0]
    receipt_w[-1] = doc.width - sum(receipt_w)
    receipt = doc.table([
        ["接收单位", text(d["to_department"]), "签收人", ""],
        ["签收时间", "　　年　　月　　日", "反馈时间", "　　年　　月　　日"],
        ["办理结果", "", "", ""],
        ["盖章", doc.block("（接收单位盖章）\n\n　　年　　月　　日", CELL.with_(align="right")), "", ""],
    ], receipt_w, spans=[((1, 2), (3, 2)), ((1, 3), (3, 3))], labels=_label_cols(0, 2),
        heights=[24, 24, 54, 46])
    from window_desk.forms import qr_payload

    qr_size = 22 * mm
    head = Table([[[
        doc.block("社会救助转介回执", TITLE.with_(size=18, leading=26, space_after=0)),
        doc.block(text(d["number"]), NUMBER.with_(size=12, leading=18, space_after=0)),
        doc.block(f"被转介人：{text(p['name'])}　　公民身份号码：{_id(p['id_number'])}", CELL.with_(leading=20)),
    ], QrMark(qr_payload(doc.kind, d), qr_size)]], colWidths=[doc.width - qr_size, qr_size])
    head.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), doc.fonts.chains["body"][0].reg_name),  # no Helvetica
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    doc.add(KeepTogether([
        Spacer(1, 2), CutLine(doc.fonts, doc.width),
        head,
        Spacer(1, 3),
        receipt,
    ]))

