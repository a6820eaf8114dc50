"""What SQL a piece of service code runs, for the query-plan tests (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event


def select_statements(db: Any, fn: Callable[[], object]) -> list[tuple[str, Any]]:
    """Every SELECT ``fn`` runs on ``db``'s engine, with its parameters, in order."""
    seen: list[tuple[str, Any]] = []

    def grab(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    return [(s, p) for s, p in seen if s.lstrip().upper().startswith("SELECT")]


def sqlite_plans(db: Any, fn: Callable[[], object]) -> list[tuple[str, str]]:
    """(statement, SQLite's EXPLAIN QUERY PLAN of it) for every SELECT ``fn`` runs."""
    statements = select_statements(db, fn)
    out = []
    with db.engine.connect() as conn:
        for statement, params in statements:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
            out.append((statement, "\n".join(r[-1] for r in rows)))
    return out
