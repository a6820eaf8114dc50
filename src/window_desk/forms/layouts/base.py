"""What every document's layout shares: the type sizes, list and ID helpers, and ``Doc``, which turns
rows of values into ruled tables (cut into page-sized pieces when a value is very long).

Sizes after forms.md / GB/T 9704: title 22 pt (二号) in the title face, letter text 16 pt (三号)
with 1.5× line spacing (28.9 pt: 22 lines on the 225 mm type area, as GB/T 9704 sets), 12 pt (小四)
in tables. Printed wording uses full-width punctuation throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from window_desk import idnumber
from window_desk.forms.fonts import FontSet
from window_desk.forms.kinds import KINDS, date_cn, text
from window_desk.forms.text import Style, TextBlock, measure

LEAD = 225 * mm / 22  # 1.5× line spacing of 三号 text: GB/T 9704's 22 lines per page
TITLE = Style(role="title", size=22, leading=33, align="center", space_after=4)
NUMBER = Style(size=16, leading=LEAD, align="right", space_after=LEAD / 2)
BODY = Style(size=16, leading=LEAD, align="justify", indent=32, max_spacing=0.3)
FLUSH = BODY.with_(indent=0, align="left")
ITEM = BODY.with_(hanging=True)  # a numbered item of a letter: wrapped lines align with its text
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

