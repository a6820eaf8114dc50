"""Backup and restore of the embedded SQLite database.

SQLite's online backup API copies a consistent snapshot page by page while
the desk may be writing, so a backup never needs the desk closed.
PostgreSQL deployments use the server's own tools (pg_dump).
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from window_desk import audit
from window_desk.actor import Actor
from window_desk.db.engine import known_revisions, open_database
from window_desk.errors import Conflict, UserError
from window_desk.uow import UnitOfWork
from window_desk.timeutil import now

_PAGES_PER_STEP = 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    revision: str
    audit_entries: int
    anchor: str = ""  # the chain head "N:HASH" at the time of the copy
    manifest: Path | None = None


def _chain_of(path: Path) -> tuple[audit.VerifyResult, audit.Anchor | None]:
    """Verify the audit chain of a database file without touching it: on a scratch copy, migrated."""
    with tempfile.TemporaryDirectory(prefix="wd-verify-") as tmp:
        scratch = Path(tmp) / "copy.sqlite3"
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(scratch)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        db = open_database(f"sqlite:///{scratch}")
        try:
            with UnitOfWork(db, Actor.cli(), write=False) as uow:
                return audit.verify(uow.session, key=audit.load_key()), audit.head(uow.session)
        finally:
            db.dispose()


def _head_of(path: Path) -> audit.Anchor | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    finally:
        conn.close()
    return audit.Anchor(int(row[0]), str(row[1])) if row and row[0] else None


def _write_manifest(result: BackupResult, digest: str) -> Path:
    """The paper trail of a backup: when, what, and the chain head to check the database against later."""
    manifest = result.path.with_name(result.path.name + ".manifest.txt")
    manifest.write_text(
        "window-desk 数据库备份清单\n"
        f"备份文件:{result.path.name}\n"
        f"备份时间:{now().strftime('%Y-%m-%d %H:%M:%S')}\n"
        f"数据库版本:{result.revision}\n"
        f"审计记录:{result.audit_entries} 条\n"
        f"审计链头:{result.anchor or '(空)'}\n"
        f"文件 SHA-256:{digest}\n"
        f"核对方法:window-desk audit verify --anchor {result.anchor or 'N:HASH'}\n",
        encoding="utf-8",
    )
    return manifest


def _require_sqlite_path(db_path: Path | None) -> Path:
    if db_path is None:
        raise UserError("只能备份 SQLite 数据库文件;PostgreSQL 请使用 pg_dump / pg_restore", field="--db")
    return db_path


def _inspect(path: Path, field: str) -> tuple[str, int]:
    """(alembic revision, audit entries) of a window-desk database file, or UserError."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"无法打开 {path}: {exc}", field=field) from exc
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise UserError(f"{path} 已损坏 (quick_check: {check[0] if check else '无结果'})", field=field)
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        entries = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path} 不是 window-desk 的数据库: {exc}", field=field) from exc
    finally:
        conn.close()
    if not revision:
        raise UserError(f"{path} 不是 window-desk 的数据库(没有版本记录)", field=field)
    return str(revision[0]), int(entries[0])


def backup(db_path: Path | None, out: Path, *, overwrite: bool = False) -> BackupResult:
    source_path = _require_sqlite_path(db_path)
    if not source_path.exists():
        raise UserError(f"数据库文件不存在: {source_path}", field="--db")
    out = out.expanduser()
    if out.resolve() == source_path.resolve():
        raise UserError("备份文件不能是数据库本身", field="OUT")
    if out.exists() and not overwrite:
        raise Conflict(f"{out} 已存在;要覆盖请加 --force", field="OUT")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source_path, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=_PAGES_PER_STEP)
        # The copy is a single file: no -wal beside it to lose.
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()
    revision, entries = _inspect(partial, "OUT")
    tip = _head_of(partial)  # the head only: verifying a whole county's chain belongs to audit verify
    partial.replace(out)
    result = BackupResult(out, out.stat().st_size, revision, entries, str(tip) if tip else "")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    return replace(result, manifest=_write_manifest(result, digest))


def restore(backup_file: Path, db_path: Path | None, actor: Actor, *, force: bool = False) -> tuple[BackupResult, Path | None]:
    """Put a backup back. Refuses to overwrite an existing database without ``force``;
    with it, the database being replaced is first saved beside itself.

    Returns the restored database and the safety copy (if one was made).
    """
    target = _require_sqlite_path(db_path)
    backup_file = backup_file.expanduser()
    if not backup_file.exists():
        raise UserError(f"备份文件不存在: {backup_file}", field="FILE")
    revision, entries = _inspect(backup_file, "FILE")
    if revision not in known_revisions():
        raise UserError(f"备份由更新版本的 window-desk 生成(数据库版本 {revision}),请先升级本程序", field="FILE")
    chain, _ = _chain_of(backup_file)
    if not chain.ok and not force:
        raise UserError(f"备份文件的审计链已损坏,拒绝恢复:{audit.describe_failure(chain)};"
                        "确需恢复(例如只剩这一份备份)请加 --force", field="FILE")
    safety: Path | None = None
    if target.exists():
        if not force:
            raise Conflict(f"数据库 {target} 已存在;恢复会覆盖它,确认请加 --force", field="--db")
        safety = target.with_name(f"{target.stem}.before-restore-{now().strftime('%Y%m%d-%H%M%S')}{target.suffix}")
        backup(target, safety)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # Copying through the backup API (not a file copy) keeps other
        # connections and the -wal file consistent.
        src.backup(dst, pages=_PAGES_PER_STEP)
    finally:
        dst.close()
        src.close()
    # Migrate an older backup now and leave a trace of the restore in its own chain.
    db = open_database(f"sqlite:///{target}")
    try:
        with UnitOfWork(db, actor) as uow:
            uow.audit("database.restore", "database", target.name, {"from": str(backup_file), "safety_copy": str(safety or "")})
            uow.commit()
    finally:
        db.dispose()
    return BackupResult(target, target.stat().st_size, revision, entries), safety
