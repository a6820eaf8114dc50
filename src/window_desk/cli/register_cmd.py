"""``window-desk register find QUERY [--limit N]``"""

from __future__ import annotations

import argparse

from window_desk.cli._common import cli_actor, emit_json, open_db
from window_desk.services.register import CaseFilter, find_cases
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("register", help="个案台账")
    reg_sub = parser.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    find = reg_sub.add_parser("find", help="按身份证号、姓名开头或拼音首字母查找个案（最新的在前，号码打码）")
    find.add_argument("query", metavar="QUERY")
    find.add_argument("--limit", type=int, default=50, help="最多输出条数（默认50）")
    find.set_defaults(func=run_find)
    register_export(reg_sub)


def run_find(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            rows = find_cases(uow, CaseFilter(query=args.query), limit=args.limit)
    finally:
        db.dispose()
    for row in rows:
        emit_json(row.to_json())
    return 0


# --- register export (daily register of one day) ---


def register_export(reg_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = reg_sub.add_parser("export", help="导出某一天的每日台账（.xlsx 或 .pdf）")
    export.add_argument("--date", required=True, metavar="DAY", help="台账日期 YYYY-MM-DD")
    export.add_argument("--out", required=True, metavar="OUT", help="输出文件，以 .xlsx 或 .pdf 结尾")
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from window_desk.services import daily, register_export

    day = daily.parse_day(args.date, "--date")
    register_export.export_format(args.out)  # bad suffix: exit 2 before the database is opened
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            rows = register_export.export_day(uow, day, args.out)
    finally:
        db.dispose()
    print(f"已导出 {day.isoformat()} 的每日台账：{rows} 行 → {args.out}")
    return 0
