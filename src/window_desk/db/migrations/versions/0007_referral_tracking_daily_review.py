"""referral tracking to the receipt, daily review anchored to the audit chain, amendments per review

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only columns and indexes are added: every existing row is kept as it is.
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("return_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("receipt_entered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_referrals_department_status", ["department", "status"], unique=False)
        batch.create_index("ix_referrals_referred_at", ["referred_at"], unique=False)
        batch.create_index("ix_referrals_receipt_entered_at", ["receipt_entered_at"], unique=False)
    with op.batch_alter_table("inquiries") as batch:
        batch.create_index("ix_inquiries_urgent_answered_at", ["urgent", "answered_at"], unique=False)
    with op.batch_alter_table("daily_reviews") as batch:
        batch.add_column(sa.Column("supervisor_user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("audit_entry_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("audit_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("amendments") as batch:
        batch.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("office", sa.String(length=64), nullable=False, server_default=""))
        batch.create_foreign_key("fk_amendments_review_id_daily_reviews", "daily_reviews", ["review_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("amendments") as batch:
        batch.drop_constraint("fk_amendments_review_id_daily_reviews", type_="foreignkey")
        batch.drop_column("office")
        batch.drop_column("review_id")
    with op.batch_alter_table("daily_reviews") as batch:
        batch.drop_column("audit_hash")
        batch.drop_column("audit_entry_id")
        batch.drop_column("supervisor_user_id")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_index("ix_inquiries_urgent_answered_at")
    with op.batch_alter_table("referrals") as batch:
        batch.drop_index("ix_referrals_receipt_entered_at")
        batch.drop_index("ix_referrals_referred_at")
        batch.drop_index("ix_referrals_department_status")
        batch.drop_column("updated_at")
        batch.drop_column("receipt_entered_at")
        batch.drop_column("return_reason")
