"""Which database this desk uses: the local SQLite file, or a shared PostgreSQL server.

The choice belongs to the PC, not to any database, so it is kept in ``database.json`` in the data folder.
The password is never written there: it goes into the system keyring (``keyring``), or the administrator
keeps it in a ``.pgpass`` file that libpq reads itself. Order of precedence when the desk starts:
``--db``, then ``WINDOW_DESK_DB``, then this file, then the local SQLite file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from window_desk.errors import UserError
from window_desk.paths import data_dir

CONFIG_NAME = "database.json"
KEYRING_SERVICE = "window-desk"
SSLMODES = ("disable", "prefer", "require", "verify-ca", "verify-full")
PASSWORD_STORES = ("keyring", "pgpass")
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class ServerConfig:
    host: str
    port: int = 5432
    database: str = "window_desk"
    user: str = "window_desk"
    sslmode: str = "prefer"
    password_store: str = "keyring"  # or "pgpass"

    def url(self) -> str:
        """The SQLAlchemy URL, without the password (it is supplied at connect time)."""
        query = {"sslmode": self.sslmode, "connect_timeout": str(CONNECT_TIMEOUT_S)}
        if self.host.startswith("/"):
            query["host"] = self.host
            return URL.create("postgresql+psycopg", username=self.user, database=self.database,
                              query={**query, "port": str(self.port)}).render_as_string(hide_password=False)
        return URL.create("postgresql+psycopg", username=self.user, host=self.host, port=self.port,
                          database=self.database, query=query).render_as_string(hide_password=False)

    @property
    def keyring_user(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def describe(self) -> str:
        return f"PostgreSQL 服务器 {self.host}:{self.port},数据库 {self.database},用户 {self.user},TLS {self.sslmode}"


def check_config(raw: dict[str, Any]) -> ServerConfig:
    """A ServerConfig from what the administrator typed; UserError naming the field otherwise."""
    host = str(raw.get("host", "")).strip()
    if not host:
        raise UserError("请填写服务器地址", field="服务器")
    try:
        port = int(str(raw.get("port", "5432")).strip() or "5432")
    except ValueError as exc:
        raise UserError("端口应为 1–65535 的整数", field="端口") from exc
    if not 1 <= port <= 65535:
        raise UserError("端口应为 1–65535 的整数", field="端口")
    database = str(raw.get("database", "")).strip()
    if not database:
        raise UserError("请填写数据库名", field="数据库名")
    user = str(raw.get("user", "")).strip()
    if not user:
        raise UserError("请填写用户名", field="用户名")
    sslmode = str(raw.get("sslmode", "prefer"))
    if sslmode not in SSLMODES:
        raise UserError(f"TLS 模式应为 {'、'.join(SSLMODES)} 之一", field="TLS")
    store = str(raw.get("password_store", "keyring"))
    if store not in PASSWORD_STORES:
        raise UserError("密码保存方式应为系统钥匙串或 .pgpass", field="密码保存方式")
    return ServerConfig(host, port, database, user, sslmode, store)


def config_path() -> Path:
    return data_dir() / CONFIG_NAME


def load() -> ServerConfig | None:
    path = config_path()
    if not path.exists():
        return None
    try:
        return check_config(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UserError) as exc:
        raise UserError(f"数据库连接设置文件 {path} 有误:{exc}", field="数据库") from exc


def saved_url() -> str | None:
    cfg = load()
    return cfg.url() if cfg else None


def _keyring() -> Any:
    import keyring

    return keyring


def save(cfg: ServerConfig, password: str | None) -> Path:
    """Point this desk at ``cfg`` from its next start; the password into the keyring (if kept there)."""
    if cfg.password_store == "keyring" and password:
        try:
            _keyring().set_password(KEYRING_SERVICE, cfg.keyring_user, password)
        except Exception as exc:  # no usable keyring on this PC
            raise UserError(f"无法把密码存入系统钥匙串({type(exc).__name__}),请改用 .pgpass", field="密码保存方式") from exc
    path = config_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(cfg), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def use_local() -> None:
    """Back to the local SQLite file from the next start (the keyring entry is left for a later return)."""
    config_path().unlink(missing_ok=True)


def password_for(url: str) -> str | None:
    """The keyring password for a PostgreSQL URL that has none, when it is the server saved here."""
    parsed = make_url(url)
    if parsed.password or parsed.get_backend_name() != "postgresql":
        return None
    try:
        cfg = load()
    except UserError:
        return None
    if cfg is None or cfg.password_store != "keyring" or make_url(cfg.url()) != parsed:
        return None
    try:
        return _keyring().get_password(KEYRING_SERVICE, cfg.keyring_user)
    except Exception:
        return None



def describe(url: str) -> str:
    """What the desk is connected to, for the settings page (never the password)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"本机数据库（SQLite）：{parsed.database}"
    host = parsed.host or parsed.query.get("host", "")
    port = parsed.port or parsed.query.get("port", 5432)
    sslmode = parsed.query.get("sslmode", "默认")
    return f"PostgreSQL 服务器 {host}:{port},数据库 {parsed.database},用户 {parsed.username},TLS {sslmode}"


def default_db_url() -> str:
    """``WINDOW_DESK_DB`` if set, else the server saved in 设置 → 数据库, else the SQLite file in the data folder."""
    import os

    from window_desk.paths import default_db_path

    env = os.environ.get("WINDOW_DESK_DB")
    if env:
        return env
    if (data_dir() / "database.json").exists():
        url = saved_url()
        if url:
            return url
    return f"sqlite:///{default_db_path()}"
