"""Opening a database: engine setup, the version check and automatic migration.

This is the only module that knows SQLite from PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from window_desk.errors import DatabaseVersionError, UserError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Database:
    """An opened, migrated database: the engine and its session factory."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        name = self.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    def dispose(self) -> None:
        self.engine.dispose()


def _setup_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own
        # implicit transactions would defer the write lock and can deadlock).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # Writers take the write lock up front, so two windows appending to the
        # audit chain queue behind the busy timeout instead of failing half-way.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def compact_json(value: object) -> str:
    """JSON columns as UTF-8 text without spaces (a Chinese character is 3 bytes, not a 6-byte escape)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def create_db_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"数据库地址无效: {url}", field="--db") from exc
    try:
        backend = parsed.get_backend_name()
        parsed.get_dialect()
    except NoSuchModuleError as exc:
        raise UserError(f"不支持的数据库类型: {parsed.drivername}", field="--db") from exc
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # The desk runs queries on worker threads; the pool hands each connection to one thread at a time.
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                               json_serializer=compact_json)
        _setup_sqlite(engine)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, json_serializer=compact_json)
    except NoSuchModuleError as exc:
        raise UserError(f"不支持的数据库类型: {parsed.drivername}", field="--db") from exc
    except ModuleNotFoundError as exc:
        raise UserError(f"缺少数据库驱动 {exc.name}: 请安装 window-desk[postgres]", field="--db") from exc


def _alembic_config(engine_connection=None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine_connection is not None:
        cfg.attributes["connection"] = engine_connection
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def head_revision_from_files() -> str:
    """The newest revision, read from the migration file names (``NNNN_description.py``, revision ``NNNN``).

    A test checks that this agrees with Alembic's own reading of the scripts.
    """
    names = sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1] if names else ""


def _current_revision(engine: Engine) -> str | None:
    """The database's revision when it has exactly one, else None (empty, new or odd: take the full path)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def check_and_migrate(engine: Engine) -> str:
    """Bring the schema to the newest revision; refuse a database from a newer version.

    Returns the revision the database is at afterwards.
    """
    # Fast path for every start but the first after an upgrade: the database is already at head,
    # which one query shows without loading Alembic and parsing every migration script (~0.15 s).
    head = head_revision_from_files()
    if head and _current_revision(engine) == head:
        return head
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
            tables = set(inspect(conn).get_table_names())
    except DBAPIError as exc:
        raise UserError(f"无法打开数据库: {exc.orig}", field="--db") from exc
    if not current and tables - {"alembic_version"}:
        raise DatabaseVersionError("这不是 window-desk 的数据库(没有版本记录),为防止损坏数据,拒绝打开", field="--db")
    unknown = [rev for rev in current if rev not in known]
    if unknown:
        raise DatabaseVersionError(
            f"数据库由更新版本的 window-desk 创建(数据库版本 {', '.join(unknown)}),请先升级本程序再打开",
            field="--db",
        )
    if tuple(current) != (head,):
        log.info("migrating database from %s to %s", current, head)
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    return head or ""


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (and create or migrate, if needed) the database at ``url``."""
    engine = create_db_engine(url)
    try:
        if migrate:
            check_and_migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    return Database(url=url, engine=engine, session_factory=factory)
