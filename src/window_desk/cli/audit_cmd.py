"""``window-desk audit verify [--anchor N:HASH]``, ``audit head``, ``audit key-init``."""

from __future__ import annotations

import argparse
import sys

from window_desk import audit
from window_desk.actor import Actor
from window_desk.cli._common import open_existing_db
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("audit", help="防篡改审计日志")
    audit_sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="校验审计哈希链；发现问题时退出码为 1 并指出第一条有问题的记录")
    verify.add_argument("--anchor", metavar="N:HASH", action="append", default=[],
                        help="此前抄录的链头（签字的每日台账或备份清单上印有），校验历史未被删改；可给多个")
    verify.set_defaults(func=run_verify)
    head = audit_sub.add_parser("head", help="显示当前链头（条目号：哈希），供抄录为锚点")
    head.set_defaults(func=run_head)
    key = audit_sub.add_parser("key-init", help="生成审计密钥文件（仅本用户可读）；此后每条记录附带密钥签名")
    key.set_defaults(func=run_key_init)


def run_verify(args: argparse.Namespace) -> int:
    anchors = [audit.Anchor.parse(text) for text in args.anchor]
    key = audit.load_key()
    db = open_existing_db(args)
    try:
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            results = [audit.verify(uow.session, anchor=a, key=key) for a in anchors] or [
                audit.verify(uow.session, key=key)]
    finally:
        db.dispose()
    for result in results:
        if not result.ok:
            print(audit.describe_failure(result), file=sys.stderr)
            return 1
    result = results[0]
    extra = f",{result.macs_checked} 条密钥签名核对无误" if result.macs_checked else ""
    extra += f"，与 {len(anchors)} 个锚点一致" if anchors else ""
    print(f"审计日志完好：共 {result.checked} 条记录，哈希链校验通过{extra}")
    for note in dict.fromkeys(r.note for r in results if r.note):
        print(note)
    return 0


def run_head(args: argparse.Namespace) -> int:
    db = open_existing_db(args)
    try:
        with UnitOfWork(db, Actor.cli(), write=False) as uow:
            tip = audit.head(uow.session)
    finally:
        db.dispose()
    print(str(tip) if tip else "审计日志为空")
    return 0


def run_key_init(args: argparse.Namespace) -> int:
    path = audit.create_key()
    print(f"已生成审计密钥文件 {path}（仅本用户可读）。请另行备份此文件：没有它，无法校验此后记录的签名。")
    return 0
