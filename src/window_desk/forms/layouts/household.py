"""The household's own papers: the authorization to check its finances (授权书) and the application (申请书)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Spacer

from window_desk.forms.kinds import date_cn, parse_money, text
from window_desk.forms.layouts.base import AUTH_BODY, CELL, HEAD, SMALL, Doc, _id, _joined, _label_cols
from window_desk.forms.layouts.columns import fit_columns, widen
from window_desk.money import fmt

RECORDS = ("户籍", "车辆", "社保", "公积金", "住房", "存款", "证券", "保险", "工商", "税务")


def authorization(doc: Doc) -> None:
    d = doc.data
    applicant = d["applicant"]
    doc.title()
    doc.number(space_after=4)
    doc.para(f"申请人{text(applicant['name'])}（公民身份号码：{_id(applicant['id_number'])}）及共同生活的家庭成员，"
             f"因申请社会救助，自愿授权{text(d['office'])}及县级以上人民政府民政部门，依法对本人及下列家庭成员的"
             f"{'、'.join(RECORDS)}等信息进行查询、核对；有关部门和金融机构可以依法向民政部门提供上述信息。"
             "本授权书自签署之日起至本家庭享受的社会救助终止之日止有效。", AUTH_BODY)
    doc.para("本人及家庭成员承诺：所提供的家庭人口、收入、财产等情况真实、完整，无虚报、隐瞒、伪造；如有不实，"
             "愿意承担相应的法律责任，并退还违规领取的救助资金。", AUTH_BODY)
    doc.add(Spacer(1, 6))
    # 序号 | 姓名 | 与申请人关系 | 公民身份号码 | 本人签名 | 指印
    widths = [34, 64, 58, 142, 84, 0.0]
    widths[-1] = doc.width - sum(widths)
    words = [[text(m["name"]), text(m["relation"]), _id(m["id_number"])] for m in d["members"]]
    widths = widen(doc, widths, [["", *row, "", ""] for row in words], CELL, 4, give=4)
    rows: list[list[Any]] = [["序号", "姓名", "与申请人关系", "公民身份号码", "签名", "指印"]]
    spans = []
    heights: list[float | None] = [None]
    for i, member in enumerate(d["members"], 1):
        r = len(rows)
        rows.append([str(i), text(member["name"]), text(member["relation"]), _id(member["id_number"]), "", ""])
        guardian = member.get("guardian")
        if guardian:
            heights.append(None)
            g_text = f"监护人：{text(guardian['name'])}"
            if text(guardian.get("relation")):
                g_text += f"（{text(guardian['relation'])}）"
            if text(guardian.get("id_number")):
                g_text += f"　公民身份号码：{_id(guardian['id_number'])}"
            g_text += "　代为签名、按指印"
            rows.append(["", doc.block(g_text, CELL.with_(size=10.5, leading=15)), "", "", "", ""])
            heights.append(None)
            spans += [((0, r), (0, r + 1)), ((1, r + 1), (3, r + 1)), ((4, r), (4, r + 1)), ((5, r), (5, r + 1))]
        else:
            heights.append(30)
    doc.add(doc.table(rows, widths, spans=spans, heights=heights, header_rows=1,
                      labels=lambda r, c: c in (0, 2)))
    sign = AUTH_BODY.with_(indent=0, align="left")
    doc.add(KeepTogether([
        doc.block("注：无民事行为能力或者限制民事行为能力的家庭成员，由其监护人代为签名、按指印。",
                  SMALL.with_(space_before=4, space_after=8)),
        doc.block(f"申请人（签名并按指印）：　　　　　　　签署日期：{date_cn(text(d['date']))}",
                  sign.with_(size=14, leading=24)),
    ]))


# -- application (申请书) -----------------------------------------------------------------------

def application(doc: Doc) -> None:
    d = doc.data
    a = d["applicant"]
    doc.title()
    doc.number(space_after=6)
    w4 = [76, 124, 90, 0.0]
    w4[-1] = doc.width - sum(w4)
    doc.add(doc.table([
        ["申请人姓名", text(a["name"]), "公民身份号码", _id(a["id_number"])],
        ["家庭住址", text(a["address"]), "", ""],
        ["联系电话", text(a["phone"]), "申请救助类别", _joined(d["requested"])],
    ], w4, spans=[((1, 1), (3, 1))], labels=_label_cols(0, 2), heights=[26, None, None]))  # a long address wraps
    doc.add(Spacer(1, 8))
    headers = ["序号", "姓名", "关系", "公民身份号码", "健康状况", "就业状况", "月收入（元）"]
    values = [[str(i), text(m["name"]), text(m["relation"]), _id(m["id_number"]), text(m["health"]),
               text(m["employment"]), fmt(parse_money(m["monthly_income"]))] for i, m in enumerate(d["members"], 1)]
    # Whole: number, name, relation, ID, income; health and work are phrases, kept to whole words.
    widths = fit_columns(doc, headers, values, [True, True, True, True, False, False, True], CELL, 4)
    rows: list[list[Any]] = [[doc.block("共同生活的家庭成员情况", HEAD), "", "", "", "", "", ""], headers]
    rows += [[*row[:6], doc.block(row[6], CELL.with_(align="right"))] for row in values]
    doc.add(doc.table(rows, widths, spans=[((0, 0), (-1, 0))], header_rows=2,
                      labels=lambda r, c: c in (0, 2), extra=[("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    doc.add(Spacer(1, 8))
    w2 = [76, 0.0]
    w2[-1] = doc.width - sum(w2)
    reason = doc.block(text(d["reason"]), CELL.with_(align="justify", indent=24))
    promise = [
        doc.block("本人承诺：以上填写的内容和提交的材料真实、完整，如有虚报、隐瞒、伪造，愿意承担相应的法律责任，"
                  "并退还违规领取的救助资金。", CELL.with_(align="justify", leading=20, indent=24)),
        Spacer(1, 14),
        doc.block("申请人（签名并按指印）：　　　　　　　　年　　月　　日", CELL.with_(align="right", leading=20)),
    ]
    doc.add(doc.table([["申请理由", reason], ["承诺", promise]], w2, labels=_label_cols(0),
                      heights=[None, None]))

