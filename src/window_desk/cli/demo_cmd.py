"""``window-desk demo-data --cases N [--days D] [--seed S]``"""

from __future__ import annotations

import argparse
import sys
import time

from window_desk.cli._common import cli_actor, open_db
from window_desk.errors import UserError
from window_desk.services import demo, settings
from window_desk.timeutil import today
from window_desk.uow import UnitOfWork


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo-data", help="填入可重现的模拟个案（演示与性能测试用）")
    parser.add_argument("--cases", type=int, required=True, metavar="N", help="个案数")
    parser.add_argument("--days", type=int, default=30, metavar="D", help="分布在最近多少天（默认30）")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子（相同种子得到相同数据）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.cases <= 1_000_000:
        raise UserError("应在 1 到 1000000 之间", field="--cases")
    if not 1 <= args.days <= 3650:
        raise UserError("应在 1 到 3650 之间", field="--days")
    db = open_db(args)
    try:
        actor = cli_actor()
        with UnitOfWork(db, actor, write=False) as uow:
            office = settings.get(uow, "office_name")
        started = time.perf_counter()
        step = max(args.cases // 20, 1)
        shown = [0]

        def progress(done: int) -> None:
            if done - shown[0] >= step or done == args.cases:
                shown[0] = done
                rate = done / max(time.perf_counter() - started, 1e-9)
                print(f"已生成 {done}/{args.cases} 件（每秒 {rate:.0f} 件）", file=sys.stderr)

        numbers = demo.fill(db, actor, args.cases, args.days, args.seed, today(), office, progress)
    finally:
        db.dispose()
    print(f"已生成 {len(numbers)} 件模拟个案：{numbers[0]} … {numbers[-1]}")
    return 0
