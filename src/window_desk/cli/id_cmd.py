"""``window-desk id check ID...``"""

from __future__ import annotations

import argparse

from window_desk import idnumber
from window_desk.cli._common import emit_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("id", help="身份证号码")
    id_sub = parser.add_subparsers(dest="id_command", metavar="ACTION", required=True)
    check = id_sub.add_parser("check", help="校验身份证号码，每个号码输出一行 JSON")
    check.add_argument("numbers", nargs="+", metavar="ID", help="18位号码（或15位旧号码）；可含全角数字、空格、连字符")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    all_valid = True
    for raw in args.numbers:
        result = idnumber.check(raw)
        all_valid &= result.valid
        emit_json(result.to_json())
    return 0 if all_valid else 1
