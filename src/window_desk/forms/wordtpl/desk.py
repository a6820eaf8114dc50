"""Templates of the desk's forms: the referral slip with its 回执, the inquiry record, the prepay voucher."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from window_desk.forms.docx_render import TITLES
from window_desk.forms.wordtpl.base import S_CELL, S_CUT, S_HEADING, S_PLAIN, S_RECEIPT_TITLE
from window_desk.forms.wordtpl.base import _set_border
from window_desk.forms.wordtpl.blocks import (form_table, loop_table, number_line, para, plain_letterhead,
                                              signature_block, spacer, title)
from window_desk.forms.wordtpl.setup import new_document


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


