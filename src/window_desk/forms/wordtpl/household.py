"""Templates of the household's papers: the authorization (授权书) and the application (申请书)."""

from __future__ import annotations


from window_desk.forms.docx_render import TITLES
from window_desk.forms.wordtpl.base import S_BODY, S_CELL, S_HEADING, S_PLAIN, S_SIGN

from window_desk.forms.wordtpl.blocks import (form_table, loop_table, number_line, para, plain_letterhead,
                                              spacer, title)
from window_desk.forms.wordtpl.setup import new_document


RECORDS_CHECKED = "户籍、车辆、社保、公积金、住房、存款、证券、保险、工商、税务"


def build_authorization():
    doc = new_document("authorization")
    plain_letterhead(doc)
    title(doc, TITLES["authorization"])
    number_line(doc)
    para(doc, "{{ office }}及县级以上人民政府民政部门（居民家庭经济状况核对机构）：", S_PLAIN)
    para(doc, "本人{{ applicant.name }}（公民身份号码：{{ applicant.id_number }}）因申请社会救助，"
              "本人及下表所列共同生活的家庭成员自愿授权你单位，在审核确认社会救助和救助期间的动态管理中，"
              "通过有关部门和机构查询、核对本人及下列家庭成员的以下信息：")
    para(doc, RECORDS_CHECKED + "等信息。", S_BODY, bold=True)
    para(doc, "本授权自签署之日起生效，至本人及家庭成员停止享受社会救助之日止。核对机构对查询获得的信息"
              "负有保密义务，仅用于社会救助审核确认和动态管理，不得用于其他用途。")
    para(doc, "本人及家庭成员承诺：所申报的家庭人口、收入、财产和支出情况真实、完整，本授权系本人（监护人）"
              "真实意思表示。如有隐瞒、虚报或者伪造，愿意承担相应的法律责任，并退回不应享受的救助款物。")
    spacer(doc)
    loop_table(
        doc,
        ["序号", "姓名", "与申请人关系", "公民身份号码", "监护人（代签）", "本人或监护人签名", "手印"],
        [10, 19, 17, 38, 32, 24, 16],
        "m in members",
        [
            "{{ loop.index }}",
            "{{ m.name }}",
            "{{ m.relation }}",
            "{{ m.id_number }}",
            "{% if m.guardian %}{{ m.guardian.name }}{% if m.guardian.relation %}（{{ m.guardian.relation }}）"
            "{% endif %}{% if m.guardian.id_number %}\n{{ m.guardian.id_number }}{% endif %}{% endif %}",
            "",
            "",
        ],
        row_height_mm=15,
        centered_cols=(0, 1, 2, 3),
    )
    para(doc, "注：家庭成员中无民事行为能力或者限制民事行为能力的，由其监护人代为签名并捺手印，"
              "在“监护人”栏写明监护人姓名、关系和公民身份号码。", S_CELL)
    para(doc, "", S_PLAIN)
    para(doc, "申请人（签名）：　　　　　　　　（手印）", S_PLAIN)
    para(doc, "签署日期：{{ date|cn_date }}", S_SIGN)
    return doc


def build_application():
    doc = new_document("application")
    plain_letterhead(doc)
    title(doc, TITLES["application"])
    number_line(doc)
    para(doc, "{{ office }}：", S_PLAIN)
    para(doc, "本人因家庭生活困难，现向你单位申请社会救助。本人及共同生活家庭成员的情况如下：")
    spacer(doc)
    form_table(doc, [26, 52, 26, 52], [
        [("申请人", 1, "label"), ("{{ applicant.name }}", 1, "value"),
         ("公民身份号码", 1, "label"), ("{{ applicant.id_number }}", 1, "value")],
        [("家庭住址", 1, "label"), ("{{ applicant.address }}", 1, "value"),
         ("联系电话", 1, "label"), ("{{ applicant.phone }}", 1, "value")],
        [("申请救助类别", 1, "label"), ("{{ requested|join('、') }}", 3, "value")],
    ])
    spacer(doc)
    loop_table(
        doc,
        ["序号", "姓名", "与申请人关系", "公民身份号码", "健康状况", "就业状况", "月收入（元）"],
        [10, 18, 17, 39, 26, 26, 20],
        "m in members",
        ["{{ loop.index }}", "{{ m.name }}", "{{ m.relation }}", "{{ m.id_number }}", "{{ m.health }}",
         "{{ m.employment }}", "{{ m.monthly_income|money }}"],
        centered_cols=(0, 1, 2, 3, 6),
    )
    para(doc, "共同生活家庭成员共{{ members|length }}人，月收入合计{{ income_total }}元。", S_CELL)
    para(doc, "申请理由", S_HEADING)
    para(doc, "{{ reason }}")
    para(doc, "本人承诺：以上所填情况及提交的材料真实、完整，同意并授权有关部门对本人及家庭成员的家庭经济状况"
              "进行调查核对；如有隐瞒、虚报或者伪造，愿意承担相应的法律责任，并退回不应享受的救助款物。")
    para(doc, "", S_PLAIN)
    para(doc, "申请人（签名）：　　　　　　　　（手印）", S_PLAIN)
    para(doc, "申请日期：{{ date|cn_date }}", S_SIGN)
    return doc


