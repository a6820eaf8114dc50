"""Drawing primitives every layout uses: one line of text through the font chain, QR symbols.

Layouts (layouts.py) and the page furniture (pdf.py) import these; this module imports neither, so the
forms have no import circle.
"""

from __future__ import annotations

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from window_desk.forms.fonts import FontSet

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
