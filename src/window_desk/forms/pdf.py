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
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from window_desk.forms import kinds, tounicode
from window_desk.forms.draw import (QR_MASK, QR_SIZE_LANDSCAPE, QR_SIZE_PORTRAIT, Geometry,  # noqa: F401 - for callers
                                    PageDecor, draw_qr, draw_text, qr_modules)
from window_desk.forms.fonts import FontSet, get_fontset
from window_desk.forms.kinds import KINDS, validate

tounicode.install()


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


__all__ = ["KINDS", "Geometry", "PageDecor", "check_glyphs", "draw_qr", "iter_leaves", "qr_modules", "render_pdf"]
