"""主动发现: staff rosters, watch roster and visits, observation list, low-income monitoring, spot checks

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _stamp() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("created_by", sa.String(64), nullable=False)]


def _fk(table: str, col: str, ref: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f"{ref}.id"], name=op.f(f"fk_{table}_{col}_{ref}"))


def upgrade() -> None:
    # New tables only: nothing existing is touched.
    op.create_table(
        "discovery_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("village", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("sex", sa.String(4), nullable=False),
        sa.Column("post", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_stamp(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discovery_staff")),
    )
    with op.batch_alter_table("discovery_staff") as batch:
        batch.create_index("ix_discovery_staff_kind_village", ["kind", "village", "name"])
    op.create_table(
        "watch_households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village", sa.String(64), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=True),
        sa.Column("head_person_id", sa.Integer(), nullable=False),
        *_stamp(),
        _fk("watch_households", "assistant_id", "discovery_staff"),
        _fk("watch_households", "head_person_id", "persons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_households")),
    )
    with op.batch_alter_table("watch_households") as batch:
        batch.create_index(batch.f("ix_watch_households_assistant_id"), ["assistant_id"])
        batch.create_index(batch.f("ix_watch_households_head_person_id"), ["head_person_id"])
        batch.create_index("ix_watch_households_village_status", ["village", "status", "id"])
    op.create_table(
        "watch_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(16), nullable=False),
        _fk("watch_members", "watch_household_id", "watch_households"),
        _fk("watch_members", "person_id", "persons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_members")),
        sa.UniqueConstraint("watch_household_id", "person_id", name=op.f("uq_watch_members_watch_household_id_person_id")),
    )
    with op.batch_alter_table("watch_members") as batch:
        batch.create_index(batch.f("ix_watch_members_watch_household_id"), ["watch_household_id"])
        batch.create_index(batch.f("ix_watch_members_person_id"), ["person_id"])
    op.create_table(
        "watch_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_household_id", sa.Integer(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(64), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=True),
        sa.Column("seen", sa.Boolean(), nullable=False),
        sa.Column("living", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        *_stamp(),
        _fk("watch_visits", "watch_household_id", "watch_households"),
        _fk("watch_visits", "assistant_id", "discovery_staff"),
        _fk("watch_visits", "inquiry_id", "inquiries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_visits")),
    )
    with op.batch_alter_table("watch_visits") as batch:
        batch.create_index(batch.f("ix_watch_visits_watch_household_id"), ["watch_household_id"])
        batch.create_index(batch.f("ix_watch_visits_inquiry_id"), ["inquiry_id"])
        batch.create_index("ix_watch_visits_household_date", ["watch_household_id", "visit_date"])
        batch.create_index("ix_watch_visits_date", ["visit_date", "id"])
    op.create_table(
        "observation_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("watch_household_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_reason", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        *_stamp(),
        _fk("observation_entries", "person_id", "persons"),
        _fk("observation_entries", "case_id", "cases"),
        _fk("observation_entries", "watch_household_id", "watch_households"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_entries")),
        sa.UniqueConstraint("case_id", name=op.f("uq_observation_entries_case_id")),
    )
    with op.batch_alter_table("observation_entries") as batch:
        batch.create_index(batch.f("ix_observation_entries_person_id"), ["person_id"])
        batch.create_index(batch.f("ix_observation_entries_watch_household_id"), ["watch_household_id"])
        batch.create_index(batch.f("ix_observation_entries_review_date"), ["review_date"])
        batch.create_index(batch.f("ix_observation_entries_status"), ["status"])
    op.create_table(
        "observation_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=False),
        *_stamp(),
        _fk("observation_reviews", "entry_id", "observation_entries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_reviews")),
    )
    with op.batch_alter_table("observation_reviews") as batch:
        batch.create_index(batch.f("ix_observation_reviews_entry_id"), ["entry_id"])
    op.create_table(
        "monitoring_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("area", sa.String(8), nullable=False),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("per_capita_income", sa.BigInteger(), nullable=False),  # fen
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("recheck_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_reason", sa.Text(), nullable=False),
        *_stamp(),
        _fk("monitoring_entries", "person_id", "persons"),
        _fk("monitoring_entries", "case_id", "cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_entries")),
        sa.UniqueConstraint("case_id", name=op.f("uq_monitoring_entries_case_id")),
    )
    with op.batch_alter_table("monitoring_entries") as batch:
        batch.create_index(batch.f("ix_monitoring_entries_person_id"), ["person_id"])
        batch.create_index(batch.f("ix_monitoring_entries_recheck_date"), ["recheck_date"])
        batch.create_index(batch.f("ix_monitoring_entries_status"), ["status"])
    op.create_table(
        "spot_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(8), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.String(64), nullable=False),
        *_stamp(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_checks")),
        sa.UniqueConstraint("quarter", "seed", name=op.f("uq_spot_checks_quarter_seed")),
    )
    op.create_table(
        "spot_check_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spot_check_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.String(64), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        _fk("spot_check_items", "spot_check_id", "spot_checks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_check_items")),
    )
    with op.batch_alter_table("spot_check_items") as batch:
        batch.create_index(batch.f("ix_spot_check_items_spot_check_id"), ["spot_check_id"])


def downgrade() -> None:
    for table in ("spot_check_items", "spot_checks", "monitoring_entries", "observation_reviews",
                  "observation_entries", "watch_visits", "watch_members", "watch_households", "discovery_staff"):
        op.drop_table(table)
