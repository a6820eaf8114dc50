"""materials received with an application

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing cases keep every row; they simply have no recorded materials list.
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("materials", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("materials")
