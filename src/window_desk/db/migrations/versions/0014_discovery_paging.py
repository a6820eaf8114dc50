"""主动发现: indexes for the paged roster (village, id) and observation list (status, review date, id)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Indexes only: no row is touched.
    with op.batch_alter_table("watch_households") as batch:
        batch.create_index("ix_watch_households_village_id", ["village", "id"])
    with op.batch_alter_table("observation_entries") as batch:
        batch.create_index("ix_observation_entries_status_review", ["status", "review_date", "id"])


def downgrade() -> None:
    with op.batch_alter_table("observation_entries") as batch:
        batch.drop_index("ix_observation_entries_status_review")
    with op.batch_alter_table("watch_households") as batch:
        batch.drop_index("ix_watch_households_village_id")
