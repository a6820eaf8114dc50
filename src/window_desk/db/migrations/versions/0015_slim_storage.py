"""Slimmer storage: assessments in one deflated blob (format 4), audit entries without a copy of the
previous hash, no index on the audit action

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 06:00:00

Rows written before stay as they are (formats 1–3, stored previous hashes); only new rows are slimmer.
The downgrade writes format-4 rows back as format 3 and fills the previous hashes in, so nothing is lost
either way.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("packed", sa.LargeBinary(), nullable=True))
        batch.alter_column("input", existing_type=sa.JSON(), nullable=True)
        batch.alter_column("result", existing_type=sa.JSON(), nullable=True)
    with op.batch_alter_table("audit_log") as batch:
        # Nothing filters entries by action (the trail is read by entity); 76 bytes a case.
        batch.drop_index("ix_audit_log_action")
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    from window_desk.services.assessment_pack import unpack  # frozen with format 4

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, packed FROM assessments WHERE format >= 4")).all()
    for row_id, blob in rows:
        stored_input, proposal = unpack(blob)
        conn.execute(sa.text("UPDATE assessments SET input = :i, result = :r, format = 3 WHERE id = :id"),
                     {"i": json.dumps(stored_input, ensure_ascii=False),
                      "r": json.dumps(proposal, ensure_ascii=False), "id": row_id})
    prev = None
    for row_id, digest, stored in conn.execute(sa.text("SELECT id, hash, prev_hash FROM audit_log ORDER BY id")).all():
        if stored is None:
            conn.execute(sa.text("UPDATE audit_log SET prev_hash = :p WHERE id = :id"),
                         {"p": prev if prev is not None else "0" * 64, "id": row_id})
        prev = digest
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_index("ix_audit_log_action", ["action"], unique=False)
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column("result", existing_type=sa.JSON(), nullable=False)
        batch.alter_column("input", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("packed")
