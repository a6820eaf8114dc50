"""Printed documents (文书), as spec/forms.md describes them.

``render(kind, data, "pdf" | "docx")`` turns one data object (the JSON shapes of
forms.md, see ``kinds.py``) into the bytes of a document. The PDF side is
``forms.pdf`` (reportlab, fonts embedded as subsets); the Word side is
``forms.docx_render`` (templates in ``resources/templates/``). Both validate the
data first: a missing or malformed field is a ``RenderError`` naming it.

Importing this package is cheap: reportlab is loaded on the first PDF render.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from window_desk.forms.fonts import RenderError
from window_desk.forms.kinds import KINDS, FormKind, require_kind
from window_desk.forms.kinds import normalise
from window_desk.forms.kinds import validate as _validate

__all__ = ["KINDS", "FormKind", "RenderError", "content_hash", "format_number", "office_short_name", "require_kind",
           "qr_payload", "render", "render_pdf", "validate", "normalise", "FORMATS"]

FORMATS = ("pdf", "docx")


def office_short_name(office: str) -> str:
    """The office as it stands in a document number: ``示范镇人民政府`` → ``示范镇``."""
    office = office.strip()
    for suffix in ("人民政府", "政府"):
        if office.endswith(suffix) and len(office) > len(suffix):
            return office[: -len(suffix)]
    return office


def format_number(office: str, word: str, year: int, seq: int) -> str:
    """The document number: ``format_number("示范镇", "救受", 2026, 1)`` → ``示范镇救受〔2026〕0001号``.

    The office's trailing 人民政府 is dropped (the number carries the short name);
    the sequence has at least four digits; the year stands in 六角括号 〔〕 (GB/T 9704).
    """
    if seq < 1:
        raise ValueError("document sequence numbers start at 1")
    return f"{office_short_name(office)}{word}〔{year}〕{seq:04d}号"


def validate(kind: str, data: Any) -> FormKind:
    """Raise ``RenderError`` (naming the field, e.g. ``members[1].id_number``) if ``data`` does not fit ``kind``."""
    return _validate(kind, data)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"not JSON: {type(obj).__name__}")


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, real characters, UTF-8: the bytes ``content_hash`` hashes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_json_default).encode("utf-8")


def content_hash(kind: str, data: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of the document's data (``kind`` is checked, not hashed)."""
    require_kind(kind)
    return hashlib.sha256(canonical_json(normalise(kind, data))).hexdigest()  # the data as printed


def qr_payload(kind: str, data: dict[str, Any]) -> str:
    """What the QR code says: ``number|case_number|first 12 hex digits of content_hash``."""
    case = str(data.get("case_number") or "")
    return f"{data['number']}|{case}|{content_hash(kind, data)[:12]}"


def render_pdf(kind: str, data: dict[str, Any], *, reprint: bool = False, fonts: Any = None) -> bytes:
    """The document as PDF bytes (same data → same bytes). ``fonts``: a ``FontSet``, a font folder, or None."""
    from window_desk.forms.pdf import render_pdf as _render_pdf

    return _render_pdf(kind, normalise(kind, data), reprint=reprint, fonts=fonts)


def render(kind: str, data: dict[str, Any], fmt: str = "pdf", *, reprint: bool = False, fonts: Any = None) -> bytes:
    """The document as ``fmt`` ("pdf" or "docx") bytes; validates first."""
    validate(kind, data)
    data = normalise(kind, data)
    if fmt == "pdf":
        return render_pdf(kind, data, reprint=reprint, fonts=fonts)
    if fmt == "docx":
        from window_desk.forms.docx_render import render_docx

        return render_docx(kind, data, reprint=reprint)
    raise RenderError(f"不支持的文书格式 {fmt}(可用:{'、'.join(FORMATS)})", field="fmt")
