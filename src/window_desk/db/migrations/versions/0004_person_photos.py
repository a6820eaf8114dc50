"""photos read off ID cards, one per person

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: no existing row is touched.
    op.create_table(
        "person_photos",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_photos_person_id_persons")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_photos")),
    )


def downgrade() -> None:
    op.drop_table("person_photos")
