"""``window-desk``: the desk, and every capability that needs no person, headless.

Exit codes (cli.md): 0 done; 1 the answer is "no"; 2 bad input or usage, with
one line on stderr naming what is wrong and never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from window_desk import __version__
from window_desk.errors import UserError

# Each module has register(subparsers); its parsers set func=run(args) -> int.
COMMAND_MODULES = (
    "window_desk.cli.id_cmd",
    "window_desk.cli.assess_cmd",
    "window_desk.cli.forms_cmd",
    "window_desk.cli.user_cmd",
    "window_desk.cli.audit_cmd",
    "window_desk.cli.backup_cmd",
    "window_desk.cli.register_cmd",
    "window_desk.cli.demo_cmd",
    "window_desk.cli.inquiry_cmd",
)

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default prints the whole usage block; one line is what cli.md asks.
        self.exit(EXIT_USAGE, f"{self.prog}: 用法错误: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="window-desk", description="社会救助“一门受理”窗口")
    parser.add_argument("--version", action="version", version=f"window-desk {__version__}")
    parser.add_argument("--db", metavar="URL", help="数据库地址 (SQLAlchemy URL);默认为用户数据目录中的 SQLite 文件")
    parser.add_argument("--policy", metavar="FILE", help="救助政策文件 (TOML);默认为设置中选定的或随程序提供的")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from window_desk.ui.app import run_desk  # imported late: headless commands never load Qt

        return run_desk(db_url=args.db, policy_path=args.policy)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"window-desk {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug, not bad input: say so in one line, keep the trace in the log
        if os.environ.get("WINDOW_DESK_DEBUG"):
            raise
        from window_desk.cli._common import write_crash_log

        path = write_crash_log()
        print(f"window-desk {args.command}: 内部错误 {type(exc).__name__}: {exc}(详情见 {path})", file=sys.stderr)
        return 3
