"""Users and settings, people, first inquiries and their handoffs, households, members, cases, drafts.

Part of ``window_desk.db.models``, which re-exports every name; import from there."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from window_desk.db.models.base import Base, Stamped
from window_desk.money import ZERO


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
    # No single-column indexes on the sort keys: the (key, id) indexes serve both (migration 0013).
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
