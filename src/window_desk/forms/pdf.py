"""PDF rendering of the documents (reportlab), as spec/forms.md lays them out.

Page: A4 with the GB/T 9704-2012 type area (top 37 mm, binding edge 28 mm,
156 × 225 mm); the daily register is A4 landscape (15 mm sides, 32 mm top, 22 mm
bottom). The parts fixed on every page — the office and number in the header,
the clerk, page number (``— 1 —``) and date in the footer, the QR code in the top
right corner, the 补打 mark of a reprint — are drawn by the page template's
``onPage``; the flowing content comes from ``layouts``.

Every text leaf of the data is checked against the font chain first, so a
character no font has is a ``RenderError`` naming field and character before
anything is drawn. Output is built in memory with ``invariant=1``: the same
data gives the same bytes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from window_desk.forms import kinds, tounicode
from window_desk.forms.draw import QR_MASK, draw_qr, draw_text, qr_modules  # noqa: F401 - also for callers
from window_desk.forms.fonts import FontSet, get_fontset
from window_desk.forms.kinds import KINDS, date_cn, validate

tounicode.install()

QR_SIZE_PORTRAIT = 18 * mm
QR_SIZE_LANDSCAPE = 15 * mm


class Geometry:
    """Where the type area, header and footer sit on one kind of page."""

    def __init__(self, is_landscape: bool) -> None:
        if is_landscape:
            self.page = landscape(A4)
            self.left, self.right, self.top, self.bottom = 15 * mm, 15 * mm, 32 * mm, 22 * mm
            self.qr = QR_SIZE_LANDSCAPE
        else:
            self.page = A4
            # GB/T 9704: top 37 mm, left (binding) 28 mm, type area 156 × 225 mm.
            self.left, self.top = 28 * mm, 37 * mm
            self.right = self.page[0] - self.left - 156 * mm
            self.bottom = self.page[1] - self.top - 225 * mm
            self.qr = QR_SIZE_PORTRAIT
        self.width = self.page[0] - self.left - self.right
        self.height = self.page[1] - self.top - self.bottom


class PageDecor:
    """The fixed parts of every page (``PageTemplate(onPage=...)``)."""

    def __init__(self, kind: str, data: dict[str, Any], fonts: FontSet, geometry: Geometry, reprint: bool) -> None:
        from window_desk.forms import qr_payload

        self.fonts = fonts
        self.g = geometry
        self.reprint = reprint
        self.office = kinds.text(data["office"])
        self.number = kinds.text(data["number"])
        self.date = date_cn(kinds.text(data["date"]))
        self.clerk = kinds.text(data["clerk"])
        self.case_number = kinds.text(data.get("case_number"))
        self.qr = qr_modules(qr_payload(kind, data))

    def __call__(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        g, fonts = self.g, self.fonts
        page_w, page_h = g.page
        left, right = g.left, page_w - g.right
        top = page_h - g.top
        canv.saveState()
        # Header: QR top right, office left and number right on a rule just above the type area.
        qr_y = top + 9 * mm
        draw_qr(canv, self.qr, right - g.qr, qr_y, g.qr)
        base = top + 5.5 * mm
        draw_text(canv, fonts, left, base, self.office, size=10.5)
        draw_text(canv, fonts, right, base, self.number, size=10.5, align="right")
        if self.case_number:
            draw_text(canv, fonts, right - g.qr - 2 * mm, qr_y + 1 * mm, f"个案编号 {self.case_number}", size=9,
                      align="right")
        canv.setLineWidth(0.6)
        canv.line(left, top + 3.5 * mm, right, top + 3.5 * mm)
        # Footer: clerk, page number (— 1 —, GB/T 9704), date.
        bottom = g.bottom
        canv.line(left, bottom - 3.5 * mm, right, bottom - 3.5 * mm)
        fbase = bottom - 9 * mm
        draw_text(canv, fonts, left, fbase, f"经办人：{self.clerk}", size=10.5)
        draw_text(canv, fonts, (left + right) / 2, fbase, f"— {doc.page} —", size=14, align="center")
        draw_text(canv, fonts, right, fbase, f"日期：{self.date}", size=10.5, align="right")
        if self.reprint:
            self._reprint_mark(canv, left, top + 12 * mm)
        canv.restoreState()

    def _reprint_mark(self, canv: Canvas, x: float, y: float) -> None:
        """A red boxed 补打 in the top left corner, as a stamp-like mark."""
        red = colors.Color(0.78, 0.08, 0.08)
        w, h = 24 * mm, 10 * mm
        canv.setStrokeColor(red)
        canv.setFillColor(red)
        canv.setLineWidth(1.5)
        canv.roundRect(x, y, w, h, 1.5 * mm, stroke=1, fill=0)
        draw_text(canv, self.fonts, x + w / 2, y + h / 2 - 0.36 * 18, "补　打", size=18, role="title", align="center")
        canv.setFillColor(colors.black)
        canv.setStrokeColor(colors.black)


def iter_leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar of a data object with its path (``members[1].id_number``)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from iter_leaves(sub, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from iter_leaves(sub, f"{path}[{i}]")
    else:
        yield path, value


def check_glyphs(data: dict[str, Any], fonts: FontSet) -> None:
    """Raise ``RenderError`` for the first character of any field that no font can print."""
    for path, value in iter_leaves(data):
        if isinstance(value, str):
            fonts.check(value, path)


_RENDER_LOCK = threading.Lock()  # reportlab's per-document font state is not thread-safe


def render_pdf(kind: str, data: dict[str, Any], *, reprint: bool = False, fonts: Any = None) -> bytes:
    """Validate ``data``, lay out the document of ``kind`` and return the PDF bytes."""
    from window_desk.forms import layouts

    spec = validate(kind, data)
    fontset = get_fontset(fonts)
    check_glyphs(data, fontset)
    geometry = Geometry(spec.landscape)
    with _RENDER_LOCK:
        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf, pagesize=geometry.page, leftMargin=geometry.left, rightMargin=geometry.right,
            topMargin=geometry.top, bottomMargin=geometry.bottom, invariant=1,
            title=f"{spec.title} {kinds.text(data['number'])}", author=kinds.text(data["office"]),
            subject=spec.title, creator="window-desk", producer="window-desk (reportlab)",
            lang="zh-CN",
            # The canvas's initial font would otherwise be Helvetica, listed (not embedded) on every page.
            initialFontName=fontset.chains["body"][0].reg_name,
        )
        frame = Frame(geometry.left, geometry.bottom, geometry.width, geometry.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        decor = PageDecor(kind, data, fontset, geometry, reprint)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decor, pagesize=geometry.page)])
        story = layouts.build(kind, data, fontset, geometry.width)
        # Streams as binary Flate only: ASCII85 on top (reportlab's default) makes them a quarter
        # bigger and costs ~3 ms a document. Restored afterwards for other reportlab users.
        saved_a85 = rl_config.useA85
        rl_config.useA85 = 0
        try:
            doc.build(story)
        finally:
            rl_config.useA85 = saved_a85
        return buf.getvalue()


__all__ = ["KINDS", "Geometry", "check_glyphs", "draw_qr", "iter_leaves", "qr_modules", "render_pdf"]
