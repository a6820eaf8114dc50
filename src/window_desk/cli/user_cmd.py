"""``window-desk user add NAME --role ROLE [--password-stdin]`` and ``user list``."""

from __future__ import annotations

import argparse
import getpass
import sys

from window_desk.cli._common import cli_actor, emit_json, open_db, open_existing_db
from window_desk.errors import UserError
from window_desk.services import users
from window_desk.uow import UnitOfWork
from window_desk.vocab import ROLES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("user", help="用户与角色")
    user_sub = parser.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="添加用户（密码从提示或标准输入读取）")
    add.add_argument("name", metavar="NAME", help="登录用户名")
    add.add_argument("--role", required=True, choices=list(ROLES), help="clerk 窗口受理员 / supervisor 审核人 / admin 系统管理员")
    add.add_argument("--display-name", default="", help="显示姓名（默认同用户名）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（第一行）")
    add.set_defaults(func=run_add)
    lst = user_sub.add_parser("list", help="列出用户")
    lst.set_defaults(func=run_list)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError("标准输入中没有密码", field="--password-stdin")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError("不是交互终端：请用 --password-stdin 提供密码", field="--password-stdin")
    first = getpass.getpass("密码：")
    second = getpass.getpass("再输一次：")
    if first != second:
        raise UserError("两次输入的密码不一致", field="密码")
    return first


def run_add(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    users.check_password_rules(password)  # before opening (and maybe creating) the database
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor()) as uow:
            info = users.add_user(uow, args.name, args.role, password, args.display_name)
    finally:
        db.dispose()
    print(f"已添加用户 {info.username}({info.role_label})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = open_existing_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            for info in users.list_users(uow):
                emit_json({"username": info.username, "display_name": info.display_name, "role": info.role, "active": info.active})
    finally:
        db.dispose()
    return 0
