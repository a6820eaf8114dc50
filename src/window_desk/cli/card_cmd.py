"""``window-desk card read [--port P] [--timeout S]``"""

from __future__ import annotations

import argparse
import sys

from window_desk.cardreader import CardReaderError, read_card
from window_desk.cli._common import emit_json
from window_desk.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("card", help="身份证读卡器")
    card_sub = parser.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    read = card_sub.add_parser("read", help="读取放在读卡器上的身份证，输出一行 JSON（照片为 base64）")
    read.add_argument("--port", metavar="P",
                      help="串口（如 /dev/ttyUSB0、COM3）或厂商驱动（termb:1001、sdtapi:1001）；"
                           "默认为本机设置中选定的端口，未选定则自动检测")
    read.add_argument("--timeout", metavar="S", type=float, default=5.0, help="等待读卡器应答的秒数（默认 5）")
    read.set_defaults(func=run_read)


def _configured_port(args: argparse.Namespace) -> str | None:
    from window_desk.cli._common import cli_actor, open_db
    from window_desk.services import settings
    from window_desk.uow import UnitOfWork

    database = open_db(args)
    try:
        with UnitOfWork(database, cli_actor(), write=False) as uow:
            return settings.get_card_reader_port(uow) or None
    finally:
        database.dispose()


def run_read(args: argparse.Namespace) -> int:
    if not 0 < args.timeout <= 120:
        raise UserError("应为 0 到 120 之间的秒数", field="--timeout")
    port = args.port if args.port else _configured_port(args)
    try:
        card = read_card(port, timeout=args.timeout)
    except CardReaderError as exc:
        print(f"window-desk card read: {exc}", file=sys.stderr)
        return 1
    emit_json(card.to_json())
    if card.warning:
        print(f"window-desk card read: 注意：{card.warning}", file=sys.stderr)
    return 0
