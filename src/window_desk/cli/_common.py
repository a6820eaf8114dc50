"""Helpers shared by the headless commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from window_desk.actor import Actor
from window_desk.crashlog import write_crash_log  # noqa: F401 - where the commands find it
from window_desk.errors import UserError

if TYPE_CHECKING:  # SQLAlchemy and the models load only in commands that open a database
    from window_desk.db.engine import Database


def db_url(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    from window_desk.db.config import default_db_url  # SQLAlchemy only for commands that need it

    return default_db_url()


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
            raise UserError(f"数据库文件不存在：{name or url}", field="--db")
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
        raise UserError(f"文件不存在：{path}", field=field) from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"文件不是 UTF-8 文本：{path}", field=field) from exc
    except OSError as exc:
        raise UserError(f"无法读取文件 {path}: {exc.strerror}", field=field) from exc
