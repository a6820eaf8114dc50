"""The content of each document kind: what is printed, in which order, in which table.

``build(kind, data, fonts, width)`` returns the flowables of one document; the page
frame, header, footer, QR code and 补打 mark are ``pdf.PageDecor``'s. Sizes after
forms.md / GB/T 9704: title 22 pt (二号) in the title face, letter text 16 pt (三号)
with 1.5× line spacing (28.9 pt: 22 lines on the 225 mm type area, as GB/T 9704
sets), 12 pt (小四) in tables; the landscape daily register uses 10 pt to fit its
14 columns. Printed wording uses full-width punctuation throughout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from window_desk import idnumber
from window_desk.forms.fonts import FontSet, RenderError, missing_glyph_message
from window_desk.forms.kinds import KINDS, date_cn, parse_money, text
from window_desk.forms.text import Style, TextBlock, measure
from window_desk.money import chinese_capitals, fmt

LEAD = 225 * mm / 22  # 1.5× line spacing of 三号 text: GB/T 9704's 22 lines per page
TITLE = Style(role="title", size=22, leading=33, align="center", space_after=4)
NUMBER = Style(size=16, leading=LEAD, align="right", space_after=LEAD / 2)
BODY = Style(size=16, leading=LEAD, align="justify", indent=32, max_spacing=0.3)
FLUSH = BODY.with_(indent=0, align="left")
CELL = Style(size=12, leading=17, align="left", max_spacing=0.3)
LABEL = CELL.with_(align="center")
HEAD = CELL.with_(role="title", align="center")
SMALL = Style(size=10.5, leading=15, align="left")
AUTH_BODY = BODY.with_(leading=24)  # 1.5 × 16 pt: keeps a household's table and signatures on one page
GRID_COLOR = colors.black
CHUNK_HEIGHT = 200.0  # a table cell's text taller than this is cut into rows this tall, to break across pages


def _id(value: Any) -> str:
    """An ID number as printed: normalised (upper-case X, 15 digits upgraded) when valid."""
    raw = text(value)
    checked = idnumber.check(raw)
    return checked.id_number if checked.valid and checked.id_number else raw


def _items(values: Sequence[Any], *, numbered: bool = True) -> list[str]:
    """List items as lines of a letter: ``1．……；`` and ``。`` after the last."""
    out = []
    for i, value in enumerate(values, 1):
        item = text(value).rstrip("；;。.，,")
        end = "。" if i == len(values) else "；"
        out.append(f"{i}．{item}{end}" if numbered else f"{item}{end}")
    return out


def _joined(values: Sequence[Any]) -> str:
    return "、".join(text(v) for v in values)


class Doc:
    """Helpers to build one document's flowables."""

    def __init__(self, kind: str, data: dict[str, Any], fonts: FontSet, width: float) -> None:
        self.kind = kind
        self.data = data
        self.fonts = fonts
        self.width = width
        self.story: list[Flowable] = []

    # -- text ------------------------------------------------------------------------------
    def block(self, content: str | Sequence[tuple[str, str]], style: Style) -> TextBlock:
        return TextBlock(content, style, self.fonts)

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def title(self, title: str | None = None) -> None:
        self.add(self.block(title or KINDS[self.kind].title, TITLE))

    def number(self, space_after: float | None = None) -> None:
        style = NUMBER if space_after is None else NUMBER.with_(space_after=space_after)
        self.add(self.block(text(self.data["number"]), style))

    def para(self, content: str | Sequence[tuple[str, str]], style: Style = BODY) -> None:
        self.add(self.block(content, style))

    def salutation(self, person: dict[str, Any]) -> None:
        self.para(f"{text(person['name'])}（公民身份号码：{_id(person['id_number'])}）：", FLUSH)

    def signature(self, *, office: str | None = None, space: float = LEAD) -> None:
        """Office and date at the right, the office centred over the date (GB/T 9704 §7.3.5)."""
        office = office or text(self.data["office"])
        day = date_cn(text(self.data["date"]))
        seal = f"{office}（盖章）"
        size = BODY.size
        right = 2 * size  # the date stands four characters in from the right edge less the 2 of 盖章's bracket
        office_w = measure(self.fonts, seal, size)
        day_w = measure(self.fonts, day, size)
        office_right = max(0.0, right + (day_w - office_w) / 2)
        style = BODY.with_(indent=0, align="right")
        self.add(Spacer(1, space))
        self.add(KeepTogether([self.block(seal, style.with_(rindent=office_right)),
                               self.block(day, style.with_(rindent=right))]))

    # -- tables ----------------------------------------------------------------------------
    def cell(self, value: Any, style: Style = CELL) -> list[Flowable] | str:
        """A cell's content: a list of flowables (reportlab splits only those inside a row) or ""."""
        if isinstance(value, Flowable):
            return [value]
        if value is None or value == "":
            return ""
        return [self.block(str(value), style)]

    def table(self, rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
              spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
              heights: Sequence[float | None] | None = None, labels: Callable[[int, int], bool] | None = None,
              header_rows: int = 0, style: Style = CELL, label_style: Style = LABEL, padding: float = 4,
              extra: Sequence[tuple[Any, ...]] = ()) -> Table:
        """A ruled table; cells are text (wrapped) or flowables. ``labels(r, c)`` marks label cells."""
        assert abs(sum(widths) - self.width) < 0.5, (sum(widths), self.width)
        cells = self.cells(rows, header_rows=header_rows, labels=labels, style=style, label_style=label_style)
        nrows, ncols = len(cells), len(widths)
        norm = [((a[0] % ncols, a[1] % nrows), (b[0] % ncols, b[1] % nrows)) for a, b in spans]
        row_heights = list(heights) if heights else [None] * nrows
        # Rows with a very long value become several rows without a rule between them, so the
        # table can break between pages inside that value (reportlab splits tables between rows).
        out_cells: list[list[Any]] = []
        out_heights: list[float | None] = []
        first: list[int] = []
        continued: set[int] = set()
        out_spans = []
        for r, row in enumerate(cells):
            first.append(len(out_cells))
            in_vertical = any(a[1] <= r <= b[1] and a[1] != b[1] for a, b in norm)
            row_spans = [(a, b) for a, b in norm if a[1] == r == b[1]]
            chunks = None
            if r >= header_rows and not in_vertical and row_heights[r] is None:
                chunks = self._chunk_row(row, widths, row_spans, padding)
            for k, chunk in enumerate(chunks or [row]):
                if k:
                    continued.add(len(out_cells))
                    out_spans += [((a[0], len(out_cells)), (b[0], len(out_cells))) for a, b in row_spans]
                out_cells.append(chunk)
                out_heights.append(None if chunks else row_heights[r])
        out_spans += [((a[0], first[a[1]]), (b[0], first[b[1]])) for a, b in norm]
        n = len(out_cells)
        commands: list[tuple[Any, ...]] = [
            # Empty cells are drawn as strings in the cell font: make it ours, not Helvetica.
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.chains["body"][0].reg_name),
            ("LINEAFTER", (0, 0), (ncols - 2, n - 1), 0.6, GRID_COLOR),
            ("BOX", (0, 0), (-1, -1), 1.2, GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        commands += [("LINEBELOW", (0, r), (-1, r), 0.6, GRID_COLOR) for r in range(n - 1) if r + 1 not in continued]
        for r in continued:  # the pieces of one value read as one cell: no gap where they meet
            commands += [("VALIGN", (0, r - 1), (-1, r), "TOP"), ("TOPPADDING", (0, r), (-1, r), 0),
                         ("BOTTOMPADDING", (0, r - 1), (-1, r - 1), 0)]
        commands += [("SPAN", a, b) for a, b in out_spans]
        commands += list(extra)
        return Table(out_cells, colWidths=list(widths), rowHeights=out_heights,
                     repeatRows=header_rows, style=TableStyle(commands), hAlign="LEFT")

    def cells(self, rows: Sequence[Sequence[Any]], *, header_rows: int = 0,
              labels: Callable[[int, int], bool] | None = None, style: Style = CELL,
              label_style: Style = LABEL) -> list[list[Any]]:
        """The table's values as cells (lists of flowables, or ""); a cell already a list is kept."""
        cells = []
        for r, row in enumerate(rows):
            out: list[Any] = []
            for c, value in enumerate(row):
                if isinstance(value, list):  # several flowables in one cell
                    out.append(value)
                elif isinstance(value, Flowable) or value is None or value == "":
                    out.append(self.cell(value))
                elif r < header_rows:
                    out.append(self.cell(value, HEAD.with_(size=style.size, leading=style.leading)))
                elif labels is not None and labels(r, c):
                    out.append(self.cell(value, label_style))
                else:
                    out.append(self.cell(value, style))
            cells.append(out)
        return cells

    def _chunk_row(self, row: list[Any], widths: Sequence[float], row_spans: list[Any],
                   padding: float) -> list[list[Any]] | None:
        """A row whose text is taller than ``CHUNK_HEIGHT`` as several rows of at most that, else None."""
        covered = {c for a, b in row_spans for c in range(a[0] + 1, b[0] + 1)}
        pieces: dict[int, list[TextBlock]] = {}
        for c, value in enumerate(row):
            if c in covered or not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], TextBlock)):
                continue
            span_end = next((b[0] for a, b in row_spans if a[0] == c), c)
            width = sum(widths[c:span_end + 1]) - 2 * padding
            block = value[0]
            lines = max(1, int(CHUNK_HEIGHT // block.style.leading))
            parts = block.pieces(width, lines)
            if len(parts) > 1:
                pieces[c] = parts
        if not pieces:
            return None
        count = max(len(p) for p in pieces.values())
        chunks = []
        for k in range(count):
            chunk = []
            for c, value in enumerate(row):
                if c in pieces:
                    chunk.append([pieces[c][k]] if k < len(pieces[c]) else "")
                else:
                    chunk.append(value if k == 0 else "")
            chunks.append(chunk)
        return chunks


def _label_cols(*cols: int) -> Callable[[int, int], bool]:
    wanted = set(cols)
    return lambda r, c: c in wanted


# -- letters (通知书) ---------------------------------------------------------------------------

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
        doc.para(line)
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
        doc.para(line)
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
        doc.para(line)
    basis = text(d["basis"]).rstrip("。")
    doc.para(f"依据：{basis}。")
    doc.para(f"如对本决定不服，可以自收到本告知书之日起六十日内向{text(remedy['review_body'])}申请行政复议，"
             f"也可以自收到本告知书之日起六个月内依法向{text(remedy['court'])}提起行政诉讼。")
    doc.signature()


# -- authorization (授权书) ----------------------------------------------------------------------

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
    ], w4, spans=[((1, 1), (3, 1))], labels=_label_cols(0, 2), heights=[26, 26, None]))
    doc.add(Spacer(1, 8))
    widths = [34, 50, 40, 138, 0.0, 62, 62]
    widths[4] = doc.width - sum(widths)
    rows: list[list[Any]] = [[doc.block("共同生活的家庭成员情况", HEAD), "", "", "", "", "", ""],
                             ["序号", "姓名", "关系", "公民身份号码", "健康状况", "就业状况", "月收入（元）"]]
    for i, m in enumerate(d["members"], 1):
        rows.append([str(i), text(m["name"]), text(m["relation"]), _id(m["id_number"]), text(m["health"]),
                     text(m["employment"]), doc.block(fmt(parse_money(m["monthly_income"])), CELL.with_(align="right"))])
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


# -- referral slip (转介单) with its tear-off receipt (回执) ----------------------------------------

class QrMark(Flowable):
    """The document's QR code as a flowable: the 回执 is cut off and returned on its own, so it carries
    its own symbol (the same payload as the page's: number, case number, content hash)."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        from window_desk.forms.draw import qr_modules

        self.modules = qr_modules(payload)
        self.size = size
        self.payload = payload

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
        from window_desk.forms.draw import draw_qr

        draw_qr(self.canv, self.modules, 0, 0, self.size)


class CutLine(Flowable):
    """A dashed cut line across the frame with 沿此线剪开 in the middle."""

    def __init__(self, fonts: FontSet, width: float) -> None:
        super().__init__()
        self.fonts = fonts
        self.width = width
        self.height = 10 * mm
        self.label = "✂ 沿此虚线剪开"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        from window_desk.forms.draw import draw_text

        canv = self.canv
        size = 10.5
        label_w = measure(self.fonts, self.label, size)
        mid = self.height / 2
        gap = label_w / 2 + 3 * mm
        canv.saveState()
        canv.setLineWidth(0.8)
        canv.setDash(4, 3)
        canv.line(0, mid, self.width / 2 - gap, mid)
        canv.line(self.width / 2 + gap, mid, self.width, mid)
        canv.restoreState()
        draw_text(canv, self.fonts, self.width / 2, mid - 0.36 * size, self.label, size=size, align="center")


def referral_slip(doc: Doc) -> None:
    d = doc.data
    p = d["person"]
    contact = d["contact"]
    doc.title()
    doc.number(space_after=6)
    w = [84, 126, 84, 0.0]
    w[-1] = doc.width - sum(w)
    measures = doc.block("\n".join(_items(d["measures"])), CELL)
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


# -- inquiry record (首问负责登记表) ---------------------------------------------------------------

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


# -- daily register (每日台账) -------------------------------------------------------------------

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


class RowPages(Flowable):
    """A long ruled table laid out, and drawn, one page at a time.

    reportlab's ``Table.split`` copies the style of every remaining row at each page break, so a
    2,000-row register spent most of its time (and grew quadratically) splitting one table. Here
    the rows are measured once (``heights``), each page takes the rows that fit, and draws them
    itself — the same rules as ``Doc.table`` (box 1.2 pt, inner lines 0.6 pt, shaded header row
    repeated on every page, cells centred vertically) without a ``Table`` and its per-cell state
    saving. A row taller than a whole page falls back to a ``Table`` that reportlab cuts.
    """

    def __init__(self, doc: Doc, header: list[Any], rows: list[list[Any]], heights: list[float],
                 header_height: float, widths: Sequence[float], table_kw: dict[str, Any], padding: float,
                 shade: Any = colors.whitesmoke) -> None:
        super().__init__()
        self.doc = doc
        self.header = header
        self.rows = rows
        self.heights = heights
        self.header_height = header_height
        self.widths = list(widths)
        self.table_kw = table_kw
        self.padding = padding
        self.shade = shade
        self._refused = False

    def _make(self, rows: list[list[Any]]) -> Table:
        return self.doc.table([self.header, *rows], self.widths, header_rows=1, **self.table_kw)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.heights)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        top = self.height
        canv.saveState()
        canv.setFillColor(self.shade)
        canv.rect(0, top - self.header_height, self.width, self.header_height, stroke=0, fill=1)
        canv.restoreState()
        y = top
        pad = self.padding
        # All the page's text goes into one text object: a move per line and a font change only
        # when the face changes, instead of a saved state, a transform and a text object per cell.
        tx = canv.beginText(0, 0)
        tx.setFillColor(colors.black)
        current: list[Any] = [None, 0.0]
        for row, h in zip([self.header, *self.rows], [self.header_height, *self.heights], strict=True):
            bottom = y - h
            for c, cell in enumerate(row):
                if not isinstance(cell, list):
                    continue
                inner = self.widths[c] - 2 * pad
                content = sum(f.wrap(inner, 1e9)[1] for f in cell)
                fy = bottom + 3 + (h - 6 - content) / 2 + content  # VALIGN MIDDLE, 3 pt top and bottom
                for f in cell:
                    fy -= f.height
                    if not (isinstance(f, TextBlock) and _emit_lines(tx, f, xs[c] + pad, fy, current)):
                        f.drawOn(canv, xs[c] + pad, fy)
            y = bottom
        canv.drawText(tx)
        path = canv.beginPath()
        y = top
        for h in [self.header_height, *self.heights][:-1]:
            y -= h
            path.moveTo(0, y)
            path.lineTo(self.width, y)
        for x in xs[1:-1]:
            path.moveTo(x, 0)
            path.lineTo(x, top)
        canv.saveState()
        canv.setStrokeColor(GRID_COLOR)
        canv.setLineWidth(0.6)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setLineWidth(1.2)
        canv.rect(0, 0, self.width, top, stroke=1, fill=0)
        canv.restoreState()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        used, n = self.header_height, 0
        while n < len(self.rows) and used + self.heights[n] <= availHeight - 1.0:
            used += self.heights[n]
            n += 1
        if n == 0:
            if not self._refused:  # go on at the top of the next page
                self._refused = True
                return []
            # A single row taller than a page: let reportlab cut it (its text is in pieces).
            return [*self._make(self.rows[:1]).split(availWidth, availHeight), *self._part(1, None)]
        return [*self._part(0, n), *self._part(n, None)]

    def _part(self, a: int, b: int | None) -> list[Flowable]:
        if a >= len(self.rows):
            return []
        return [RowPages(self.doc, self.header, self.rows[a:b], self.heights[a:b], self.header_height, self.widths,
                         self.table_kw, self.padding, self.shade)]


def _emit_lines(tx: Any, block: TextBlock, x0: float, y0: float, current: list[Any]) -> bool:
    """Write a laid-out block's lines into a shared text object, as ``TextBlock.draw`` would place
    them (left, centred or right; black). False for what only the block can draw (justified or
    indented text, another colour): the caller then draws the block itself."""
    style = block.style
    lines = block._lines  # noqa: SLF001 - laid out by wrap() at this width
    if (lines is None or style.align == "justify" or style.indent or style.rindent
            or style.color != colors.black):
        return False
    size, leading = style.size, style.leading
    fonts = block.fonts
    for i, (units, _last) in enumerate(lines):
        while units and units[-1][0].isspace():
            units = units[:-1]
        if not units:
            continue
        used = sum(u[2] for u in units)
        x = x0
        if style.align == "center":
            x = x0 + (block.width - used) / 2
        elif style.align == "right":
            x = x0 + block.width - used
        tx.setTextOrigin(x, y0 + block.height - i * leading - leading / 2 - 0.36 * size)
        buf: list[str] = []
        for text_, role, _w in units:
            for ch in text_:
                face = fonts.face_for(ch, role) or (fonts.chains[role][0] if ch.isspace() else None)
                if face is None:
                    raise RenderError(missing_glyph_message(ch, None))
                if face is not current[0] or size != current[1]:
                    if buf:
                        tx.textOut("".join(buf))
                        buf = []
                    tx.setFont(face.reg_name, size)
                    current[0], current[1] = face, size
                buf.append(ch)
        if buf:
            tx.textOut("".join(buf))
    return True


def _cell_height(cell: Any, width: float) -> float:
    if not isinstance(cell, list):
        return 0.0
    return sum(f.wrap(width, 1e9)[1] + getattr(f, "spaceBefore", 0) + getattr(f, "spaceAfter", 0) for f in cell)


_WORD = re.compile(r"[^、，；,;\s年]+[年、，；,;]?")  # a date may break after 年: 2026年 / 11月16日


def fit_columns(doc: Doc, headers: Sequence[str], values: Sequence[Sequence[str]], whole: Sequence[bool],
                style: Style, padding: float) -> list[float]:
    """Column widths sized to their content, summing to the frame width.

    Each column gets at least what keeps its words whole — in a "whole" column a word is a
    value's run between 、，； or spaces (a name, a date, an ID or phone number, one department
    of a list), elsewhere the widest unbreakable run of its text (an ID number, a Latin word) —
    and its heading on at most two lines; what is left goes to the columns in proportion to what
    their longest value still lacks, then to the columns of free text. When even the minimums
    do not fit, the "whole" columns fall back to unbreakable runs, and only then is all scaled.
    """
    from window_desk.forms.linebreak import atoms

    cache: dict[str, float] = {}

    def w(text: str) -> float:
        got = cache.get(text)
        if got is None:
            got = cache[text] = measure(doc.fonts, text, style.size)
        return got

    ncols = len(headers)
    natural = [0.0] * ncols
    word_min = [0.0] * ncols
    atom_min = [0.0] * ncols
    for c, head in enumerate(headers):
        half = head[: (len(head) + 1) // 2]
        natural[c] = word_min[c] = atom_min[c] = w(half)
    seen: set[tuple[int, str]] = set()
    for row in values:
        for c, value in enumerate(row):
            if not value or (c, value) in seen:
                continue
            seen.add((c, value))
            full = w(value)
            natural[c] = max(natural[c], full)
            if full > atom_min[c]:
                atom_min[c] = max(atom_min[c], max(w(a) for a in atoms(value)))
            if whole[c] and full > word_min[c]:
                word_min[c] = max(word_min[c], max(w(x) for x in _WORD.findall(value)) if _WORD.search(value) else full)
    pad = 2 * padding + 0.5
    natural = [n + pad for n in natural]
    minimum = [max(word_min[c], atom_min[c]) + pad if whole[c] else atom_min[c] + pad for c in range(ncols)]
    room = doc.width
    if sum(minimum) >= room:
        minimum = [a + pad for a in atom_min]
        if sum(minimum) >= room:
            scale = room / sum(minimum)
            return [m * scale for m in minimum]
    widths = list(minimum)
    spare = room - sum(widths)
    # Water-filling: one character's width at a time to the column whose longest value would take
    # the most lines, so no column is many lines tall while another has room to spare.
    step = style.size
    while spare >= step:
        c = max(range(ncols), key=lambda k: (natural[k] - pad) / (widths[k] - pad))
        if natural[c] <= widths[c]:
            break
        widths[c] += step
        spare -= step
    flexible = [c for c in range(ncols) if not whole[c]] or list(range(ncols))
    share = sum(natural[c] for c in flexible)
    for c in flexible:
        widths[c] += spare * natural[c] / share
    return widths


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
    totals = d["totals"]
    known = dict(TOTAL_LABELS)
    parts = [f"{label}{totals[key]}件" for key, label in TOTAL_LABELS if key in totals and key != "received"]
    parts += [f"{key}{value}件" for key, value in totals.items() if key not in known]
    line = "本日合计："
    if "received" in totals:
        line += f"登记{totals['received']}件" + ("；其中" if parts else "")
    line += "，".join(parts) + "。"
    doc.para(line, Style(size=12, leading=20, align="left", space_before=6))
    amendments = d.get("amendments") or []
    if amendments:
        doc.para("签字后的更正记录：", Style(size=12, leading=20, align="left", space_before=4))
        aw = [90, 60, 150, 0.0, 150]
        aw[3] = doc.width - sum(aw)
        arows: list[list[Any]] = [["更正时间", "更正人", "更正内容", "原值 → 新值", "更正理由"]]
        arows += [[text(a["at"]), text(a["by"]), text(a["what"]), text(a["change"]), text(a["reason"])]
                  for a in amendments]
        doc.add(doc.table(arows, aw, header_rows=1, style=REGISTER, padding=REGISTER_PAD,
                          extra=[("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    review = d.get("review") or {}
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


BUILDERS: dict[str, Callable[[Doc], None]] = {
    "authorization": authorization,
    "application": application,
    "acceptance_notice": acceptance_notice,
    "missing_materials_notice": missing_materials_notice,
    "rejection_notice": rejection_notice,
    "referral_slip": referral_slip,
    "inquiry_record": inquiry_record,
    "prepay_voucher": prepay_voucher,
    "daily_register": daily_register,
}
assert set(BUILDERS) == set(KINDS)


def build(kind: str, data: dict[str, Any], fonts: FontSet, width: float) -> list[Flowable]:
    doc = Doc(kind, data, fonts, width)
    BUILDERS[kind](doc)
    return doc.story
