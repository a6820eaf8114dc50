"""Crash logs carry no ID number, phone, name or address (a forced crash through the real CLI path)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pytest
from sqlalchemy import insert

from window_desk.cli import main
from window_desk.db.engine import open_database
from window_desk.db.models import Household, Person
from window_desk.redact import RedactingFilter, redact_text, redact_traceback
from window_desk.timeutil import now

ID = "110105198603150032"
NAME = "王䶮"
PHONE = "13912345678"
ADDRESS = "示范镇幸福路1号"


def _crashing_command(url: str):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        db = open_database(url)
        try:
            person = {"id_number": ID, "name": NAME, "name_initials": "wy", "created_at": now(), "created_by": "t"}
            with db.engine.begin() as conn:
                conn.execute(insert(Person).values(**person))
                conn.execute(insert(Household).values(area="urban", address=ADDRESS, phone=PHONE, created_at=now(),
                                                      created_by="t"))
                logging.getLogger("window_desk.test").warning("saving %s (%s) at %s", NAME, ID, ADDRESS)
                conn.execute(insert(Person).values(**person))  # the same ID number again: IntegrityError
        finally:
            db.dispose()
        return 0

    return run


def test_a_forced_crash_leaves_no_personal_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               _isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("WINDOW_DESK_DEBUG", raising=False)
    monkeypatch.setattr("window_desk.cli.id_cmd.run_check", _crashing_command(f"sqlite:///{tmp_path / 'c.sqlite3'}"))
    assert main(["id", "check", ID]) == 3
    err = capsys.readouterr().err
    logs = list((_isolated_home / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "IntegrityError" in text and "UNIQUE constraint failed: persons.id_number" in text
    assert "[ID]" in text and "test_crash_log.py" in text  # still useful for the developer
    for secret in (ID, NAME, PHONE, ADDRESS, "幸福路"):
        assert secret not in text, secret
        assert secret not in err, secret


def test_the_filter_redacts_log_records() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "person %s %s tel %s", (NAME, ID, "0571-88886666"), None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "person [TEXT] [ID] tel [PHONE]"


@pytest.mark.parametrize("value", ["11010519860315003X", "110105860315003", "+86 13912345678", "阿依古丽·买买提"])
def test_values_that_must_go(value: str) -> None:
    assert value not in redact_text(f"value={value!r}")


def test_hashes_and_source_lines_are_kept() -> None:
    digest = "a" + "1" * 63
    assert redact_text(f"hash {digest} id 42") == f"hash {digest} id 42"
    trace = ('Traceback (most recent call last):\n  File "x.py", line 3, in f\n    raise ValueError("姓名不能为空")\n'
             f"ValueError: {NAME}\n")
    out = redact_traceback(trace)
    assert 'raise ValueError("姓名不能为空")' in out and NAME not in out
