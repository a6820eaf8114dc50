"""The tables, as SQLAlchemy 2 typed models.

Conventions, so that later migrations add columns rather than redesign:
- every row records ``created_at`` (aware) and ``created_by`` (the actor label:
  a user name, or ``cli:<os user>`` for headless commands);
- codes are the glossary's English names, stored as short strings; the Chinese
  is in ``window_desk.vocab``;
- money is ``Money`` (integer fen), times ``AwareDateTime``; flexible detail
  that the rules own (assessment input and result, document data) is JSON;
- nothing is deleted: voiding, overriding and amending add rows or set flags.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from window_desk.db.types import AwareDateTime, Money
from window_desk.money import ZERO

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: AwareDateTime(), Decimal: Money(), dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """Who created a row and when."""

    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class User(Stamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Set when an administrator resets the password: the user must choose a new one at next login.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Setting(Base):
    """Township settings (office name, appeal bodies, font folder…), one JSON value per key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class Person(Stamped, Base):
    """A resident known by ID number: links a member's cases, inquiries and benefits across households."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    name_initials: Mapped[str] = mapped_column(String(64), index=True, default="")
    sex: Mapped[str | None] = mapped_column(String(2))
    birth_date: Mapped[date | None] = mapped_column(Date)


class Inquiry(Stamped, Base):
    """A first inquiry (首问登记): any contact asking for help."""

    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(32))
    visitor_name: Mapped[str] = mapped_column(String(64), default="")
    visitor_phone: Mapped[str] = mapped_column(String(32), default="")
    visitor_address: Mapped[str] = mapped_column(String(200), default="")
    visitor_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    matter: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[list[Any]] = mapped_column(default=list)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    first_responder: Mapped[str] = mapped_column(String(64))
    first_responder_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_by: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # --- inquiry lifecycle (migration 0003) ---
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open", index=True)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    work_order_no: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    department: Mapped[str] = mapped_column(String(64), default="", server_default="")
    missing_items: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")
    closed_at: Mapped[datetime | None]

    handoffs: Mapped[list[Handoff]] = relationship(back_populates="inquiry", order_by="Handoff.id")


class Handoff(Stamped, Base):
    """One hand-over of an inquiry between people; the first responder stays on the inquiry."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), index=True)
    from_name: Mapped[str] = mapped_column(String(64))
    to_name: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    # "handoff", or the lifecycle events kept in the same history: "close", "reopen" (migration 0003).
    kind: Mapped[str] = mapped_column(String(16), default="handoff", server_default="handoff")

    inquiry: Mapped[Inquiry] = relationship(back_populates="handoffs")


class Household(Stamped, Base):
    """The applying household (申请家庭) as last entered; each assessment keeps its own snapshot."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    housing: Mapped[str] = mapped_column(String(16), default="adequate")
    current_benefits: Mapped[list[Any]] = mapped_column(default=list)
    events: Mapped[list[Any]] = mapped_column(default=list)
    deposits: Mapped[Decimal] = mapped_column(default=ZERO)
    non_essential_vehicles: Mapped[int] = mapped_column(Integer, default=0)
    extra_houses: Mapped[int] = mapped_column(Integer, default=0)
    rigid_medical: Mapped[Decimal] = mapped_column(default=ZERO)
    rigid_education: Mapped[Decimal] = mapped_column(default=ZERO)
    rigid_care: Mapped[Decimal] = mapped_column(default=ZERO)
    rigid_housing: Mapped[Decimal] = mapped_column(default=ZERO)
    updated_at: Mapped[datetime | None]

    members: Mapped[list[Member]] = relationship(back_populates="household", order_by="Member.seq")


class Member(Stamped, Base):
    """A member of the common household (共同生活的家庭成员)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    relation: Mapped[str] = mapped_column(String(16))
    labor_capacity: Mapped[str] = mapped_column(String(8), default="full")
    self_care: Mapped[str] = mapped_column(String(8), default="full")
    disability_grade: Mapped[int | None] = mapped_column(Integer)
    disability_kind: Mapped[str | None] = mapped_column(String(16))
    health: Mapped[str] = mapped_column(String(16), default="healthy")
    schooling: Mapped[str | None] = mapped_column(String(16))
    employed: Mapped[bool] = mapped_column(Boolean, default=False)
    income_wage: Mapped[Decimal] = mapped_column(default=ZERO)
    income_business: Mapped[Decimal] = mapped_column(default=ZERO)
    income_property: Mapped[Decimal] = mapped_column(default=ZERO)
    income_transfer: Mapped[Decimal] = mapped_column(default=ZERO)
    income_other: Mapped[Decimal] = mapped_column(default=ZERO)
    income_exempt: Mapped[Decimal] = mapped_column(default=ZERO)
    supporter_capable: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_name: Mapped[str] = mapped_column(String(64), default="")
    authorization_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    # intake (0005): a member without full civil capacity signs through a guardian
    lacks_capacity: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    guardian_relation: Mapped[str] = mapped_column(String(16), default="", server_default="")
    guardian_id_number: Mapped[str] = mapped_column(String(18), default="", server_default="")

    household: Mapped[Household] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()


class Case(Stamped, Base):
    """An application (个案): one household, one application date, one decision."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    office: Mapped[str] = mapped_column(String(64))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    applicant_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    # No single-column indexes on the sort keys: the (key, id) indexes below serve both (migration 0013).
    application_date: Mapped[date] = mapped_column(Date)
    matter: Mapped[str] = mapped_column(Text, default="")
    # Materials received at the window (names, as printed on the acceptance notice).
    materials: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(24), default="draft")
    tier: Mapped[str | None] = mapped_column(String(16))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime | None]
    # intake (0005): why signatures are missing, why a duplicate was accepted, the decision's basis
    unsigned_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    duplicate_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    decision_basis: Mapped[str] = mapped_column(Text, default="", server_default="")
    missing_items: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    supplement_by: Mapped[date | None] = mapped_column(Date)

    household: Mapped[Household] = relationship()
    applicant: Mapped[Person] = relationship()


class Draft(Base):
    """Work in progress saved continuously, so a crash or a closed window loses nothing."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("owner", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


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
    input: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


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
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256 of ``hash`` under the key kept outside the database (audit.py); null without a key.
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)


Index("ix_audit_log_entity", AuditEntry.entity_type, AuditEntry.entity_id)


class AuditHead(Base):
    """The chain's tip: locked by every writer (serialises appends) and catches a removed last entry."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


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
# --- discovery (主动发现) ---


class DiscoveryStaff(Stamped, Base):
    """A village's social-assistance assistant (协理员, 附件3) or a member of the township's information
    group (困难救助信息采集组, 附件4); ``kind`` is ``assistant`` or ``info_group``."""

    __tablename__ = "discovery_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    village: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(4), default="")
    post: Mapped[str] = mapped_column(String(64), default="")  # 职务 / 组内职务 (组长, 成员)
    phone: Mapped[str] = mapped_column(String(32), default="")
    since: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


Index("ix_discovery_staff_kind_village", DiscoveryStaff.kind, DiscoveryStaff.village, DiscoveryStaff.name)


class WatchHousehold(Stamped, Base):
    """A household on a village's watch roster (重点人群花名册, 附件1).

    ``status``: ``watching``, ``referred`` (taken into a case or handed on), ``removed`` (with reason)."""

    __tablename__ = "watch_households"

    id: Mapped[int] = mapped_column(primary_key=True)
    village: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text)
    assistant_id: Mapped[int | None] = mapped_column(ForeignKey("discovery_staff.id"), index=True)
    since: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="watching")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_on: Mapped[date | None] = mapped_column(Date)
    head_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)

    members: Mapped[list[WatchMember]] = relationship(order_by="WatchMember.seq")


Index("ix_watch_households_village_status", WatchHousehold.village, WatchHousehold.status, WatchHousehold.id)


class WatchMember(Base):
    """A member of a watched household, by person (ID number validated)."""

    __tablename__ = "watch_members"
    __table_args__ = (UniqueConstraint("watch_household_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_household_id: Mapped[int] = mapped_column(ForeignKey("watch_households.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    relation: Mapped[str] = mapped_column(String(16), default="self")


class WatchVisit(Stamped, Base):
    """One visit (巡查走访, 附件2). Only a visit where the person was seen counts as done."""

    __tablename__ = "watch_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_household_id: Mapped[int] = mapped_column(ForeignKey("watch_households.id"), index=True)
    visit_date: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(64))
    assistant_id: Mapped[int | None] = mapped_column(ForeignKey("discovery_staff.id"))
    seen: Mapped[bool] = mapped_column(Boolean)
    living: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"), index=True)


Index("ix_watch_visits_household_date", WatchVisit.watch_household_id, WatchVisit.visit_date)
Index("ix_watch_visits_date", WatchVisit.visit_date, WatchVisit.id)


class ObservationEntry(Stamped, Base):
    """A household on the observation list (救助观察): does not qualify, but is in real difficulty.

    From a case whose tier is ``observation`` (``case_id``) or placed by a clerk; ``status`` ``open`` or
    ``closed`` (with ``closed_reason``, by a supervisor)."""

    __tablename__ = "observation_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    watch_household_id: Mapped[int | None] = mapped_column(ForeignKey("watch_households.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_on: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date, index=True)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(64))


class ObservationReview(Stamped, Base):
    """One scheduled review of an observation entry."""

    __tablename__ = "observation_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("observation_entries.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    next_review: Mapped[date] = mapped_column(Date)


class MonitoringEntry(Stamped, Base):
    """A household under low-income dynamic monitoring (低收入人口动态监测), from an assessment flagged
    ``dynamic_monitoring``: its per-capita income is compared with the standards in force."""

    __tablename__ = "monitoring_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    area: Mapped[str] = mapped_column(String(8))
    household_size: Mapped[int] = mapped_column(Integer)
    per_capita_income: Mapped[Decimal]
    assessed_on: Mapped[date] = mapped_column(Date)
    recheck_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    closed_reason: Mapped[str] = mapped_column(Text, default="")


class SpotCheck(Stamped, Base):
    """A supervisor's quarterly spot check: a seeded, reproducible sample of new cases and visits."""

    __tablename__ = "spot_checks"
    __table_args__ = (UniqueConstraint("quarter", "seed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(8))
    seed: Mapped[int] = mapped_column(Integer)
    drawn_by: Mapped[str] = mapped_column(String(64))

    items: Mapped[list[SpotCheckItem]] = relationship(order_by="SpotCheckItem.id")


class SpotCheckItem(Base):
    """One sampled case or visit and the result of checking it (``ok`` / ``problem``, null until checked)."""

    __tablename__ = "spot_check_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    spot_check_id: Mapped[int] = mapped_column(ForeignKey("spot_checks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    ref_id: Mapped[int] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime | None]


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
