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

from window_desk.buildinfo import version_text
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
    "window_desk.cli.card_cmd",
    "window_desk.cli.reserve_cmd",
    "window_desk.cli.db_cmd",
    "window_desk.cli.inquiry_cmd",
    "window_desk.cli.discovery_cmd",
)

# Commands whose name is not their module's stem (``<name>_cmd``). Only the module of the
# command being run is imported, so ``--version``, ``id check`` and ``assess`` never load
# SQLAlchemy, the models or Qt (issue 7: quick commands start in <= 0.3 s).
COMMAND_ALIASES = {
    "demo-data": "window_desk.cli.demo_cmd",
    "restore": "window_desk.cli.backup_cmd",
}

EXIT_OK, EXIT_NO, EXIT_USAGE = 0, 1, 2
# Global options that take a value, to find the command word in argv without parsing it.
_VALUED_OPTIONS = ("--db", "--policy")


# argparse's own messages, in Chinese (it looks ``_`` up in its module at each call).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多只能有一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default prints the whole usage block; one line is what cli.md asks.
        self.exit(EXIT_USAGE, f"{self.prog}: 用法错误：{message}\n")


def _command_word(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED_OPTIONS:
            skip = True
        elif arg.startswith("-"):
            continue
        else:
            return arg
    return None


def _modules_for(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command modules to import: just the one named in ``argv`` when it is known, else all
    (for ``--help``, a typo's error message, or when no argv is given)."""
    if argv is None:
        return COMMAND_MODULES
    word = _command_word(argv)
    if word is None:
        return () if any(a == "--version" for a in argv) else COMMAND_MODULES
    module = COMMAND_ALIASES.get(word, f"window_desk.cli.{word.replace('-', '_')}_cmd")
    return (module,) if module in COMMAND_MODULES else COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="window-desk", description="社会救助“一门受理”窗口")
    parser.add_argument("--version", action="version", version=version_text())
    parser.add_argument("--db", metavar="URL", help="数据库地址（SQLAlchemy URL）；默认为用户数据目录中的 SQLite 文件")
    parser.add_argument("--policy", metavar="FILE", help="救助政策文件（TOML）；默认为设置中选定的或随程序提供的")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _modules_for(argv):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet
                continue
            raise
        module.register(sub)
    return parser


def _redact_log_handlers() -> None:
    """No ID number, phone, name or address in any log line (see window_desk.redact)."""
    from window_desk.redact import RedactingFilter

    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    from window_desk.filesafety import protect_process

    protect_process()  # every database, backup, export and log this process writes is 0600
    args = build_parser(argv).parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _redact_log_handlers()
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
    except OSError as exc:
        if exc.filename is None:
            raise
        # An output folder that cannot be written, a path that is a folder: bad input, not a bug.
        print(f"window-desk {args.command}: 无法读写 {exc.filename}:{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug, not bad input: say so in one line, keep the trace in the log
        if os.environ.get("WINDOW_DESK_DEBUG"):
            raise
        from window_desk.cli._common import write_crash_log
        from window_desk.redact import redact_text

        path = write_crash_log()
        print(f"window-desk {args.command}: 内部错误 {type(exc).__name__}: {redact_text(str(exc))}（详情见 {path}）",
              file=sys.stderr)
        return 3
