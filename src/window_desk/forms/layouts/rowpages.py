"""A long ruled table laid out and drawn a page at a time (the daily register's rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table

from window_desk.forms.fonts import RenderError, missing_glyph_message
from window_desk.forms.layouts.base import GRID_COLOR, Doc
from window_desk.forms.text import TextBlock

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
    if (lines is None or style.align == "justify" or style.indent or style.rindent or style.hanging
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

