"""Crash logs in the data folder's logs/, with personal data removed (used by the CLI and the desk)."""

from __future__ import annotations

import traceback
from pathlib import Path

from window_desk.paths import data_dir
from window_desk.timeutil import now


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


def write_event_log(name: str, message: str) -> Path:
    """Append one line (timestamped, personal data removed like a crash log) to ``logs/<name>.log``.

    For trouble the desk recovers from by itself (a draft save retried while the database is locked):
    whoever looks into it later finds when and how often, never whose data it was.
    """
    import logging

    from window_desk.filesafety import make_private
    from window_desk.redact import RedactingFilter

    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.log"
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))
    record = logging.LogRecord(f"window_desk.{name}", logging.WARNING, __file__, 0,
                               f"{now().isoformat(timespec='milliseconds')} {message}", None, None)
    try:
        handler.handle(record)
    finally:
        handler.close()
    make_private(path)
    return path
