"""A database as the first release (migration 0001) left it, holding one case: the chroot install test
upgrades over it to check that an installed desk migrates older data and loses none.

    .venv/bin/python installer/deb/make_old_db.py OUT.sqlite3
"""

from __future__ import annotations

import sys

from alembic import command
from sqlalchemy import create_engine, text

from window_desk.db.engine import _alembic_config


def main(path: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(text("INSERT INTO persons (id, id_number, name, name_initials, created_at, created_by) "
                          "VALUES (1, '110105198603150032', '王䶮', 'wy', '2026-01-02 03:04:05+00:00', 't')"))
        conn.execute(text("INSERT INTO households (id, area, address, phone, housing, current_benefits, events, "
                          "deposits, non_essential_vehicles, extra_houses, rigid_medical, rigid_education, rigid_care, "
                          "rigid_housing, created_at, created_by) VALUES (1, 'urban', '幸福路1号', '', 'adequate', '[]', "
                          "'[]', 0, 0, 0, 0, 0, 0, 0, '2026-01-02 03:04:05+00:00', 't')"))
        conn.execute(text("INSERT INTO cases (id, number, office, household_id, applicant_person_id, application_date, "
                          "matter, urgent, status, decision_reason, created_at, created_by) VALUES (1, '示范镇-2026-00001', "
                          "'示范镇', 1, 1, '2026-01-02', '申请低保', 0, 'accepted', '', '2026-01-02 03:04:05+00:00', 't')"))
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
