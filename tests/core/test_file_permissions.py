"""Personal data only where it belongs: the data folder 0700 and everything the desk writes 0600."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows uses an ACL")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_database_backup_and_log_are_the_users_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"WINDOW_DESK_HOME": str(home)}
    proc = run_cli("user", "add", "admin", "--role", "admin", "--password-stdin", stdin="admin-pass-1\n", env=env)
    assert proc.returncode == 0, proc.stderr
    backup = tmp_path / "out" / "b.sqlite3"
    assert run_cli("backup", str(backup), env=env).returncode == 0
    assert _mode(home) == 0o700
    written = [p for p in home.iterdir() if p.is_file()] + [backup, backup.with_name(backup.name + ".manifest.txt")]
    assert any(p.name == "window-desk.sqlite3" for p in written)
    # the crash log of a command that fails inside, too
    logs = home / "logs"
    from window_desk.cli._common import write_crash_log

    os.environ["WINDOW_DESK_HOME"] = str(home)
    try:
        from window_desk.filesafety import protect_process

        old = os.umask(0o022)
        protect_process()
        written.append(write_crash_log())
        os.umask(old)
    finally:
        del os.environ["WINDOW_DESK_HOME"]
    assert _mode(logs) == 0o700
    for path in written:
        assert _mode(path) == 0o600, f"{path} is {oct(_mode(path))}"


def test_a_widened_data_folder_is_tightened_at_start_with_a_warning(tmp_path: Path) -> None:
    from window_desk.filesafety import check_data_folder

    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "window-desk.sqlite3"
    db.write_bytes(b"x")
    os.chmod(folder, 0o755)
    os.chmod(db, 0o644)
    warnings = check_data_folder(folder)
    assert len(warnings) == 2 and all("已恢复为仅本用户可访问" in w for w in warnings)
    assert _mode(folder) == 0o700 and _mode(db) == 0o600
    assert check_data_folder(folder) == []  # nothing left to say
