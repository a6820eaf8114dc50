"""Alembic environment: always run programmatically by window_desk.db.engine."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from window_desk.db.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Developer use only: `alembic -x url=sqlite:///x.db revision --autogenerate`.
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///:memory:")
    engine = create_engine(url)
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
