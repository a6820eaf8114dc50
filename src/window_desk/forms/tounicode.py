"""Make reportlab's ToUnicode CMaps right for characters outside the BMP.

A PDF's ToUnicode CMap maps each character code of a font subset to the text it
stands for, written as UTF-16BE hex (PDF 32000-1 §9.10.3). reportlab
(``reportlab.pdfbase.ttfonts.makeToUnicodeCMap``, up to at least 5.1) writes
``"<%04X>" % codepoint``: right for the BMP, but for 𠈌 (U+2020C) it writes
``<2020C>``, which is not UTF-16, so copy, search and ``pdftotext`` give back
garbage for the rare characters of people's names. The right entry is the
surrogate pair, ``<D840DE0C>``.

``install()`` replaces that one module-level function with ``make_to_unicode_cmap``
below, which writes the same CMap but with UTF-16BE values. ``TTFont.addObjects``
looks the function up in its module at call time, so the replacement takes effect
for every TrueType font. It is idempotent and leaves every other part of
reportlab alone; ``uninstall()`` puts the original back.
"""

from __future__ import annotations

from collections.abc import Sequence

_original = None


def utf16_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a CMap wants: 4 digits, or 8 for a surrogate pair."""
    if code < 0x10000:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with UTF-16BE destinations (surrogate pairs past U+FFFF)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # A bfchar block holds at most 100 entries (PDF reference, CMap resources).
    entries = [f"<{i:02X}> <{utf16_hex(v)}>" for i, v in enumerate(subset)]
    for start in range(0, len(entries), 100):
        block = entries[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(block)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def install() -> None:
    """Use ``make_to_unicode_cmap`` for every TrueType font reportlab embeds (idempotent)."""
    global _original
    from reportlab.pdfbase import ttfonts

    if ttfonts.makeToUnicodeCMap is make_to_unicode_cmap:
        return
    _original = ttfonts.makeToUnicodeCMap
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def uninstall() -> None:
    """Put reportlab's own function back (for tests that show the bug)."""
    global _original
    from reportlab.pdfbase import ttfonts

    if _original is not None:
        ttfonts.makeToUnicodeCMap = _original
        _original = None
