"""inquiry lifecycle: status, due date, hotline work order, outcome detail; handoff kinds

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only ADD COLUMN and CREATE INDEX: batch mode then alters in place on SQLite instead of copying the
    # table, which (with foreign keys on) would fail for inquiries that handoffs and documents refer to.
    # Every existing inquiry is kept: those with an outcome become closed, the rest stay open.
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="open"))
        batch.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("work_order_no", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("department", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("missing_items", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_inquiries_status"), ["status"], unique=False)
        batch.create_index(batch.f("ix_inquiries_due_date"), ["due_date"], unique=False)
        batch.create_index("ix_inquiries_visitor_name", ["visitor_name"], unique=False)
        batch.create_index("ix_inquiries_visitor_phone", ["visitor_phone"], unique=False)
        batch.create_index("ix_inquiries_status_received_at", ["status", "received_at"], unique=False)
        batch.create_index(batch.f("ix_inquiries_work_order_no"), ["work_order_no"], unique=True)
    op.execute("UPDATE inquiries SET status = 'closed', closed_at = answered_at WHERE outcome IS NOT NULL")
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="handoff"))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_index(batch.f("ix_inquiries_work_order_no"))
        batch.drop_index("ix_inquiries_status_received_at")
        batch.drop_index("ix_inquiries_visitor_phone")
        batch.drop_index("ix_inquiries_visitor_name")
        batch.drop_index(batch.f("ix_inquiries_due_date"))
        batch.drop_index(batch.f("ix_inquiries_status"))
        for column in ("closed_at", "missing_items", "department", "work_order_no", "due_date", "status"):
            batch.drop_column(column)
