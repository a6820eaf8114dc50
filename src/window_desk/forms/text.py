"""Text on the page: a reportlab flowable that sets Chinese text with a font chain.

``TextBlock`` lays out one or more paragraphs of mixed-role text (body and title
faces): every character is printed by the first face of its role's chain that has
it (``FontSet``), lines are broken with 禁则 (``linebreak``), and justified lines
spread the slack evenly between characters. It splits across pages line by line,
and sits in table cells like any flowable. It replaces reportlab's ``Paragraph``,
whose CJK wrapping neither knows our font chain nor all the 禁则 rules, and which
is several times slower for these short texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.platypus import Flowable

from window_desk.forms.fonts import FontSet, RenderError, missing_glyph_message
from window_desk.forms.linebreak import atoms, break_atoms

Span = tuple[str, str]  # (text, role)


@dataclass(frozen=True)
class Style:
    role: str = "body"
    size: float = 16.0
    leading: float = 24.0
    align: str = "justify"  # left | center | right | justify
    indent: float = 0.0  # first-line indent, points
    rindent: float = 0.0  # room kept free at the right of every line, points
    space_before: float = 0.0
    space_after: float = 0.0
    color: object = colors.black
    max_spacing: float = 0.5  # justify only while the extra space per character stays below this × size
    hanging: bool = False  # a list item's wrapped lines align with its text, not its number (1．, （2）, •)

    def with_(self, **kw: object) -> Style:
        return replace(self, **kw)  # type: ignore[arg-type]


# One laid-out line: its units as (text, role, width), and whether it ends its paragraph.
_Line = tuple[list[tuple[str, str, float]], bool]
# The number or bullet of a list item: 1． 2. 3、 （4） (5) 一、 • ● ■ - …
_MARKER = re.compile(r"\s*(?:\d{1,3}[．.、)）]|[（(]\d{1,3}[）)]|[一二三四五六七八九十]{1,3}、|[•·●○■□◆▪\-–])\s*")


class TextBlock(Flowable):
    """Paragraphs of Chinese text; ``\\n`` in a span starts a new paragraph (indent again)."""

    def __init__(self, text: str | Sequence[Span], style: Style, fonts: FontSet, *,
                 _lines: list[_Line] | None = None, _width: float | None = None,
                 _starts_para: bool = True, _offsets: list[float] | None = None) -> None:
        super().__init__()
        self._starts_para = _starts_para
        self._offsets = _offsets  # per laid-out line: where it starts (first-line indent, or the hang)
        self.spans: list[Span] = [(text, style.role)] if isinstance(text, str) else list(text)
        self.style = style
        self.fonts = fonts
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self._lines = _lines
        self._laid_width = _width
        self.width = 0.0
        self.height = 0.0

    # -- measuring -------------------------------------------------------------------------
    def _advance(self, text: str, role: str) -> float:
        fonts = self.fonts
        total = 0
        for ch in text:
            face = fonts.face_for(ch, role)
            if face is None:
                if ch.isspace():
                    face = fonts.chains[role][0]
                else:
                    raise RenderError(missing_glyph_message(ch, None))
            total += face.widths.get(ord(ch), face.default_width)
        return total * self.style.size / 1000.0

    def _layout(self, width: float) -> list[_Line]:
        style = self.style
        width = max(width - style.rindent, style.size)
        paragraphs: list[list[tuple[str, str, float]]] = [[]]
        for text, role in self.spans:
            for k, part in enumerate(text.split("\n")):
                if k:
                    paragraphs.append([])
                paragraphs[-1].extend((u, role, self._advance(u, role)) for u in atoms(part))
        lines: list[_Line] = []
        offsets: list[float] = []
        for k, units in enumerate(paragraphs):
            units = self._split_wide(units, width)
            indent = style.indent if (k or self._starts_para) else 0.0
            hang = self._hang(units, indent, width) if style.hanging else 0.0
            ranges = break_atoms([u[0] for u in units], [u[2] for u in units], max(width - hang, style.size),
                                 max(width - indent, style.size))
            if not ranges:
                lines.append(([], True))
                offsets.append(0.0)
            for n, (a, b) in enumerate(ranges):
                lines.append((units[a:b], n == len(ranges) - 1))
                offsets.append(indent if n == 0 else hang)
        self._offsets = offsets
        return lines

    def _hang(self, units: list[tuple[str, str, float]], indent: float, width: float) -> float:
        """Where a list item's wrapped lines start: the first line's indent plus its number's width."""
        if not units:
            return 0.0
        head = "".join(u[0] for u in units[:8])
        m = _MARKER.match(head)
        if not m:
            return 0.0
        hang = indent + self._advance(m.group(), units[0][1])
        return hang if hang < width / 2 else 0.0

    def _split_wide(self, units: list[tuple[str, str, float]], width: float) -> list[tuple[str, str, float]]:
        if all(u[2] <= width for u in units):
            return units
        out = []
        for text, role, w in units:
            if w <= width or len(text) == 1:
                out.append((text, role, w))
            else:
                out.extend((ch, role, self._advance(ch, role)) for ch in text)
        return out

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._lines is None or (self._laid_width is not None and abs(self._laid_width - availWidth) > 0.01):
            self._lines = self._layout(availWidth)
            self._laid_width = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        # One point of slack: a table row split exactly to the page height can be refused by the frame.
        fit = int((availHeight - 1.0) // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            return [self]
        offsets = self._line_offsets()
        first = TextBlock(_spans_of(self._lines[:fit]), self.style.with_(space_after=0), self.fonts,
                          _lines=self._lines[:fit], _width=availWidth, _starts_para=self._starts_para,
                          _offsets=offsets[:fit])
        rest = TextBlock(_spans_of(self._lines[fit:]), self.style.with_(space_before=0), self.fonts,
                         _lines=self._lines[fit:], _width=availWidth, _starts_para=self._lines[fit - 1][1],
                         _offsets=offsets[fit:])
        return [first, rest]

    def pieces(self, width: float, lines: int) -> list[TextBlock]:
        """This text laid out at ``width`` and cut every ``lines`` lines (for long table cells)."""
        self.wrap(width, 1e9)
        assert self._lines is not None
        if len(self._lines) <= lines:
            return [self]
        out = []
        offsets = self._line_offsets()
        for start in range(0, len(self._lines), lines):
            part = self._lines[start:start + lines]
            starts = self._starts_para if start == 0 else self._lines[start - 1][1]
            out.append(TextBlock(_spans_of(part), self.style.with_(space_before=0, space_after=0), self.fonts,
                                 _lines=part, _width=width, _starts_para=starts,
                                 _offsets=offsets[start:start + lines]))
        return out

    # -- drawing ---------------------------------------------------------------------------
    def draw(self) -> None:
        assert self._lines is not None
        canv = self.canv
        style = self.style
        size, leading = style.size, style.leading
        fonts = self.fonts
        canv.setFillColor(style.color)
        offsets = self._line_offsets()
        for i, (units, last) in enumerate(self._lines):
            while units and units[-1][0].isspace():
                units = units[:-1]
            indent = offsets[i]
            if not units:
                continue
            used = sum(u[2] for u in units)
            room = self.width - indent - style.rindent
            nchars = sum(len(u[0]) for u in units)
            spacing = 0.0
            x = indent
            if style.align == "center":
                x = indent + (room - used) / 2
            elif style.align == "right":
                x = indent + room - used
            elif style.align == "justify" and not last and nchars > 1:
                spacing = (room - used) / (nchars - 1)
                if spacing < 0 or spacing > style.max_spacing * size:
                    spacing = 0.0
            baseline = self.height - i * leading - leading / 2 - 0.36 * size
            text_obj = canv.beginText(x, baseline)
            if spacing:
                text_obj.setCharSpace(spacing)
            current = None
            buf: list[str] = []
            for text, role, _w in units:
                for ch in text:
                    face = fonts.face_for(ch, role) or (fonts.chains[role][0] if ch.isspace() else None)
                    if face is None:
                        raise RenderError(missing_glyph_message(ch, None))
                    if face is not current:
                        if buf:
                            text_obj.textOut("".join(buf))
                            buf = []
                        text_obj.setFont(face.reg_name, size)
                        current = face
                    buf.append(ch)
            if buf:
                text_obj.textOut("".join(buf))
            canv.drawText(text_obj)

    def _line_offsets(self) -> list[float]:
        """Where each laid-out line starts: the first-line indent, a list item's hang, or 0."""
        assert self._lines is not None
        if self._offsets is not None and len(self._offsets) == len(self._lines):
            return self._offsets
        return [self.style.indent if self._is_para_start(i) else 0.0 for i in range(len(self._lines))]

    def _is_para_start(self, index: int) -> bool:
        """Is line ``index`` the first line of a paragraph (not a continuation from a split)?"""
        if index == 0:
            return self._starts_para
        return self._lines is not None and self._lines[index - 1][1]

    def plain_text(self) -> str:
        return "".join(t for t, _ in self.spans)



def _spans_of(lines: list[_Line]) -> list[Span]:
    """The text of some laid-out lines as spans again (a paragraph end becomes ``\\n``)."""
    spans: list[Span] = []
    for n, (units, last) in enumerate(lines):
        for text, role, _w in units:
            if spans and spans[-1][1] == role:
                spans[-1] = (spans[-1][0] + text, role)
            else:
                spans.append((text, role))
        if last and n < len(lines) - 1:
            role = spans[-1][1] if spans else "body"
            spans.append(("\n", role))
    return spans


def measure(fonts: FontSet, text: str, size: float, role: str = "body") -> float:
    """The advance width of one line of ``text`` through the font chain, in points."""
    total = 0
    for ch in text:
        face = fonts.face_for(ch, role) or fonts.chains[role][0]
        total += face.widths.get(ord(ch), face.default_width)
    return total * size / 1000.0
