"""The first-inquiry record (首问负责登记表) and the prepay voucher with its stub (先行救助发放凭证)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Spacer

from window_desk.forms.draw import CutLine
from window_desk.forms.kinds import date_cn, parse_money, text
from window_desk.forms.layouts.base import CELL, HEAD, NUMBER, SMALL, TITLE, Doc, _id, _joined, _label_cols
from window_desk.forms.layouts.columns import widen
from window_desk.money import chinese_capitals, fmt

def inquiry_record(doc: Doc) -> None:
    d = doc.data
    v = d["visitor"]
    doc.title()
    doc.number(space_after=6)
    w = [84, 136, 76, 0.0]
    w[-1] = doc.width - sum(w)
    materials = _joined(d["materials"]) if d.get("materials") else "无"
    doc.add(doc.table([
        ["登记时间", date_cn(text(d["received_at"])), "来访方式", text(d["channel"])],
        ["来访人", text(v["name"]), "联系电话", text(v["phone"])],
        ["住址", text(v["address"]), "", ""],
        ["诉求事项", doc.block(text(d["matter"]), CELL.with_(align="justify")), "", ""],
        ["携带材料", materials, "", ""],
        ["首问责任人", text(d["first_responder"]), "承办人", text(d["handled_by"])],
    ], w, spans=[((1, r), (3, r)) for r in (2, 3, 4)], labels=_label_cols(0, 2)))
    hw = [34, 104, 70, 90, 0.0]
    hw[-1] = doc.width - sum(hw)
    handoffs = d.get("handoffs") or []
    hw = widen(doc, hw, [["", date_cn(text(h["at"])), text(h["from"]), text(h["to"]), ""] for h in handoffs],
               CELL, 4, give=4, whole=(1,))
    rows: list[list[Any]] = [[doc.block("转办记录", HEAD), "", "", "", ""],
                             ["序号", "转办时间", "转出人", "转入人", "转办说明"]]
    for i, h in enumerate(d.get("handoffs") or [], 1):
        rows.append([str(i), date_cn(text(h["at"])), text(h["from"]), text(h["to"]),
                     doc.block(text(h.get("note")), CELL.with_(align="justify"))])
    spans = [((0, 0), (-1, 0))]
    if len(rows) == 2:
        rows.append(["无转办", "", "", "", ""])
        spans.append(((0, 2), (-1, 2)))
    doc.add(doc.table(rows, hw, spans=spans, header_rows=2, labels=_label_cols(0),
                      extra=[("TOPPADDING", (0, 0), (-1, -1), 3)]))
    doc.add(doc.table([
        ["办理结果", doc.block(text(d["outcome"]), CELL.with_(align="justify")), "", ""],
        ["答复时间", date_cn(text(d["answered_at"])), "来访人签字", ""],
        ["责任人签字", "", "日期", "　　年　　月　　日"],
    ], w, spans=[((1, 0), (3, 0))], labels=_label_cols(0, 2), heights=[None, 30, 30]))


# -- prepay voucher (先行救助发放凭证) -------------------------------------------------------------

def prepay_voucher(doc: Doc) -> None:
    """The voucher the recipient signs, and below a cut line the stub (存根) the office keeps.

    The amount prints once in figures after ``¥`` (no trailing 元: the sign already says
    the currency) and once in capitals after 人民币 (``money.chinese_capitals``).
    """
    d = doc.data
    p = d["person"]
    amount = parse_money(d["amount"])
    assert amount is not None  # validated
    figures = f"¥{fmt(amount)}"
    capitals = f"人民币{chinese_capitals(amount)}"
    approver = text(d.get("approved_by")) or "（无需审批）"
    doc.title()
    doc.number(space_after=6)
    w = [92, 126, 80, 0.0]
    w[-1] = doc.width - sum(w)
    big = CELL.with_(size=14, leading=20)
    doc.add(doc.table([
        ["领取人姓名", text(p["name"]), "公民身份号码", _id(p["id_number"])],
        ["救助事由", doc.block(text(d["reason"]), CELL.with_(align="justify")), "", ""],
        ["金额（小写）", doc.block(figures, big), "", ""],
        ["金额（大写）", doc.block(capitals, big.with_(role="title")), "", ""],
        ["发放日期", date_cn(text(d["paid_at"])), "发放单位", text(d["payer"])],
        ["审批人", approver, "经办人", text(d["clerk"])],
        ["领取人确认", "本人已足额领取上述先行救助金。", "", ""],
        ["领取人签名", "", "指印", ""],
    ], w, spans=[((1, r), (3, r)) for r in (1, 2, 3, 6)], labels=_label_cols(0, 2),
        heights=[30, None, 30, 30, 30, 30, 28, 64]))
    doc.para("注：先行救助金由领取人本人签名并按指印后发放；先行救助后应在规定的工作日内补齐审核审批材料。",
             SMALL.with_(space_before=6))
    # The stub: the same number, who, how much, who paid and approved; the office files it.
    stub = doc.table([
        ["领取人", text(p["name"]), "公民身份号码", _id(p["id_number"])],
        ["金额", figures, "大写", capitals],
        ["发放日期", date_cn(text(d["paid_at"])), "个案编号", text(d.get("case_number")) or "—"],
        ["审批人", approver, "经办人", text(d["clerk"])],
        ["发放单位", text(d["payer"]), "领取人签名", ""],
    ], w, labels=_label_cols(0, 2), heights=[24, 24, 24, 24, 34])
    doc.add(KeepTogether([
        Spacer(1, 4), CutLine(doc.fonts, doc.width),
        doc.block("先行救助发放凭证（存根）", TITLE.with_(size=18, leading=26, space_after=0)),
        doc.block(text(d["number"]), NUMBER.with_(size=12, leading=18, space_after=0)),
        Spacer(1, 3),
        stub,
        doc.block("本联由发放单位留存，作为临时救助备用金支出的原始凭证归入个案档案。", SMALL.with_(space_before=4)),
    ]))

