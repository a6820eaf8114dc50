"""Pointing a desk at a server: the saved choice, the password in the keyring (never in the file)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy.engine import make_url

from tests.conftest import missing
from window_desk.errors import UserError
from window_desk.db import config as dbconfig
from window_desk.db import connection_check
from window_desk.db.config import default_db_url


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def test_saved_server_is_used_and_the_password_stays_in_the_keyring(memory_keyring, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert default_db_url().startswith("sqlite:///")
    cfg = dbconfig.check_config({"host": "10.1.2.3", "port": "6543", "database": "county", "user": "desk1",
                                 "sslmode": "require", "password_store": "keyring"})
    path = dbconfig.save(cfg, "s3cret-pw")
    assert "s3cret-pw" not in path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["host"] == "10.1.2.3"
    assert memory_keyring.items == {("window-desk", "desk1@10.1.2.3:6543/county"): "s3cret-pw"}
    url = default_db_url()
    parsed = make_url(url)
    assert (parsed.host, parsed.port, parsed.database, parsed.username, parsed.password) == \
        ("10.1.2.3", 6543, "county", "desk1", None)
    assert parsed.query["sslmode"] == "require"
    assert dbconfig.password_for(url) == "s3cret-pw"
    assert dbconfig.password_for(url.replace("county", "other")) is None  # only for the saved server
    # WINDOW_DESK_DB (and --db) still win.
    monkeypatch.setenv("WINDOW_DESK_DB", "sqlite:////tmp/x.sqlite3")
    assert default_db_url() == "sqlite:////tmp/x.sqlite3"
    monkeypatch.delenv("WINDOW_DESK_DB")
    dbconfig.use_local()
    assert default_db_url().startswith("sqlite:///")


def test_pgpass_keeps_no_password_here(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    cfg = dbconfig.check_config({"host": "db.county", "database": "wd", "user": "u", "password_store": "pgpass"})
    dbconfig.save(cfg, "ignored")
    assert memory_keyring.items == {}
    assert dbconfig.password_for(default_db_url()) is None


@pytest.mark.parametrize(("change", "field"), [
    ({"host": " "}, "服务器"), ({"port": "abc"}, "端口"), ({"port": "70000"}, "端口"), ({"database": ""}, "数据库名"),
    ({"user": ""}, "用户名"), ({"sslmode": "maybe"}, "TLS"),
])
def test_bad_settings_name_the_field(change: dict[str, str], field: str) -> None:
    raw = {"host": "h", "port": "5432", "database": "d", "user": "u", "sslmode": "prefer", **change}
    with pytest.raises(UserError) as info:
        dbconfig.check_config(raw)
    assert info.value.field == field


def test_a_broken_settings_file_is_a_clear_error(_isolated_home: Path) -> None:
    (_isolated_home / "database.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="数据库连接设置文件"):
        default_db_url()


def _pg_config() -> dbconfig.ServerConfig:
    base = os.environ.get("WINDOW_DESK_TEST_PG")
    if not base:
        missing("WINDOW_DESK_TEST_PG is not set (scripts/test.sh sets it where PostgreSQL is installed)")
    url = make_url(base)
    return dbconfig.ServerConfig(host=url.query["host"], port=int(url.query["port"]), database=url.database or "",
                                 user=url.username or "", sslmode="disable", password_store="pgpass")


@pytest.mark.postgres
def test_test_connection_reports_in_chinese() -> None:
    good = connection_check.test_connection(_pg_config(), None)
    assert good.ok and good.message.startswith("连接成功(PostgreSQL ")
    cfg = _pg_config()
    bad = connection_check.test_connection(dbconfig.ServerConfig("127.0.0.1", 1, cfg.database, cfg.user, "disable"), None)
    assert not bad.ok and bad.message.startswith("连接失败:")
