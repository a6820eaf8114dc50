"""``window-desk register find QUERY [--limit N]``"""

from __future__ import annotations

import argparse

from window_desk.cli._common import cli_actor, emit_json, open_db
from window_desk.services.register import CaseFilter, find_cases
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("register", help="个案台账")
    reg_sub = parser.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    find = reg_sub.add_parser("find", help="按身份证号、姓名开头或拼音首字母查找个案(最新的在前,号码打码)")
    find.add_argument("query", metavar="QUERY")
    find.add_argument("--limit", type=int, default=50, help="最多输出条数(默认50)")
    find.set_defaults(func=run_find)


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
