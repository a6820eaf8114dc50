"""Policy versions, assessments and overrides, referrals, documents and their prints, the daily review,
amendments, and the audit chain.

Part of ``window_desk.db.models``, which re-exports every name; import from there."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from window_desk.db.models.base import Base, Stamped


class PolicyVersion(Stamped, Base):
    """A policy file as loaded: the text is kept so any past assessment can be explained."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    locality: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class Assessment(Stamped, Base):
    """One run of the assessment: input and result are frozen as JSON, never rewritten."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    policy_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id"))
    policy_locality: Mapped[str] = mapped_column(String(64))
    policy_effective_from: Mapped[date] = mapped_column(Date)
    tier: Mapped[str] = mapped_column(String(16))
    # Formats 1–3 keep these as JSON; format 4 (assessment_store) keeps both in ``packed`` and leaves them null.
    # none_as_null: a row copied to another database (dbcopy) keeps SQL NULL, not the JSON text null.
    input: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class MeasureOverride(Stamped, Base):
    """A clerk's change to the proposal: drop or add one measure, with a written reason."""

    __tablename__ = "measure_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(32))
    measure: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)


class Referral(Stamped, Base):
    """A measure handed to the department in charge (转介), tracked until the receipt returns."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    measure_code: Mapped[str] = mapped_column(String(32))
    department: Mapped[str] = mapped_column(String(64))
    referred_at: Mapped[datetime]
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="sent", index=True)
    receipt_signer: Mapped[str] = mapped_column(String(64), default="")
    receipt_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))


class DocumentCounter(Base):
    """The last number issued per kind, office and year; bumped in the issuing transaction."""

    __tablename__ = "document_counters"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    office: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Document(Stamped, Base):
    """A numbered paper handed out. Voided documents keep their number forever."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("kind", "office", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    office: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))

    prints: Mapped[list[DocumentPrint]] = relationship(order_by="DocumentPrint.id")


class DocumentPrint(Stamped, Base):
    """Each time a document is handed out: the first issue and every reprint (补打)."""

    __tablename__ = "document_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    copies: Mapped[int] = mapped_column(Integer, default=1)
    sha256: Mapped[str] = mapped_column(String(64))


class DailyReview(Stamped, Base):
    """A supervisor's sign-off of one day's register; a signed day is locked."""

    __tablename__ = "daily_reviews"
    __table_args__ = (UniqueConstraint("office", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    supervisor: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(Text, default="")


class Amendment(Stamped, Base):
    """A correction to a locked day: who changed what, from what, to what, and why."""

    __tablename__ = "amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """One link of the hash chain. ``at`` is kept as the exact ISO text that was hashed."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[str] = mapped_column(Text)
    # The previous entry's hash. Entries from migration 0015 on leave it null: it is the previous row's
    # ``hash`` (verify walks the rows in order and hashes each with the one before it).
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256 of ``hash`` under the key kept outside the database (audit.py); null without a key.
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The hash this entry had before migration 0012 re-hashed the chain (audit.rewrite); not hashed itself.
    rewritten_from: Mapped[str | None] = mapped_column(String(64), nullable=True)


Index("ix_audit_log_entity", AuditEntry.entity_type, AuditEntry.entity_id)


class AuditHead(Base):
    """The chain's tip: locked by every writer (serialises appends) and catches a removed last entry."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
