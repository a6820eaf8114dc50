"""主动发现: the villages' assistants, the watch list and its visits, observation, monitoring, spot checks.

Part of ``window_desk.db.models``, which re-exports every name; import from there."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from window_desk.db.models.base import Base, Stamped


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
Index("ix_watch_households_village_id", WatchHousehold.village, WatchHousehold.id)  # the paged roster


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


Index("ix_observation_entries_status_review", ObservationEntry.status, ObservationEntry.review_date,
      ObservationEntry.id)  # the paged list


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
