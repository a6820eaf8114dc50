"""print jobs of documents (copies counted from what reached a printer)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: existing documents keep every row and simply have no recorded print job yet.
    op.create_table(
        "document_print_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(16), nullable=False),
        sa.Column("printer", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    with op.batch_alter_table("document_print_jobs") as batch:
        batch.create_index("ix_document_print_jobs_document_id", ["document_id"])


def downgrade() -> None:
    with op.batch_alter_table("document_print_jobs") as batch:
        batch.drop_index("ix_document_print_jobs_document_id")
    op.drop_table("document_print_jobs")
