"""``window-desk reserve report --from DAY --to DAY --out OUT`` (and ``balance``, ``allocate``)."""

from __future__ import annotations

import argparse
from datetime import date

from window_desk.cli._common import cli_actor, emit_json, open_db
from window_desk.errors import UserError
from window_desk.money import fmt
from window_desk.services import reserve, reserve_report, settings
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("reserve", help="临时救助备用金")
    res_sub = parser.add_subparsers(dest="reserve_command", metavar="ACTION", required=True)
    report = res_sub.add_parser("report", help="一段期间的备用金收支明细（期初、期末余额），.xlsx 或 .pdf")
    report.add_argument("--from", dest="start", required=True, metavar="DAY", help="开始日期 YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="DAY", help="结束日期 YYYY-MM-DD")
    report.add_argument("--out", required=True, metavar="OUT", help="输出文件（.xlsx 或 .pdf）")
    report.set_defaults(func=run_report)
    bal = res_sub.add_parser("balance", help="当前余额（JSON）")
    bal.set_defaults(func=run_balance)
    alloc = res_sub.add_parser("allocate", help="录入一笔备用金拨入（以命令行用户身份记入审计）")
    alloc.add_argument("amount", metavar="AMOUNT", help="金额（元）")
    alloc.add_argument("--note", required=True, help="拨款来源或文号")
    alloc.add_argument("--date", dest="day", metavar="DAY", help="拨入日期（默认今天）")
    alloc.set_defaults(func=run_allocate)


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"不是有效的日期（应为 YYYY-MM-DD）：{text}", field=field) from None


def run_report(args: argparse.Namespace) -> int:
    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    out = str(args.out)
    kind = out.rsplit(".", 1)[-1].lower() if "." in out else ""
    if kind not in ("xlsx", "pdf"):
        raise UserError("输出文件应以 .xlsx 或 .pdf 结尾", field="--out")
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            ledger = reserve.ledger(uow, start, end)
            office_full = str(settings.get(uow, "office_full_name"))
            fonts = settings.get(uow, "font_dir") or None
    finally:
        db.dispose()
    data = reserve_report.render(ledger, kind, office_full, fonts=fonts)
    reserve_report.write(out, data)
    print(f"已生成备用金明细（{len(ledger.lines)} 笔，期初 {fmt(ledger.opening)} 元，期末 {fmt(ledger.closing)} 元）：{out}")
    return 0


def run_balance(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            st = reserve.status(uow)
    finally:
        db.dispose()
    emit_json({"office": st.office, "balance": fmt(st.balance), "threshold": fmt(st.threshold), "low": st.low,
               "pending": st.pending})
    return 0


def run_allocate(args: argparse.Namespace) -> int:
    day = _day(args.day, "--date") if args.day else None
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor()) as uow:
            line = reserve.allocate(uow, args.amount, args.note, day=day)
    finally:
        db.dispose()
    print(f"已录入拨入 {fmt(line.amount_in)} 元，当前余额 {fmt(line.balance)} 元")
    return 0
