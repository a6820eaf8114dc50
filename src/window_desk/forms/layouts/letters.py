"""The letters (通知书): acceptance, one-time notice of missing materials, rejection."""

from __future__ import annotations

from window_desk.forms.kinds import date_cn, text
from window_desk.forms.layouts.base import ITEM, Doc, _items

def _contact_line(doc: Doc) -> None:
    contact = doc.data["contact"]
    doc.para(f"联系人：{text(contact['name'])}　　联系电话：{text(contact['phone'])}")


def acceptance_notice(doc: Doc) -> None:
    d = doc.data
    doc.title()
    doc.number()
    doc.salutation(d["applicant"])
    doc.para(f"你于{date_cn(text(d['accepted_at']))}提出的{text(d['matter'])}，经审查，申请材料齐全，"
             "符合规定形式，本机关决定予以受理。")
    doc.para("本机关已收到你提交的下列材料：")
    for line in _items(d["materials"]):
        doc.para(line, ITEM)
    doc.para(f"本机关将于{date_cn(text(d['deadline']))}前办结并将结果告知你。办理期间如需了解进度，请与经办人联系。")
    _contact_line(doc)
    doc.signature()


def missing_materials_notice(doc: Doc) -> None:
    d = doc.data
    doc.title()
    doc.number()
    doc.salutation(d["applicant"])
    doc.para(f"你向本机关提出的{text(d['matter'])}，经审查，申请材料不齐全。"
             "现将需要补齐的全部材料一次性告知如下：")
    for line in _items(d["missing"]):
        doc.para(line, ITEM)
    doc.para(f"请于{date_cn(text(d['supplement_by']))}前将上述材料补齐后送交本机关。材料补齐后，本机关将依法予以受理；"
             "逾期未补齐的，你可以在材料齐全后重新提出申请。")
    _contact_line(doc)
    doc.signature()


def rejection_notice(doc: Doc) -> None:
    d = doc.data
    remedy = d["remedy"]
    doc.title()
    doc.number()
    doc.salutation(d["applicant"])
    doc.para(f"你向本机关提出的{text(d['matter'])}，经审查，有下列情形，本机关决定不予受理：")
    for line in _items(d["reasons"]):
        doc.para(line, ITEM)
    basis = text(d["basis"]).rstrip("。")
    doc.para(f"依据：{basis}。")
    doc.para(f"如对本决定不服，可以自收到本告知书之日起六十日内向{text(remedy['review_body'])}申请行政复议，"
             f"也可以自收到本告知书之日起六个月内依法向{text(remedy['court'])}提起行政诉讼。")
    doc.signature()

