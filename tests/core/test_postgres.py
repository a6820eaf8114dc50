"""The same models, migrations and services on PostgreSQL (shared deployments)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.conftest import run_cli
from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.engine import open_database
from window_desk.db.models import Base, Household
from window_desk.services import users
from window_desk.uow import UnitOfWork

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url: str):  # type: ignore[no-untyped-def]
    database = open_database(pg_url)
    yield database
    database.dispose()


def test_migrations_apply_and_match_the_models(pg) -> None:  # type: ignore[no-untyped-def]
    assert pg.engine.dialect.name == "postgresql"
    with pg.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_money_and_times_round_trip(pg) -> None:  # type: ignore[no-untyped-def]
    moment = datetime(2026, 6, 30, 23, 59, 59, 123456, tzinfo=timezone.utc)
    with UnitOfWork(pg, Actor.cli()) as uow:
        household = Household(area="rural", deposits=Decimal("99999999.99"), created_at=moment, created_by="t")
        uow.session.add(household)
        uow.commit()
        hid = household.id
    with UnitOfWork(pg, Actor.cli(), write=False) as uow:
        back = uow.session.get(Household, hid)
        assert back is not None and back.deposits == Decimal("99999999.99") and back.created_at == moment


def test_users_and_audit_chain(pg) -> None:  # type: ignore[no-untyped-def]
    with UnitOfWork(pg, Actor.cli()) as uow:
        admin = users.add_user(uow, "admin", "admin", "pg-password-1")
    with UnitOfWork(pg, Actor(label="login", role="")) as uow:
        assert users.authenticate(uow, "admin", "pg-password-1").id == admin.id
    with UnitOfWork(pg, Actor.cli(), write=False) as uow:
        result = audit.verify(uow.session)
    assert result.ok and result.checked == 2


def test_concurrent_writers_keep_one_chain(pg) -> None:  # type: ignore[no-untyped-def]
    """Several windows appending at once: the head row lock serialises them."""
    def worker(n: int) -> None:
        for i in range(15):
            with UnitOfWork(pg, Actor(label=f"window{n}", role="clerk")) as uow:
                uow.audit("test.write", "thing", f"{n}-{i}", {"i": i})
                uow.commit()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with UnitOfWork(pg, Actor.cli(), write=False) as uow:
        result = audit.verify(uow.session)
    assert result.ok and result.checked == 60


def test_cli_on_postgres(pg_url: str, pg) -> None:  # type: ignore[no-untyped-def]
    add = run_cli("--db", pg_url, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin="pg-password-1\n")
    assert add.returncode == 0, add.stderr
    verify = run_cli("--db", pg_url, "audit", "verify")
    assert verify.returncode == 0 and "1 条" in verify.stdout
