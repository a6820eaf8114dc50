"""Column widths sized to their content, so that no word of a column is broken across lines.

``fit_columns`` sizes a list table (the register's rows, a household's members, the handoffs):
every column at least as wide as its widest word (``linebreak.atoms``: a date, a name, an ID number,
慢性病, （糖尿病）) and the spare room shared out by what each column's longest value still lacks.
``widen`` does the same for a table whose widths are drawn by hand (a signature column keeps the
rest).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from window_desk.forms.layouts.base import Doc
from window_desk.forms.linebreak import atoms
from window_desk.forms.text import Style, measure

_WORD = re.compile(r"[^、，；,;\s]+[、，；,;]?")  # one item of a list: 民政局、 / 医保局


def _needs(doc: Doc, headers: Sequence[str], values: Sequence[Sequence[str]], whole: Sequence[bool],
           style: Style) -> tuple[list[float], list[float], list[float]]:
    """Per column: its longest value, its widest "whole" item, and its widest word (each at least
    half its heading), unpadded."""
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
    return natural, word_min, atom_min


def fit_columns(doc: Doc, headers: Sequence[str], values: Sequence[Sequence[str]], whole: Sequence[bool],
                style: Style, padding: float) -> list[float]:
    """Column widths sized to their content, summing to the frame width.

    Each column gets at least what keeps its words whole — in a "whole" column a word is a
    value's run between 、，； or spaces (a name, a date, an ID or phone number, one department
    of a list), elsewhere its widest word (``linebreak.atoms``: 慢性病, （糖尿病）, a date, an ID number) —
    and its heading on at most two lines; what is left goes to the columns in proportion to what
    their longest value still lacks, then to the columns of free text. When even the minimums
    do not fit, the "whole" columns fall back to their widest words (those that give most first), and
    only then is all scaled.
    """
    ncols = len(headers)
    natural, word_min, atom_min = _needs(doc, headers, values, whole, style)
    pad = 2 * padding + 0.5
    natural = [n + pad for n in natural]
    minimum = [max(word_min[c], atom_min[c]) + pad if whole[c] else atom_min[c] + pad for c in range(ncols)]
    room = doc.width
    if sum(minimum) >= room:
        # Relax the "whole" columns one at a time to their widest word, those that give most first
        # (a list of departments before a name), until the table fits.
        for c in sorted((c for c in range(ncols) if whole[c]), key=lambda c: atom_min[c] + pad - minimum[c]):
            if sum(minimum) < room:
                break
            minimum[c] = atom_min[c] + pad
        # Then free text gives up its widest words, down to one character: it may break between any two
        # characters, while a time, an ID or phone number or a date broken in two is misread.
        for c in sorted((c for c in range(ncols) if not whole[c]), key=lambda c: -minimum[c]):
            if sum(minimum) < room:
                break
            minimum[c] = max(style.size + pad, minimum[c] - (sum(minimum) - room) - 1)
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


def widen(doc: Doc, widths: Sequence[float], values: Sequence[Sequence[str]], style: Style, padding: float,
          give: int, whole: Sequence[int] = ()) -> list[float]:
    """``widths`` with every column at least its widest word wide — a column in ``whole`` its whole
    value (a date with its time) — the room taken from column ``give`` (a signature or free-text
    column), never below that column's own widest word."""
    out = list(widths)
    need = [0.0] * len(out)
    for row in values:
        for c, value in enumerate(row):
            if value:
                parts = [value] if c in whole else atoms(value)
                need[c] = max(need[c], max(measure(doc.fonts, a, style.size) for a in parts) + 2 * padding + 0.5)
    for c in range(len(out)):
        if c != give and out[c] < need[c]:
            extra = min(need[c] - out[c], out[give] - max(need[give], 2 * style.size))
            if extra > 0:
                out[c] += extra
                out[give] -= extra
    return out
