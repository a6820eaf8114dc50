"""Issuing documents: gapless numbers, the document log, voiding and reprints (补打).

A number is taken in the same transaction that writes the document record, so
numbers have no gaps; a spoiled document is voided (reason kept) and its number
is never issued again; a reprint keeps the original number, prints 补打 on the
page and writes its own line in the log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from window_desk.db.models import Case, Document, DocumentPrint, DocumentPrintJob, User
from window_desk.errors import Conflict, NotFound, UserError
from window_desk.forms import KINDS, format_number, normalise, render, validate
from window_desk.permissions import requires
from window_desk.services.numbering import next_seq
from window_desk.timeutil import now
from window_desk.uow import UnitOfWork

Renderer = Callable[..., bytes]


@dataclass(frozen=True)
class IssuedDocument:
    id: int
    kind: str
    number: str
    case_id: int | None
    pdf: bytes
    sha256: str
    reprint: bool
    copies: int


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    kind: str
    title: str
    number: str
    case_id: int | None
    created_at: datetime
    created_by: str
    sha256: str
    copies: int
    prints: int
    voided: bool
    void_reason: str
    department: str = ""  # a referral slip's receiving department


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@requires("document.issue")
def issue(uow: UnitOfWork, kind: str, data: dict[str, Any], *, case_id: int | None = None,
          inquiry_id: int | None = None, office: str, copies: int = 1, fonts: Any = None,
          renderer: Renderer = render, commit: bool = True) -> IssuedDocument:
    """Number, render and log one document. Nothing is written if rendering fails.
    ``commit=False`` leaves the transaction open for a caller that records more in it."""
    if kind not in KINDS:
        raise UserError(f"未知的文书种类 {kind}", field="KIND")
    if copies < 1 or copies > 99:
        raise UserError("份数应在 1 到 99 之间", field="份数")
    case_number = ""
    if case_id is not None:
        case = uow.session.get(Case, case_id)
        if case is None:
            raise NotFound("个案不存在", field="个案")
        case_number = case.number
    moment = now()
    year = moment.year
    seq = next_seq(uow, f"doc:{kind}", office, year)
    number = format_number(office, KINDS[kind].number_word, year, seq)
    full = dict(data, office=data.get("office") or office, number=number, case_number=case_number,
                date=data.get("date") or moment.date().isoformat(), clerk=data.get("clerk") or uow.actor.name)
    validate(kind, full)
    full = normalise(kind, full)  # stored as printed: full-width punctuation, a guardian as {name}
    pdf = renderer(kind, full, "pdf", fonts=fonts)  # raises (and so rolls the number back) on a bad field
    digest = _sha(pdf)
    doc = Document(kind=kind, office=office, year=year, seq=seq, number=number, case_id=case_id,
                   inquiry_id=inquiry_id, data=full, sha256=digest, copies=copies, created_at=moment,
                   created_by=uow.actor.label)
    uow.session.add(doc)
    uow.session.flush()
    uow.session.add(DocumentPrint(document_id=doc.id, reprint=False, copies=copies, sha256=digest,
                                  created_at=moment, created_by=uow.actor.label))
    uow.audit("document.issue", "document", doc.id, {"kind": kind, "number": number, "case": case_number,
                                                     "sha256": digest, "copies": copies})
    if commit:
        uow.commit()
    return IssuedDocument(doc.id, kind, number, case_id, pdf, digest, False, copies)


@requires("document.issue")
def reprint(uow: UnitOfWork, document_id: int, *, copies: int = 1, fonts: Any = None,
            renderer: Renderer = render) -> IssuedDocument:
    """The same document again, under its original number, marked 补打 on the page and in the log."""
    doc = uow.session.get(Document, document_id)
    if doc is None:
        raise NotFound("文书不存在", field="文书")
    if doc.voided:
        raise Conflict(f"{doc.number} 已作废，不能补打；请重新开具", field="文书")
    if copies < 1 or copies > 99:
        raise UserError("份数应在 1 到 99 之间", field="份数")
    pdf = renderer(doc.kind, dict(doc.data), "pdf", reprint=True, fonts=fonts)
    digest = _sha(pdf)
    uow.session.add(DocumentPrint(document_id=doc.id, reprint=True, copies=copies, sha256=digest,
                                  created_at=now(), created_by=uow.actor.label))
    uow.audit("document.reprint", "document", doc.id, {"number": doc.number, "sha256": digest, "copies": copies})
    uow.commit()
    return IssuedDocument(doc.id, doc.kind, doc.number, doc.case_id, pdf, digest, True, copies)


def render_again(uow: UnitOfWork, document_id: int, fmt: str = "docx", *, renderer: Renderer = render) -> bytes:
    """The document's data rendered again (e.g. as Word to edit); not an issue, nothing logged."""
    doc = uow.session.get(Document, document_id)
    if doc is None:
        raise NotFound("文书不存在", field="文书")
    return renderer(doc.kind, dict(doc.data), fmt)


@requires("document.void")
def void(uow: UnitOfWork, document_id: int, reason: str, *, commit: bool = True) -> None:
    """Spoiled: the number stays in the log with the reason and is never issued again."""
    doc = uow.session.get(Document, document_id)
    if doc is None:
        raise NotFound("文书不存在", field="文书")
    if doc.voided:
        raise Conflict(f"{doc.number} 已经作废", field="文书")
    if len(reason.strip()) < 2:
        raise UserError("请写明作废理由", field="作废理由")
    doc.voided = True
    doc.void_reason = reason.strip()
    doc.voided_at = now()
    doc.voided_by = uow.actor.label
    uow.audit("document.void", "document", doc.id, {"number": doc.number, "reason": doc.void_reason})
    if commit:
        uow.commit()


def verify(uow: UnitOfWork, number: str, pdf: bytes) -> bool:
    """Is this PDF one the window printed under this number (first issue or a reprint)?"""
    doc = uow.session.scalar(select(Document).where(Document.number == number))
    if doc is None:
        return False
    digest = _sha(pdf)
    return any(p.sha256 == digest for p in doc.prints)


def _display_names(uow: UnitOfWork, labels: set[str]) -> dict[str, str]:
    """Actor labels (user names) to the names people know each other by (刘受理, not liu)."""
    if not labels:
        return {}
    rows = uow.session.execute(select(User.username, User.display_name).where(User.username.in_(labels))).all()
    return {u: d for u, d in rows if d}


def printed_copies(uow: UnitOfWork, document_ids: list[int]) -> dict[int, int]:
    """Copies that reached a printer per document, from the recorded print jobs (0 if never printed)."""
    if not document_ids:
        return {}
    rows = uow.session.execute(
        select(DocumentPrintJob.document_id, func.sum(DocumentPrintJob.copies))
        .where(DocumentPrintJob.document_id.in_(document_ids)).group_by(DocumentPrintJob.document_id)
    ).all()
    return {doc_id: int(total or 0) for doc_id, total in rows}


def for_case(uow: UnitOfWork, case_id: int) -> list[DocumentInfo]:
    docs = uow.session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.id)).all()
    names = _display_names(uow, {d.created_by for d in docs})
    printed = printed_copies(uow, [d.id for d in docs])
    return [
        DocumentInfo(d.id, d.kind, KINDS[d.kind].title if d.kind in KINDS else d.kind, d.number, d.case_id,
                     d.created_at, names.get(d.created_by, d.created_by), d.sha256, d.copies, printed.get(d.id, 0),
                     d.voided, d.void_reason, department=str((d.data or {}).get("to_department") or ""))
        for d in docs
    ]


PRINT_ROUTES = ("cups", "raster")


@requires("document.issue")
def record_print(uow: UnitOfWork, document_id: int, *, copies: int, pages: int, route: str,
                 printer: str = "") -> int:
    """A print job of this document reached the print system; returns the copies printed so far."""
    doc = uow.session.get(Document, document_id)
    if doc is None:
        raise NotFound("文书不存在", field="文书")
    if route not in PRINT_ROUTES:
        raise UserError("未知的打印方式", field="打印方式")
    if copies < 1 or pages < 1:
        raise UserError("打印份数和页数至少为 1", field="份数")
    uow.session.add(DocumentPrintJob(document_id=doc.id, copies=copies, pages=pages, route=route,
                                     printer=printer[:128], created_at=now(), created_by=uow.actor.label))
    uow.audit("document.print", "document", doc.id, {"number": doc.number, "copies": copies, "pages": pages,
                                                     "route": route})
    uow.session.flush()
    total = printed_copies(uow, [doc.id]).get(doc.id, 0)
    uow.commit()
    return total


# Which settings each kind prints (besides the office names every paper carries).
KIND_SETTINGS: dict[str, tuple[str, ...]] = {
    "acceptance_notice": ("contact_phone",),
    "missing_materials_notice": ("contact_phone",),
    "referral_slip": ("contact_phone",),
    "rejection_notice": ("review_body", "court"),
}
COMMON_SETTINGS = ("office_name", "office_full_name")


def missing_settings(uow: UnitOfWork, kinds: Any) -> list[str]:
    """The settings (by their labels, e.g. "窗口联系电话") that the papers of ``kinds`` need and that are
    still empty. The 受理 page asks this before accepting a case, so a paper never fails after it."""
    from window_desk.services import (
        settings,  # settings imports nothing of ours; kept local for clarity
    )

    values = settings.get_all(uow)
    keys: list[str] = list(COMMON_SETTINGS)
    for kind in kinds:
        if kind not in KINDS:
            raise UserError(f"未知的文书种类 {kind}", field="KIND")
        keys.extend(k for k in KIND_SETTINGS.get(kind, ()) if k not in keys)
    return [settings.DEFAULTS[k][0] for k in keys if not str(values.get(k) or "").strip()]
