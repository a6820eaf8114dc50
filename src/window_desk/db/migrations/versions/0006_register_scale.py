"""register at scale: keyset indexes on cases, slim assessments

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:40:00

Nothing is rewritten: existing assessments keep their full result (format 1);
new ones may store only the proposal (format 2) with the policy and input hashes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_cases_application_date_id": ["application_date", "id"],
    "ix_cases_deadline_id": ["deadline", "id"],
    "ix_cases_tier_id": ["tier", "id"],
    "ix_cases_status_id": ["status", "id"],
    "ix_cases_created_by_id": ["created_by", "id"],
}


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("format", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("policy_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("input_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("cases") as batch:
        for name, columns in INDEXES.items():
            batch.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name in INDEXES:
            batch.drop_index(name)
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("input_sha256")
        batch.drop_column("policy_sha256")
        batch.drop_column("format")
