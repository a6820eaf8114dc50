"""``window-desk inquiry import FILE [--channel C] [--mapping FILE]`` and
``inquiry list [--date D] [--open] [--overdue]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from window_desk.cli._common import cli_actor, emit_json, open_db
from window_desk.errors import UserError
from window_desk.services import inquiries, inquiry_import
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("inquiry", help="首问登记：热线工单导入、登记列表")
    inquiry_sub = parser.add_subparsers(dest="inquiry_command", metavar="ACTION", required=True)
    imp = inquiry_sub.add_parser("import", help="导入12345/12349热线工单（.xlsx 或 .csv）")
    imp.add_argument("file", metavar="FILE", help="平台导出的 .xlsx 或 .csv（UTF-8 或 GBK）")
    imp.add_argument("--channel", choices=list(inquiries.CHANNELS), default=None,
                     help="文件没有“渠道”列（或为空）时使用的渠道，如 phone_12345")
    imp.add_argument("--mapping", metavar="FILE", default=None,
                     help="表头对照 JSON，如 {\"文件中的表头\": \"工单号\"}")
    imp.set_defaults(func=run_import)
    lst = inquiry_sub.add_parser("list", help="列出首问登记，每行一个 JSON 对象（身份证号脱敏）")
    lst.add_argument("--date", metavar="D", default=None, help="只列这一天登记的（YYYY-MM-DD）")
    lst.add_argument("--open", action="store_true", help="只列未办结的")
    lst.add_argument("--overdue", action="store_true", help="只列逾期未办结的（急难超过时限、普通超过答复期限）")
    lst.set_defaults(func=run_list)


def run_import(args: argparse.Namespace) -> int:
    mapping = inquiry_import.load_mapping(args.mapping)
    inquiry_import.read_rows(args.file)  # refuse a non-spreadsheet before opening (and maybe creating) the database
    db = open_db(args)
    try:
        actor = cli_actor()
        summary = inquiry_import.import_file(lambda: UnitOfWork(db, actor), args.file, channel=args.channel,
                                             mapping=mapping)
    finally:
        db.dispose()
    for bad in summary.bad:
        print(f"window-desk inquiry import: {bad}", file=sys.stderr)
    emit_json(summary.to_json())
    return 0


def run_list(args: argparse.Namespace) -> int:
    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError as exc:
            raise UserError(f"“{args.date}”不是日期（YYYY-MM-DD）", field="--date") from exc
    flt = inquiries.InquiryFilter(status="open" if args.open or args.overdue else None, overdue_only=args.overdue,
                                  day=day)
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            after = None
            while True:
                rows = inquiries.find(uow, flt, after_id=after, limit=1000)
                for row in rows:
                    emit_json(row.to_json())
                if len(rows) < 1000:
                    break
                after = rows[-1].id
    finally:
        db.dispose()
    return 0
