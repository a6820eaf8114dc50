"""The template of the daily register (每日台账), A4 landscape."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from window_desk.forms.docx_render import TITLES
from window_desk.forms.wordtpl.base import RED, S_CELL, S_REGISTER_CELL, S_TITLE
from window_desk.forms.wordtpl.base import _table_cell_margins
from window_desk.forms.wordtpl.blocks import loop_table, loop_tag, para
from window_desk.forms.wordtpl.setup import new_document


def build_daily_register():
    doc = new_document("daily_register", landscape=True)
    p = para(doc, TITLES["daily_register"], S_TITLE)
    p.paragraph_format.space_after = Pt(4)
    p = para(doc, "", S_CELL, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_after = Pt(6)
    p.add_run("受理单位：{{ office }}　　登记日期：{{ day|cn_date }}　　编号：{{ number }}")
    mark = p.add_run("{% if reprint %}（补打）{% endif %}")
    mark.bold = True
    mark.font.color.rgb = RED
    table = loop_table(
        doc,
        ["序号", "时间", "姓名", "公民身份号码", "住址", "联系电话", "救助类别", "材料",
         "受理情况", "转介部门", "办结时限", "办理结果", "经办人", "备注"],
        [8, 11, 14, 36, 24, 22, 16, 10, 16, 17, 20, 17, 13, 19],
        "r in rows",
        ["{{ r.seq }}", "{{ r.time }}", "{{ r.name }}", "{{ r.id_number }}", "{{ r.address }}", "{{ r.phone }}",
         "{{ r.category }}", "{{ r.materials_complete|yesno }}", "{{ r.outcome }}", "{{ r.referred_to }}",
         "{{ r.due_date }}", "{{ r.result }}", "{{ r.clerk }}", "{{ r.note }}"],
        empty_text="本日无登记",
        cell_style=S_REGISTER_CELL,
        value_style=S_REGISTER_CELL,
        row_height_mm=7,
    )
    _table_cell_margins(table, 0.8, 0.8)
    p = para(doc, "", S_CELL)
    p.paragraph_format.space_before = Pt(6)
    p.add_run("本日合计：").bold = True
    p.add_run("{% for t in totals_items %}{{ t.label }}{{ t.value }}{% if not loop.last %}；{% endif %}{% endfor %}。")
    para(doc, "审核意见：{{ review.comment }}", S_CELL)
    para(doc, "登记人：{{ clerk }}　　　　审核人（分管领导）：{{ review.supervisor }}　　　　"
              "审核时间：{{ review.reviewed_at|cn_date }}", S_CELL)
    # The audit chain head at sign-off (window-desk audit verify --anchor N:HASH), as the PDF prints it.
    loop_tag(doc, "{%p if review.anchor %}")
    para(doc, "审计链锚点：{{ review.anchor }}", S_CELL)
    loop_tag(doc, "{%p endif %}")
    loop_tag(doc, "{%p if amendments %}")
    para(doc, "签字后的更正记录：", S_CELL)
    loop_table(
        doc,
        ["更正时间", "更正人", "更正内容", "原值 → 新值", "更正理由"],
        [40, 24, 50, 79, 50],
        "a in amendments",
        ["{{ a.at }}", "{{ a.by }}", "{{ a.what }}", "{{ a.change }}", "{{ a.reason }}"],
        cell_style=S_REGISTER_CELL,
        value_style=S_REGISTER_CELL,
        row_height_mm=7,
    )
    loop_tag(doc, "{%p endif %}")
    return doc


