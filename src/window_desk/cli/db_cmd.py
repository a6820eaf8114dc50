"""``window-desk db status`` / ``db upgrade`` / ``db copy --from URL --to URL``"""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from window_desk.cli._common import db_url, emit_json
from window_desk.db.engine import check_and_migrate, create_db_engine, schema_status


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("db", help="数据库：版本、升级、迁移到共享服务器")
    db_sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    status = db_sub.add_parser("status", help="显示数据库地址与结构版本；需要升级时退出码为 1")
    status.add_argument("--json", action="store_true", help="输出一行 JSON")
    status.set_defaults(func=run_status)
    upgrade = db_sub.add_parser("upgrade", help="把数据库结构升级到本程序的版本（共享服务器请在各窗口升级前执行）")
    upgrade.set_defaults(func=run_upgrade)
    copy = db_sub.add_parser("copy", help="把一个数据库完整复制到另一个（空的）数据库，并核对审计链")
    copy.add_argument("--from", dest="source", metavar="URL", help="源数据库地址；默认为 --db 或本机数据库")
    copy.add_argument("--to", dest="target", metavar="URL", required=True, help="目标数据库地址（须为空）")
    copy.set_defaults(func=run_copy)


def shown_url(url: str) -> str:
    """The URL with any password masked (for screens and logs)."""
    return make_url(url).render_as_string(hide_password=True)


def run_status(args: argparse.Namespace) -> int:
    url = db_url(args)
    engine = create_db_engine(url)
    try:
        status = schema_status(engine)
    finally:
        engine.dispose()
    if args.json:
        emit_json({"url": shown_url(url), "backend": make_url(url).get_backend_name(), "current": list(status.current),
                   "head": status.head, "state": status.state, "message": status.message})
    else:
        print(f"数据库：{shown_url(url)}")
        print(f"数据库版本：{', '.join(status.current) or '（无）'}；本程序版本：{status.head}")
        print(status.message)
    return 0 if status.state == "current" else 1


def run_upgrade(args: argparse.Namespace) -> int:
    url = db_url(args)
    engine = create_db_engine(url)
    try:
        before = schema_status(engine)
        after = check_and_migrate(engine)
    finally:
        engine.dispose()
    if before.current == (after,):
        print(f"数据库已是最新版本 {after}，无需升级")
    else:
        print(f"数据库已从 {', '.join(before.current) or '空'} 升级到 {after}")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from window_desk.services.dbcopy import copy_database

    source = args.source or db_url(args)
    result = copy_database(source, args.target)
    print(f"已把 {shown_url(source)} 复制到 {shown_url(args.target)}：共 {result.total_rows} 行，"
          f"审计日志 {result.audit_entries} 条，逐表核对一致，哈希链校验通过")
    return 0
