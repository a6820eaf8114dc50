"""Opening a database: engine setup, the version check and automatic migration.

This is the only module that knows SQLite from PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
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
    connect_args = {}
    from window_desk.db.config import password_for

    password = password_for(url)  # the server chosen in settings, its password in the system keyring
    if password:
        connect_args["password"] = password
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, json_serializer=compact_json)
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


# Two desks opening an empty or just-upgraded shared database at once: one migrates, the other waits on
# this lock and then finds the schema at head. The key is arbitrary but fixed ("wdsk" in ASCII).
MIGRATION_LOCK_KEY = 0x7764736B


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the migration lock until it ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: ``BEGIN IMMEDIATE`` (the write lock up front;
    a deferred transaction would fail with "database is locked" when two desks upgrade at once).
    """
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            conn.execution_options(write=True)  # the "begin" hook then emits BEGIN IMMEDIATE
            # A batch migration rebuilds a table (copy, drop, rename); with foreign keys enforced, dropping
            # a table others refer to fails. SQLite's own procedure: off outside the transaction, then
            # foreign_key_check before commit, so a migration cannot leave a dangling reference.
            _pragma(conn, "foreign_keys = OFF")  # on the driver: SQLAlchemy would begin a transaction
        try:
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                yield conn
                if sqlite:
                    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if dangling is not None:
                        raise UserError(f"数据库升级后有无效的关联(表 {dangling[0]}),已撤销升级", field="--db")
        finally:
            if sqlite:
                _pragma(conn, "foreign_keys = ON")


def _pragma(conn: Connection, statement: str) -> None:
    cur = conn.connection.cursor()
    try:
        cur.execute(f"PRAGMA {statement}")
    finally:
        cur.close()


def _check_revisions(current: tuple[str, ...], tables: set[str], known: set[str], head: str | None) -> None:
    if not current and tables - {"alembic_version"}:
        raise DatabaseVersionError("这不是 window-desk 的数据库(没有版本记录),为防止损坏数据,拒绝打开", field="--db")
    unknown = [rev for rev in current if rev not in known]
    if unknown:
        raise DatabaseVersionError(
            f"数据库由更新版本的 window-desk 升级过(数据库版本 {', '.join(unknown)},本程序最高支持 {head}),"
            "请先把本窗口的程序升级到与数据库相同的版本再打开",
            field="--db",
        )


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's schema stands against this program's migrations."""

    current: tuple[str, ...]
    head: str
    state: str  # "empty" | "current" | "behind" | "newer" | "foreign"

    @property
    def message(self) -> str:
        return {
            "empty": "空数据库,首次打开时将建立表结构",
            "current": "数据库结构为最新版本",
            "behind": "数据库结构较旧,需要升级(window-desk db upgrade,或由第一个打开的窗口自动升级)",
            "newer": "数据库由更新版本的 window-desk 升级过,本程序不能打开,请先升级本程序",
            "foreign": "这不是 window-desk 的数据库",
        }[self.state]


def schema_status(engine: Engine) -> SchemaStatus:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head() or ""
    known = {rev.revision for rev in script.walk_revisions()}
    try:
        with engine.connect() as conn:
            current = tuple(MigrationContext.configure(conn).get_current_heads())
            tables = set(inspect(conn).get_table_names())
    except DBAPIError as exc:
        raise UserError(f"无法打开数据库: {exc.orig}", field="--db") from exc
    if not current:
        state = "foreign" if tables - {"alembic_version"} else "empty"
    elif any(rev not in known for rev in current):
        state = "newer"
    elif current == (head,):
        state = "current"
    else:
        state = "behind"
    return SchemaStatus(current, head, state)


def check_and_migrate(engine: Engine) -> str:
    """Bring the schema to the newest revision; refuse a database from a newer version.

    Returns the revision the database is at afterwards. Safe when several desks open the same database at
    once: the check and the upgrade run under the migration lock, so exactly one of them migrates.
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
        with _migration_transaction(engine) as conn:
            # Read again under the lock: another desk may have migrated while this one waited.
            current = tuple(MigrationContext.configure(conn).get_current_heads())
            tables = set(inspect(conn).get_table_names())
            _check_revisions(current, tables, known, head)
            if current != (head,):
                log.info("migrating database from %s to %s", current, head)
                command.upgrade(_alembic_config(conn), "head")
    except DBAPIError as exc:
        raise UserError(f"无法打开数据库: {exc.orig}", field="--db") from exc
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
