from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, db_url: str) -> Iterator[str]:
    """One database that several desk processes share: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield db_url
    else:
        yield request.getfixturevalue("pg_url")
