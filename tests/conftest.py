"""Shared test setup.

Qt aborts without a display, so the offscreen platform is set before anything
imports PySide6; every test gets its own data folder so nothing touches the
user's real database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]


def missing(why: str) -> None:
    """A test whose tool or server is absent: skipped on a developer's partial setup, but a failure
    under ``scripts/test.sh`` (README's test command and CI), which installs everything."""
    if os.environ.get("WINDOW_DESK_TEST_STRICT"):
        pytest.fail(f"{why} — scripts/test.sh requires it")
    pytest.skip(why)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WINDOW_DESK_HOME", str(home))
    monkeypatch.delenv("WINDOW_DESK_DB", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.sqlite3'}"


@pytest.fixture
def db(db_url: str) -> Iterator["object"]:
    from window_desk.db.engine import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def cli_actor() -> "object":
    from window_desk.actor import Actor

    return Actor.cli()


def run_cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> "object":
    """Run ``window-desk`` in a subprocess, as a user would; returns CompletedProcess."""
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "window_desk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=120,
    )


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database on the server named by WINDOW_DESK_TEST_PG (scripts/test.sh starts one)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("WINDOW_DESK_TEST_PG")
    if not base:
        missing("WINDOW_DESK_TEST_PG is not set (scripts/test.sh sets it where PostgreSQL is installed)")
    name = f"wd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
