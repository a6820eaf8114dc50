"""Chinese line breaking (禁则, after GB/T 15834 and W3C clreq).

A line may break between any two Han characters, but

* no line starts with a closing or pausing mark (``CANNOT_START``: ，。、：；！？）》」” …),
* no line ends with an opening mark (``CANNOT_END``: （《「“ …),
* a run of Latin letters and digits (an ID number, a phone number, an amount) is
  not broken unless it is wider than the whole line, and ``——`` and ``……`` stay whole,
* words stay whole (``words.segment``): a date (2026年4月20日), a short parenthesised term
  (（糖尿病）), a known word (慢性病, 最低生活保障) or address part (示范县, 杨庄村), and a number
  with the measure word after it (18号, 3组, 2500.00元) or 第 before it (第3组).

A unit wider than the whole line (a long word in a narrow column) is cut into characters
as the last resort; the table layouts size their columns so that it does not happen.

When the next unit would start a line with a forbidden mark, the break moves back
(the last character of the line is pushed down with it, 推出); only when a line
would then be left with nothing, the mark hangs past the margin instead (悬挂).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from window_desk.forms.words import segment

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

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_ATOM = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日"  # a date, or a year and month
    r"|（[^（）\s]{1,6}）"  # a short parenthesised term: （糖尿病） （盖章）
    r"|[A-Za-z0-9][A-Za-z0-9.,:/@_+\-*#&'%]*"  # a Latin word, a number, an ID or phone number
    rf"|[{_HAN}]+"  # a run of Han characters: cut into words below
    r"|—+|…+"  # dashes and ellipses are never split
    r"|\s+"  # a run of spaces is one break opportunity
    r"|.",
    re.S,
)
_HAN_RUN = re.compile(rf"[{_HAN}]+")
# Measure words that go with the number before them (18号, 3组, 60日, 2500.00元, 3人).
UNITS = frozenset("元角分号栋幢楼层室组户套辆件次页个项人日天月年岁周时秒米亩斤台张份本间座")
UNIT_WORDS = ("单元", "平方米", "公里", "公斤", "周岁", "小时", "个月", "号楼", "号院")


@lru_cache(maxsize=8192)
def _atoms(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for unit in _ATOM.findall(text):
        if len(unit) > 1 and _HAN_RUN.fullmatch(unit):
            out.extend(segment(unit))
        else:
            out.append(unit)
    return tuple(out)


def atoms(text: str) -> list[str]:
    """``text`` cut into the units a line may break between (words, numbers, marks, spaces)."""
    return list(_atoms(text))


def glued(before: str, after: str) -> bool:
    """May the line not break between these two units? A number and its measure word (18号), 第 and
    its number (第3组)."""
    if not before or not after:
        return False
    if before[-1].isdigit():
        return after[0] in UNITS or after.startswith(UNIT_WORDS)
    return before[-1] == "第" and after[0].isdigit()


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
        while k > i + 1 and (_starts_bad(units[k]) or _ends_bad(units[k - 1]) or glued(units[k - 1], units[k])):
            k -= 1
        if k == i + 1 and k < n and (_starts_bad(units[k]) or _ends_bad(units[k - 1])
                                     or glued(units[k - 1], units[k])):
            # Nothing left to push down: let the closing marks hang past the margin (a glued number
            # and measure word wider than the line break between them).
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
