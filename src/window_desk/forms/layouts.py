"""The content of each document kind: what is printed, in which order, in which table.

``build(kind, data, fonts, width)`` returns the flowables of one document; the page
frame, header, footer, QR code and 补打 mark are ``pdf.PageDecor``'s. Sizes after
forms.md / GB/T 9704: title 22 pt (二号) in the title face, letter text 16 pt (三号)
with 1.5× line spacing (28.9 pt: 22 lines on the 225 mm type area, as GB/T 9704
sets), 12 pt (小四) in tables; the landscape daily register uses 10 pt to fit its
14 columns. Printed wording uses full-width punctuation throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from window_desk import idnumber
from window_desk.forms.fonts import FontSet
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
        cells = []
        for r, row in enumerate(rows):
            out = []
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
        from window_desk.forms.pdf import qr_modules

        self.modules = qr_modules(payload)
        self.size = size
        self.payload = payload

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
        from window_desk.forms.pdf import draw_qr

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
        from window_desk.forms.pdf import draw_text

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
    d = doc.data
    p = d["person"]
    amount = parse_money(d["amount"])
    assert amount is not None  # validated
    doc.title()
    doc.number(space_after=6)
    w = [92, 126, 80, 0.0]
    w[-1] = doc.width - sum(w)
    big = CELL.with_(size=14, leading=20)
    doc.add(doc.table([
        ["领取人姓名", text(p["name"]), "公民身份号码", _id(p["id_number"])],
        ["救助事由", doc.block(text(d["reason"]), CELL.with_(align="justify")), "", ""],
        ["金额（小写）", doc.block(f"¥{fmt(amount)}", big), "", ""],  # ¥ says 元: never "¥2500.00元"
        ["金额（大写）", doc.block(f"人民币{chinese_capitals(amount)}", big.with_(role="title")), "", ""],
        ["发放日期", date_cn(text(d["paid_at"])), "发放单位", text(d["payer"])],
        ["审批人", text(d.get("approved_by")), "经办人", text(d["clerk"])],
        ["领取人确认", "本人已足额领取上述先行救助金。", "", ""],
        ["领取人签名", "", "指印", ""],
    ], w, spans=[((1, r), (3, r)) for r in (1, 2, 3, 6)], labels=_label_cols(0, 2),
        heights=[30, None, 30, 30, 30, 30, 28, 64]))
    doc.para("注：先行救助金由领取人本人签名并按指印后发放；本凭证作为临时救助备用金支出的原始凭证留存备查。",
             SMALL.with_(space_before=6))


# -- daily register (每日台账) -------------------------------------------------------------------

TOTAL_LABELS = (
    ("received", "登记"), ("accepted", "受理"), ("notified_missing", "一次性告知"), ("rejected", "不予受理"),
    ("referred", "转介"), ("prepaid", "先行救助"), ("consulted", "咨询"),
)
REGISTER = Style(size=10, leading=13.5, align="left", max_spacing=0.2)


def daily_register(doc: Doc) -> None:
    d = doc.data
    doc.title()
    info = f"登记日期：{date_cn(text(d['day']))}　　填报单位：{text(d['office'])}　　编号：{text(d['number'])}"
    doc.para(info, Style(size=12, leading=22, align="center", space_after=4))
    columns = [("序号", 28), ("时间", 36), ("姓名", 42), ("公民身份号码", 114), ("住址", 0.0), ("联系电话", 72),
               ("救助类别", 48), ("材料齐全", 30), ("受理结果", 48), ("转介单位", 56), ("办理时限", 52),
               ("办理结果", 58), ("经办人", 40), ("备注", 62)]
    widths = [w for _, w in columns]
    widths[4] = doc.width - sum(widths)
    rows: list[list[Any]] = [[name for name, _ in columns]]
    for row in d["rows"]:
        due = text(row.get("due_date"))
        rows.append([
            text(row["seq"]), text(row["time"]), text(row["name"]), idnumber.mask(text(row["id_number"])),
            text(row.get("address")), text(row.get("phone")), text(row["category"]),
            "齐全" if row["materials_complete"] else "不齐", text(row["outcome"]), text(row.get("referred_to")),
            date_cn(due) if due else "", text(row.get("result")), text(row["clerk"]), text(row.get("note")),
        ])
    if len(rows) == 1:
        rows.append(["本日无登记"] + [""] * (len(columns) - 1))
    centered = {0, 1, 2, 7, 12}
    doc.add(doc.table(rows, widths, header_rows=1, style=REGISTER, label_style=REGISTER.with_(align="center"),
                      labels=lambda r, c: c in centered, padding=3,
                      spans=[((0, 1), (-1, 1))] if not d["rows"] else (),
                      extra=[("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    totals = d["totals"]
    known = dict(TOTAL_LABELS)
    parts = [f"{label}{totals[key]}件" for key, label in TOTAL_LABELS if key in totals and key != "received"]
    parts += [f"{key}{value}件" for key, value in totals.items() if key not in known]
    line = "本日合计："
    if "received" in totals:
        line += f"登记{totals['received']}件" + ("；其中" if parts else "")
    line += "，".join(parts) + "。"
    doc.para(line, Style(size=12, leading=20, align="left", space_before=6))
    review = d.get("review") or {}
    reviewed = date_cn(text(review.get("reviewed_at"))) if text(review.get("reviewed_at")) else "　　年　　月　　日"
    rw = [80, 120, 80, 150, 90, 0.0]
    rw[-1] = doc.width - sum(rw)
    doc.add(Spacer(1, 4))
    doc.add(KeepTogether([doc.table([
        ["审核人", text(review.get("supervisor")), "审核时间", reviewed, "审核人签字", ""],
        ["审核意见", doc.block(text(review.get("comment")), CELL.with_(align="justify")), "", "", "", ""],
    ], rw, spans=[((1, 1), (-1, 1))], labels=_label_cols(0, 2, 4), heights=[None, 34])]))


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
