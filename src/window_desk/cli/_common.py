"""Helpers shared by the headless commands."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from window_desk.actor import Actor
from window_desk.errors import UserError
from window_desk.paths import data_dir, default_db_url
from window_desk.timeutil import now

if TYPE_CHECKING:  # SQLAlchemy and the models load only in commands that open a database
    from window_desk.db.engine import Database


def db_url(args: argparse.Namespace) -> str:
    return args.db or default_db_url()


def open_db(args: argparse.Namespace) -> Database:
    """Open (creating and migrating as needed) the database named by ``--db``."""
    from window_desk.db.engine import open_database

    return open_database(db_url(args))


def open_existing_db(args: argparse.Namespace) -> Database:
    """For read-only commands: a database that does not exist is an error, never created empty
    (a mistyped path must not be reported as an intact, empty register)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = db_url(args)
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        name = parsed.database
        if not name or name == ":memory:" or not Path(name).expanduser().is_file():
            raise UserError(f"数据库文件不存在:{name or url}", field="--db")
    return open_db(args)


def cli_actor() -> Actor:
    return Actor.cli()


def emit_json(obj: Any) -> None:
    """One JSON object per line, UTF-8, real Chinese (cli.md)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def read_input(path: str, field: str = "FILE") -> str:
    """Read a text file, or stdin for ``-``; a missing or unreadable file is a UserError."""
    if path == "-":
        return sys.stdin.read()
    try:
        # utf-8-sig: a file saved by Notepad starts with a BOM, which is not part of the JSON.
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UserError(f"文件不存在: {path}", field=field) from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"文件不是 UTF-8 文本: {path}", field=field) from exc
    except OSError as exc:
        raise UserError(f"无法读取文件 {path}: {exc.strerror}", field=field) from exc


def write_crash_log(trace: str | None = None) -> Path:
    """Write the current exception's traceback (or ``trace``) to a crash log, personal data removed.

    The text goes through a logging handler carrying ``RedactingFilter``: ID numbers and phones masked,
    names and addresses (any Chinese text outside the program's own source lines) replaced.
    """
    import logging

    from window_desk.redact import RedactingFilter

    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{now().strftime('%Y%m%d-%H%M%S-%f')}.log"
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))
    record = logging.LogRecord("window_desk.crash", logging.ERROR, __file__, 0, "window-desk crash log", None, None)
    record.exc_text = trace if trace is not None else traceback.format_exc()
    try:
        handler.handle(record)
    finally:
        handler.close()
    return path
