"""register at scale: a surname index in page order, the chasing summary from one index, no duplicate
single-column indexes on the cases' sort keys

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:10:00

``case_name_keys`` is filled from the existing cases, members and persons (nothing is rewritten);
the dropped indexes are each the leading column of a (column, id) index that stays.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SINGLE = {"ix_cases_application_date": "application_date", "ix_cases_status": "status", "ix_cases_tier": "tier",
          "ix_cases_deadline": "deadline"}


def upgrade() -> None:
    op.create_table(
        "case_name_keys",
        sa.Column("name_first", sa.String(length=2), nullable=False),
        sa.Column("application_date", sa.Date(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_name_keys_case_id_cases")),
        sa.PrimaryKeyConstraint("name_first", "application_date", "case_id", name=op.f("pk_case_name_keys")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO case_name_keys (name_first, application_date, case_id) "
        "SELECT DISTINCT substr(p.name, 1, 1), c.application_date, c.id FROM cases c "
        "JOIN members m ON m.household_id = c.household_id JOIN persons p ON p.id = m.person_id "
        "WHERE p.name <> ''"
    )
    with op.batch_alter_table("cases") as batch:
        for name in SINGLE:
            batch.drop_index(name)
    with op.batch_alter_table("referrals") as batch:
        batch.drop_index("ix_referrals_department_status")
        batch.create_index("ix_referrals_department_status_due", ["department", "status", "due_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_index("ix_referrals_department_status_due")
        batch.create_index("ix_referrals_department_status", ["department", "status"], unique=False)
    with op.batch_alter_table("cases") as batch:
        for name, column in SINGLE.items():
            batch.create_index(name, [column], unique=False)
    op.drop_table("case_name_keys")
