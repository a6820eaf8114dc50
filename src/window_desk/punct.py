"""Full-width punctuation for Chinese text (，：；！？（）), as the desk prints and shows it.

``to_fullwidth`` turns the half-width , : ; ! ? ( ) that touch a Chinese character into their
full-width forms (a pair of brackets when either side of it touches one), and drops the space a
half-width colon or comma left behind. Latin text, numbers and times (09:15, 2,500.00, (A)) stay as they
are. Used on assessment reasons and other free text before it reaches a paper, and by the test that
scans the desk's own strings.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_MARKS = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# A half-width mark that touches a Chinese character on either side (spaces after it go with it).
_MARK = re.compile(f"(?<=[{CJK}])[,:;!?] *|[,:;!?](?=[{CJK}])")
HALF_WIDTH_NEAR_CJK = re.compile(f"[{CJK}] *[,:;!?()]|[,:;!?()] *[{CJK}]")


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def _brackets(text: str) -> str:
    chars = list(text)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    drop: set[int] = set()

    def neighbour(i: int, step: int) -> tuple[str, int]:
        j = i + step
        while 0 <= j < len(chars) and chars[j] == " ":
            j += step
        return (chars[j] if 0 <= j < len(chars) else ""), j

    for start, end in pairs:
        before, b = neighbour(start, -1)
        after, _a = neighbour(end, 1)
        inside_first = chars[start + 1] if start + 1 < end else ""
        inside_last = chars[end - 1] if end - 1 > start else ""
        if is_cjk(before) or is_cjk(after) or is_cjk(inside_first) or is_cjk(inside_last):
            chars[start], chars[end] = "（", "）"
            if is_cjk(before):
                drop.update(range(b + 1, start))  # "评估 (F9)" -> "评估（F9）"
    # Unpaired brackets (a text cut in pieces) turn when they touch a Chinese character.
    paired = {i for p in pairs for i in p}
    for i, ch in enumerate(chars):
        if ch in "()" and i not in paired:
            before = chars[i - 1] if i else ""
            after = chars[i + 1] if i + 1 < len(chars) else ""
            if is_cjk(before) or is_cjk(after):
                chars[i] = "（" if ch == "(" else "）"
    return "".join(c for i, c in enumerate(chars) if i not in drop)


def to_fullwidth(text: str) -> str:
    """The text with half-width punctuation next to Chinese characters made full-width."""
    if not text or not _CJK_CHAR.search(text):
        return text
    text = _brackets(text)
    return _MARK.sub(lambda m: _MARKS[m.group(0)[0]], text)


def half_width_marks(text: str) -> list[str]:
    """The places (with a character of context) where half-width punctuation touches Chinese."""
    return [text[max(0, m.start() - 1):m.end() + 1] for m in HALF_WIDTH_NEAR_CJK.finditer(text)]
