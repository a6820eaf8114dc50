"""Chinese line breaking (禁则, after GB/T 15834 and W3C clreq).

A line may break between any two Han characters, but

* no line starts with a closing or pausing mark (``CANNOT_START``: ，。、：；！？）》」” …),
* no line ends with an opening mark (``CANNOT_END``: （《「“ …),
* a run of Latin letters and digits (an ID number, a phone number, an amount) is
  not broken unless it is wider than the whole line, and ``——`` and ``……`` stay whole.

When the next unit would start a line with a forbidden mark, the break moves back
(the last character of the line is pushed down with it, 推出); only when a line
would then be left with nothing, the mark hangs past the margin instead (悬挂).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Marks that may not begin a line: the ones forms.md names, their half-width
# forms, and the other closing brackets, pauses and quote marks.
CANNOT_START = frozenset(
    "，。、：；！？）》」”"
    "』’〕】〗〉｝］"
    ",.:;!?)]}%"
    "·…～ー々〃"
    "％‰℃"
)
# Marks that may not end a line.
CANNOT_END = frozenset("（《「“" "『‘〔【〖〈｛［" "([{" "¥￥$＄#＃")

_ATOM = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9.,:/@_+\-*#&'%]*"  # a Latin word, a number, an ID or phone number
    r"|—+|…+"  # dashes and ellipses are never split
    r"|\s+"  # a run of spaces is one break opportunity
    r"|.",
    re.S,
)


def atoms(text: str) -> list[str]:
    """``text`` cut into the units a line may break between."""
    return _ATOM.findall(text)


def _starts_bad(atom: str) -> bool:
    return atom[0] in CANNOT_START


def _ends_bad(atom: str) -> bool:
    return atom[-1] in CANNOT_END


def break_atoms(units: Sequence[str], widths: Sequence[float], width: float,
                first_width: float | None = None) -> list[tuple[int, int]]:
    """Greedy line breaking with 禁则: ``[(start, end), …]`` ranges of ``units`` per line.

    ``widths[i]`` is the width of ``units[i]``; ``first_width`` (default ``width``) is the
    room on the first line (less when it is indented). Spaces at a line's start are
    skipped; spaces at its end are included (the caller does not draw them).
    """
    n = len(units)
    lines: list[tuple[int, int]] = []
    i = 0
    eps = 1e-6
    while i < n:
        if lines:
            while i < n and units[i].isspace():
                i += 1
            if i >= n:
                break
        avail = first_width if (first_width is not None and not lines) else width
        used = 0.0
        j = i
        while j < n and (used + widths[j] <= avail + eps or units[j].isspace()):
            used += widths[j]
            j += 1
        if j >= n:
            lines.append((i, n))
            break
        if j == i:  # a single unit wider than the line: it gets a line of its own
            j = i + 1
        k = j
        while k > i + 1 and (_starts_bad(units[k]) or _ends_bad(units[k - 1])):
            k -= 1
        if k == i + 1 and k < n and (_starts_bad(units[k]) or _ends_bad(units[k - 1])):
            # Nothing left to push down: let the closing marks hang past the margin.
            k = j
            while k < n and _starts_bad(units[k]):
                k += 1
        lines.append((i, k))
        i = k
    return lines


def split_long(units: list[str], widths: list[float], width: float,
               measure: Callable[[str], float]) -> tuple[list[str], list[float]]:
    """Cut any unit wider than a whole line into characters (a very long number or URL)."""
    if all(w <= width for w in widths):
        return units, widths
    out_u: list[str] = []
    out_w: list[float] = []
    for unit, w in zip(units, widths, strict=True):
        if w <= width or len(unit) == 1:
            out_u.append(unit)
            out_w.append(w)
        else:
            for ch in unit:
                out_u.append(ch)
                out_w.append(measure(ch))
    return out_u, out_w


def break_text(text: str, width: float, measure: Callable[[str], float],
               first_width: float | None = None) -> list[str]:
    """``text`` as lines no wider than ``width`` (by ``measure``), 禁则 applied; ``\\n`` forces a break.

    Trailing spaces are stripped from each line. This is the function the tests
    check; the PDF layout uses ``atoms`` + ``break_atoms`` directly with cached widths.
    """
    lines: list[str] = []
    for k, para in enumerate(text.split("\n")):
        units = atoms(para)
        widths = [measure(u) for u in units]
        units, widths = split_long(units, widths, width, measure)
        fw = first_width if k == 0 else None
        ranges = break_atoms(units, widths, width, fw)
        if not ranges:
            lines.append("")
        for a, b in ranges:
            lines.append("".join(units[a:b]).rstrip())
    return lines
