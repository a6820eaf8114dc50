"""``window-desk discovery import|report|visits-due|rosters|sheets`` — 主动发现 headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from window_desk.cli._common import cli_actor, emit_json, open_db
from window_desk.errors import UserError
from window_desk.services import discovery, discovery_export, discovery_import, settings
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("discovery", help="社会救助主动发现（重点人群花名册、走访、月报）")
    d_sub = parser.add_subparsers(dest="discovery_command", metavar="ACTION", required=True)
    imp = d_sub.add_parser("import", help="导入村（社区）的重点人群花名册 .xlsx（有错误则整份不导入）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--village", default="", help="表中没有“村（社区）”列时指定")
    imp.set_defaults(func=run_import)
    rep = d_sub.add_parser("report", help="每村（社区）的月报：关注户数、应走访、已走访、线索、转入个案")
    rep.add_argument("--month", required=True, metavar="YYYY-MM")
    rep.add_argument("--village", default=None)
    rep.add_argument("--out", default=None, metavar="OUT.xlsx", help="另存为 .xlsx（不指定则输出 JSON）")
    rep.set_defaults(func=run_report)
    due = d_sub.add_parser("visits-due", help="某月应走访的户及走访情况（JSON，每户一行）")
    due.add_argument("--month", required=True, metavar="YYYY-MM")
    due.add_argument("--village", default=None)
    due.add_argument("--overdue", action="store_true", help="只列逾期未走访的户")
    due.set_defaults(func=run_due)
    ros = d_sub.add_parser("rosters", help="导出花名册 .xlsx（附件1、附件3、附件4）")
    ros.add_argument("--out", required=True, metavar="OUT.xlsx")
    ros.add_argument("--village", default=None)
    ros.set_defaults(func=run_rosters)
    sh = d_sub.add_parser("sheets", help="打印某村某月的空白巡查记录（一户一页，PDF）")
    sh.add_argument("--month", required=True, metavar="YYYY-MM")
    sh.add_argument("--village", required=True)
    sh.add_argument("--out", required=True, metavar="OUT.pdf")
    sh.set_defaults(func=run_sheets)


def _out(path: str, ext: str) -> Path:
    if not path.lower().endswith(ext):
        raise UserError(f"输出文件应以 {ext} 结尾", field="--out")
    return Path(path)


def run_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError:
        raise UserError(f"无法读取文件：{path}", field="FILE") from None
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor()) as uow:
            result = discovery_import.import_roster(uow, data, village=args.village, filename=path.name)
    finally:
        db.dispose()
    print(f"已导入 {result.households} 户、{result.persons} 人")
    return 0


def run_report(args: argparse.Namespace) -> int:
    year, month = discovery.parse_month(args.month)
    out = _out(args.out, ".xlsx") if args.out else None
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            report = discovery.monthly_report(uow, year, month, village=args.village)
            office = str(settings.get(uow, "office_full_name") or "")
    finally:
        db.dispose()
    if out is not None:
        out.write_bytes(discovery_export.report_xlsx(report, year, month, office))
        print(f"已生成 {year}年{month}月 主动发现月报（{len(report)} 个村（社区））：{out}")
    else:
        for r in report:
            emit_json({"village": r.village, "month": f"{year}-{month:02d}", "watched": r.watched, "due": r.due,
                       "done": r.done, "unseen": r.unseen, "overdue": r.overdue, "leads": r.leads,
                       "cases_opened": r.cases_opened})
    return 0


def run_due(args: argparse.Namespace) -> int:
    year, month = discovery.parse_month(args.month)
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            due = discovery.due_visits(uow, year, month, village=args.village)
    finally:
        db.dispose()
    for d in due:
        if args.overdue and d.state != "overdue":
            continue
        # by internal id: names and addresses stay out of a command's output that may be logged
        emit_json({"watch_household_id": d.watch_household_id, "village": d.village,
                   "assistant_id": d.assistant_id, "state": d.state,
                   "visits": [{"date": v.visit_date.isoformat(), "seen": v.seen} for v in d.visits]})
    return 0


def run_rosters(args: argparse.Namespace) -> int:
    out = _out(args.out, ".xlsx")
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            entries = discovery.roster(uow, args.village)
            data = discovery_export.rosters_xlsx(entries, discovery.staff(uow, "assistant", args.village),
                                                 discovery.staff(uow, "info_group"),
                                                 str(settings.get(uow, "office_full_name") or ""))
    finally:
        db.dispose()
    out.write_bytes(data)
    print(f"已导出花名册（{len(entries)} 户）：{out}")
    return 0


def run_sheets(args: argparse.Namespace) -> int:
    year, month = discovery.parse_month(args.month)
    out = _out(args.out, ".pdf")
    db = open_db(args)
    try:
        with UnitOfWork(db, cli_actor(), write=False) as uow:
            ids = [d.watch_household_id for d in discovery.due_visits(uow, year, month, village=args.village)]
            entries = discovery.roster(uow, ids=ids)
            office = str(settings.get(uow, "office_full_name") or "")
            fonts = settings.get(uow, "font_dir") or None
    finally:
        db.dispose()
    out.write_bytes(discovery_export.visit_sheets_pdf(entries, year, month, office, fonts=fonts))
    print(f"已生成 {args.village} {year}年{month}月 巡查记录（{len(entries)} 页）：{out}")
    return 0
