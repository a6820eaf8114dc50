"""``window-desk backup OUT`` and ``window-desk restore FILE [--force]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from window_desk.cli._common import cli_actor, db_url, open_db
from window_desk.services import backup as backup_service


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    b = sub.add_parser("backup", help="在程序运行时生成数据库的一致性备份")
    b.add_argument("out", metavar="OUT", help="备份文件路径")
    b.add_argument("--force", action="store_true", help="覆盖已存在的备份文件")
    b.set_defaults(func=run_backup)
    r = sub.add_parser("restore", help="用备份文件恢复数据库（覆盖现有数据库须加 --force）")
    r.add_argument("file", metavar="FILE", help="备份文件")
    r.add_argument("--force", action="store_true", help="确认覆盖现有数据库（覆盖前自动另存一份）")
    r.set_defaults(func=run_restore)


def _sqlite_path(args: argparse.Namespace) -> Path | None:
    url = make_url(db_url(args))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def run_backup(args: argparse.Namespace) -> int:
    # Opening first migrates the database, so the copy is of the current schema.
    open_db(args).dispose()
    result = backup_service.backup(_sqlite_path(args), Path(args.out), overwrite=args.force)
    print(f"已备份到 {result.path}（{result.size:,} 字节，审计记录 {result.audit_entries} 条）")
    if result.anchor:
        print(f"审计链头：{result.anchor}（已写入 {result.manifest}；请抄录或打印保存，日后可用 audit verify --anchor 核对）")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    result, safety = backup_service.restore(Path(args.file), _sqlite_path(args), cli_actor(), force=args.force)
    if safety:
        print(f"原数据库已另存为 {safety}")
    print(f"已从 {args.file} 恢复到 {result.path}（审计记录 {result.audit_entries} 条）")
    return 0
