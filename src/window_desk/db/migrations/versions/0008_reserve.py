"""the emergency reserve (临时救助备用金): prepayments and the ledger

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: nothing existing is touched.
    op.create_table(
        "prepayments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),  # fen
        sa.Column("suggested", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approval_needed", sa.String(64), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("requested_by_name", sa.String(64), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=True),
        sa.Column("approver_name", sa.String(64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paperwork_due", sa.Date(), nullable=True),
        sa.Column("paperwork_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("voucher_number", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_prepayments_case_id_cases")),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], name=op.f("fk_prepayments_inquiry_id_inquiries")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_prepayments_person_id_persons")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_prepayments_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepayments")),
    )
    with op.batch_alter_table("prepayments") as batch:
        batch.create_index(batch.f("ix_prepayments_case_id"), ["case_id"])
        batch.create_index(batch.f("ix_prepayments_inquiry_id"), ["inquiry_id"])
        batch.create_index(batch.f("ix_prepayments_person_id"), ["person_id"])
        batch.create_index(batch.f("ix_prepayments_status"), ["status"])
        batch.create_index(batch.f("ix_prepayments_paid_on"), ["paid_on"])
        batch.create_index(batch.f("ix_prepayments_paperwork_due"), ["paperwork_due"])
        batch.create_index("ix_prepayments_person_cause", ["person_id", "cause", "paid_on"])
        batch.create_index("ix_prepayments_open_paperwork", ["paperwork_done_at", "paperwork_due"])
    op.create_table(
        "reserve_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(64), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),  # fen
        sa.Column("prepayment_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["prepayment_id"], ["prepayments.id"],
                                name=op.f("fk_reserve_entries_prepayment_id_prepayments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reserve_entries")),
    )
    with op.batch_alter_table("reserve_entries") as batch:
        batch.create_index(batch.f("ix_reserve_entries_prepayment_id"), ["prepayment_id"])
        batch.create_index("ix_reserve_entries_office_date", ["office", "entry_date", "id"])
        batch.create_index("ix_reserve_entries_office_id", ["office", "id"])
        batch.create_index("ix_reserve_entries_office_kind_date_amount", ["office", "kind", "entry_date", "amount"])


def downgrade() -> None:
    op.drop_table("reserve_entries")
    op.drop_table("prepayments")
