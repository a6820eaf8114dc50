"""Templates of the three letters: acceptance, one-time notice of missing materials, rejection."""

from __future__ import annotations


from window_desk.forms.docx_render import TITLES
from window_desk.forms.wordtpl.base import S_CELL, S_PLAIN

from window_desk.forms.wordtpl.blocks import (loop_tag, numbered_list, para, red_letterhead, signature_block,
                                              title)
from window_desk.forms.wordtpl.setup import new_document


def _addressee(doc) -> None:
    para(doc, "{{ applicant.name }}{% if applicant.id_number %}（公民身份号码：{{ applicant.id_number }}）"
              "{% endif %}：", S_PLAIN)


def _contact(doc) -> None:
    para(doc, "联系人：{{ contact.name }}　　联系电话：{{ contact.phone }}")


def _receipt_line(doc) -> None:
    para(doc, "", S_PLAIN)
    para(doc, "申请人签收：　　　　　　　　　　签收日期：　　　年　　月　　日", S_CELL)


def build_acceptance_notice():
    doc = new_document("acceptance_notice")
    red_letterhead(doc)
    title(doc, TITLES["acceptance_notice"])
    _addressee(doc)
    para(doc, "你于{{ accepted_at|cn_date }}提出的{{ matter }}，经审查，申请材料齐全，符合法定形式，"
              "本机关决定予以受理。")
    para(doc, "已收到你提交的下列材料：")
    numbered_list(doc, "materials")
    para(doc, "本机关将于{{ deadline|cn_date }}前办结，并将办理结果书面告知你。办理期间，如家庭人口、收入、"
              "财产状况发生变化，请及时告知。如有疑问，请与经办人联系。")
    _contact(doc)
    signature_block(doc)
    _receipt_line(doc)
    return doc


def build_missing_materials_notice():
    doc = new_document("missing_materials_notice")
    red_letterhead(doc)
    title(doc, TITLES["missing_materials_notice"])
    _addressee(doc)
    para(doc, "你申请办理的{{ matter }}，经审查，提交的申请材料尚不齐全。根据社会救助“一门受理、协同办理”"
              "和一次性告知的有关规定，现将需要补正的全部材料一次性告知如下：")
    numbered_list(doc, "missing")
    para(doc, "请于{{ supplement_by|cn_date }}前将上述材料补齐后送至本机关社会救助服务窗口。材料补齐后，"
              "本机关将依法受理；逾期未补正的，视为撤回本次申请，你可以重新提出申请。")
    _contact(doc)
    signature_block(doc)
    _receipt_line(doc)
    return doc


def build_rejection_notice():
    doc = new_document("rejection_notice")
    red_letterhead(doc)
    title(doc, TITLES["rejection_notice"])
    _addressee(doc)
    para(doc, "你提出的{{ matter }}，经审查，因下列理由，本机关决定不予受理：")
    numbered_list(doc, "reasons")
    para(doc, "依据：{{ basis }}。")
    loop_tag(doc, "{%p if remedy_text %}")
    para(doc, "{{ remedy_text }}")
    loop_tag(doc, "{%p else %}")
    para(doc, "如对本决定不服，可以自收到本告知书之日起60日内向{{ remedy.review_body }}申请行政复议，"
              "也可以自收到本告知书之日起6个月内依法向{{ remedy.court }}提起行政诉讼。")
    loop_tag(doc, "{%p endif %}")
    para(doc, "如你的家庭情况符合其他社会救助条件，可向本机关社会救助服务窗口咨询。")
    signature_block(doc)
    _receipt_line(doc)
    return doc


