"""intake: guardians, signatures, duplicate-assistance reasons, rejection and one-time-notice decisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only columns are added (with defaults): every existing row is kept as it is.
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("lacks_capacity", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("guardian_relation", sa.String(16), nullable=False, server_default=""))
        batch.add_column(sa.Column("guardian_id_number", sa.String(18), nullable=False, server_default=""))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("unsigned_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("duplicate_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("decision_basis", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("missing_items", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("supplement_by", sa.Date(), nullable=True))
    # The history panel looks up inquiries and documents of people and drafts.
    with op.batch_alter_table("documents") as batch:
        batch.create_index("ix_documents_inquiry_id", ["inquiry_id"])


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_inquiry_id")
    with op.batch_alter_table("cases") as batch:
        for name in ("supplement_by", "missing_items", "decision_basis", "duplicate_reason", "unsigned_reason"):
            batch.drop_column(name)
    with op.batch_alter_table("members") as batch:
        for name in ("guardian_id_number", "guardian_relation", "lacks_capacity"):
            batch.drop_column(name)
