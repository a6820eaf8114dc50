"""``window-desk audit verify``"""

from __future__ import annotations

import argparse
import sys

from window_desk import audit
from window_desk.actor import Actor
from window_desk.cli._common import open_db
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("audit", help="防篡改审计日志")
    audit_sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="校验审计哈希链;发现问题时退出码为 1 并指出第一条有问题的记录")
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            result = audit.verify(uow.session)
    finally:
        db.dispose()
    if result.ok:
        print(f"审计日志完好:共 {result.checked} 条记录,哈希链校验通过")
        return 0
    print(f"审计日志校验失败:第 {result.bad_entry} 条 — {result.problem}(此前 {result.checked} 条完好)", file=sys.stderr)
    return 1
