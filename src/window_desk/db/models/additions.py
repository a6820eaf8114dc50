"""Tables and columns later migrations added (0004–0009): ID-card photos, the reserve and its
prepayments, the referral and daily-review columns, inquiry and register indexes, print jobs, the
slim assessment columns. Kept in the order the migrations added them, after the tables they extend.

Part of ``window_desk.db.models``, which re-exports every name; import from there."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from window_desk.db.models.base import Base, Stamped
from window_desk.db.models.cases import Case, Inquiry
from window_desk.db.models.records import Amendment, Assessment, DailyReview, Referral
from window_desk.db.types import AwareDateTime


# --- card reader ---


class PersonPhoto(Base):
    """The photo block read off a person's ID card (1024 bytes of encrypted WLT data, kept raw:
    only a vendor decoder turns it into an image). Its own table keeps the blobs out of person scans."""

    __tablename__ = "person_photos"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True, autoincrement=False)
    photo: Mapped[bytes] = mapped_column(LargeBinary)
    read_at: Mapped[datetime]
    read_by: Mapped[str] = mapped_column(String(64))


# --- reserve (临时救助备用金) ---


class Prepayment(Stamped, Base):
    """A 先行救助 from the township reserve: requested, approved when it must be, paid with a voucher.

    ``status``: ``pending`` (waits for a supervisor), ``paid``, ``rejected``, ``returned``
    (paid and then returned in full). The money itself moves only in ``reserve_entries``.
    """

    __tablename__ = "prepayments"

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    cause: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal]
    suggested: Mapped[Decimal | None]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    approval_needed: Mapped[str] = mapped_column(String(64), default="")  # "amount", "repeat" or both, comma-separated
    override_reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_name: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approver_name: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    paid_at: Mapped[datetime | None]
    paid_on: Mapped[date | None] = mapped_column(Date, index=True)
    paperwork_due: Mapped[date | None] = mapped_column(Date, index=True)
    paperwork_done_at: Mapped[datetime | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    voucher_number: Mapped[str] = mapped_column(String(64), default="")


class ReserveEntry(Stamped, Base):
    """One line of an office's reserve ledger: an allocation in, a prepayment out, a return in.

    ``amount`` is always positive; ``kind`` gives the direction. The balance is the sum of
    the lines and is never stored, so it cannot drift from them.
    """

    __tablename__ = "reserve_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(64))
    entry_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal]
    prepayment_id: Mapped[int | None] = mapped_column(ForeignKey("prepayments.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")


Index("ix_reserve_entries_office_date", ReserveEntry.office, ReserveEntry.entry_date, ReserveEntry.id)
Index("ix_reserve_entries_office_id", ReserveEntry.office, ReserveEntry.id)  # the ledger page, newest first
# The balance is a sum over every line of an office: this index answers it without the table.
Index("ix_reserve_entries_office_kind_date_amount", ReserveEntry.office, ReserveEntry.kind, ReserveEntry.entry_date,
      ReserveEntry.amount)
Index("ix_prepayments_person_cause", Prepayment.person_id, Prepayment.cause, Prepayment.paid_on)
Index("ix_prepayments_open_paperwork", Prepayment.paperwork_done_at, Prepayment.paperwork_due)
# --- referrals and daily review ---
# Columns added by migration 0007 to the tables above (declared here so the shared models stay as they
# were): the referral's return reason and the day its receipt was entered, the audit chain head a
# signed day was anchored to, and the review an amendment belongs to.

Referral.return_reason = mapped_column(Text, nullable=False, default="", server_default="")  # type: ignore[attr-defined]
Referral.receipt_entered_at = mapped_column(AwareDateTime(), nullable=True)  # type: ignore[attr-defined]
Referral.updated_at = mapped_column(AwareDateTime(), nullable=True)  # type: ignore[attr-defined]
# Per department, by status, by due date: the chasing summary counts ranges of this index (0013).
Index("ix_referrals_department_status_due", Referral.department, Referral.status, Referral.due_date)
Index("ix_referrals_referred_at", Referral.referred_at)
Index("ix_referrals_receipt_entered_at", Referral.receipt_entered_at)
# Open 急难 inquiries on the daily review: urgent ones not answered (yet, or by the end of a day).
Index("ix_inquiries_urgent_answered_at", Inquiry.urgent, Inquiry.answered_at)
DailyReview.supervisor_user_id = mapped_column(Integer, nullable=True)  # type: ignore[attr-defined]
DailyReview.audit_entry_id = mapped_column(Integer, nullable=True)  # type: ignore[attr-defined]
DailyReview.audit_hash = mapped_column(String(64), nullable=True)  # type: ignore[attr-defined]
Amendment.review_id = mapped_column(Integer, ForeignKey("daily_reviews.id"), nullable=True)  # type: ignore[attr-defined]
Amendment.office = mapped_column(String(64), nullable=False, default="", server_default="")  # type: ignore[attr-defined]
# --- inquiries ---
# Search by name or phone (prefix ranges use these); the open-and-urgent pin uses the status index.
Index("ix_inquiries_visitor_name", Inquiry.visitor_name)
Index("ix_inquiries_visitor_phone", Inquiry.visitor_phone)
# Open inquiries oldest first (overdue, pinned 急难) without reading every received_at in order.
Index("ix_inquiries_status_received_at", Inquiry.status, Inquiry.received_at)
# --- papers: print jobs ---


class DocumentPrintJob(Stamped, Base):
    """One job that reached a printer (CUPS or a raster printer): the copies the papers list counts."""

    __tablename__ = "document_print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    copies: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    route: Mapped[str] = mapped_column(String(16))  # "cups" or "raster"
    printer: Mapped[str] = mapped_column(String(128), default="")
# --- register ---
# Keyset pages walk these: (sort key, id) for each sortable column and the clerk filter.
Index("ix_cases_application_date_id", Case.application_date, Case.id)
Index("ix_cases_deadline_id", Case.deadline, Case.id)
Index("ix_cases_tier_id", Case.tier, Case.id)
Index("ix_cases_status_id", Case.status, Case.id)
Index("ix_cases_created_by_id", Case.created_by, Case.id)
# Assessments stored slim (format 2) keep the policy's hash and the input's hash next to the proposal;
# the explanation (reasons, per-capita figures) is recomputed from input + policy text when shown.
Assessment.format = mapped_column("format", Integer, nullable=False, default=1, server_default="1")  # type: ignore[attr-defined]
Assessment.policy_sha256 = mapped_column("policy_sha256", String(64))  # type: ignore[attr-defined]
Assessment.input_sha256 = mapped_column("input_sha256", String(64))  # type: ignore[attr-defined]
# Format 4: compact input and proposal deflated together (services/assessment_pack.py).
Assessment.packed = mapped_column("packed", LargeBinary, nullable=True)  # type: ignore[attr-defined]


# --- register at scale (migration 0013) ---


class CaseNameKey(Base):
    """The first character of each member's name, with its case's sort key (application date, id): a
    search for one surname — a tenth of all people — reads its first page straight off this table's
    primary key in page order. One row per (character, case); kept by intake and demo-data, and by
    ``persons.upsert`` through ``register.resync_name_keys`` when a name changes."""

    __tablename__ = "case_name_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    name_first: Mapped[str] = mapped_column(String(2), primary_key=True)
    application_date: Mapped[date] = mapped_column(Date, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
