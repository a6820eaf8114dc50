"""Drawing primitives every layout uses: one line of text through the font chain, QR symbols, the
cut line and QR flowables, and the page furniture (``Geometry``, ``PageDecor``: header, footer, QR,
补打 mark).

The layouts (``layouts/``) and the renderer (``pdf.py``) import these; this module imports neither, so
the forms have no import circle.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from window_desk.forms import kinds
from window_desk.forms.fonts import FontSet
from window_desk.forms.kinds import date_cn
from window_desk.forms.text import measure

QR_SIZE_PORTRAIT = 18 * mm
QR_SIZE_LANDSCAPE = 15 * mm

# A QR symbol has 8 mask patterns; reportlab tries all 8 to pick the one with the fewest
# "penalty points" (7/8 of its cost). Any mask is valid and decodes the same, so a fixed
# one keeps a document under a few ms; the checks in tests/forms decode it with zbarimg.
QR_MASK = 2

def qr_modules(payload: str) -> list[list[bool]]:
    """The modules of a QR symbol (level M, UTF-8 byte mode) for ``payload``."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(qrencoder.QR8bitByte(payload.encode("utf-8")))
    code.version = code.calculate_version()
    code.makeImpl(False, QR_MASK)
    return code.modules


def qr_png(payload: str, module_px: int = 8) -> bytes:
    """The QR symbol of ``payload`` as a black-and-white PNG (4-module quiet zone), for Word documents:
    written directly (zlib and the PNG chunks), so no image library is needed."""
    modules = qr_modules(payload)
    count = len(modules) + 8
    size = count * module_px
    rows = []
    for r in range(count):
        mr = r - 4
        bits = [0 < mr + 1 <= len(modules) and 0 <= c - 4 < len(modules) and modules[mr][c - 4]
                for c in range(count)]
        line = bytearray()
        acc, nbits = 0, 0
        for dark in bits:
            for _ in range(module_px):  # 1 bit a pixel, 0 = black
                acc = (acc << 1) | (0 if dark else 1)
                nbits += 1
                if nbits == 8:
                    line.append(acc)
                    acc, nbits = 0, 0
        if nbits:
            line.append((acc << (8 - nbits)) | ((1 << (8 - nbits)) - 1))
        rows.extend([b"\x00" + bytes(line)] * module_px)  # filter type 0 per scanline

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def draw_qr(canv: Canvas, modules: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw a QR symbol with its 4-module quiet zone inside the square (x, y, size).

    The dark modules of each row are merged into runs and written as one path in
    module units (integers) under a scaling transform: a few hundred ``re``
    operators formatted directly, instead of a reportlab rect call (and four float
    formats) per run.
    """
    count = len(modules)
    box = size / (count + 8)
    ops = []
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start} {count - 1 - r} {c - start} 1 re")
            else:
                c += 1
    canv.saveState()
    canv.setFillColor(colors.black)
    canv.transform(box, 0, 0, box, x + 4 * box, y + 4 * box)
    canv.addLiteral("\n".join(ops) + "\nf")
    canv.restoreState()


def draw_text(canv: Canvas, fonts: FontSet, x: float, y: float, text: str, *, size: float,
              role: str = "body", align: str = "left") -> float:
    """One line of text at baseline ``y`` through the font chain; returns its width."""
    runs = fonts.runs(text, role)
    width = sum(sum(face.widths.get(ord(ch), face.default_width) for ch in part) for face, part in runs) * size / 1000
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    obj = canv.beginText(x, y)
    for face, part in runs:
        obj.setFont(face.reg_name, size)
        obj.textOut(part)
    canv.drawText(obj)
    return width


class QrMark(Flowable):
    """The document's QR code as a flowable: the 回执 is cut off and returned on its own, so it carries
    its own symbol (the same payload as the page's: number, case number, content hash)."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.modules = qr_modules(payload)
        self.size = size
        self.payload = payload

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
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
