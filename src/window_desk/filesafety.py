"""Personal data stays with the desk's user: the data folder 0700, the database, its WAL, backups,
exports, logs and the audit key 0600 (on Windows, an ACL for the user alone).

The process umask is set to 077 at start (``protect_process``), so every file the desk or a command
creates is the user's alone without each writer having to remember; ``check_data_folder`` looks at
what is already there at start, tightens anything someone widened, and says so.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_WIDE = stat.S_IRWXG | stat.S_IRWXO


def protect_process() -> None:
    """New files 0600, new folders 0700, for the rest of this process."""
    if os.name == "posix":
        os.umask(0o077)


def _windows_user_only(path: Path) -> None:
    # Remove inherited entries and grant the current user alone full control (folders: inherited).
    user = os.environ.get("USERNAME")
    if not user:
        return
    grant = f"{user}:(OI)(CI)F" if path.is_dir() else f"{user}:F"
    subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", grant], capture_output=True, check=False)


def make_private(path: Path) -> None:
    """Make ``path`` (a file or a folder) the user's alone."""
    if sys.platform == "win32":
        _windows_user_only(path)
        return
    os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def check_data_folder(folder: Path) -> list[str]:
    """Tighten the data folder and everything in it that others may read; return a Chinese warning
    per thing that had been widened (names of files only, never their content)."""
    if sys.platform == "win32" or not folder.exists():
        return []
    warnings = []
    for path in [folder, *folder.rglob("*")]:
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode) or not mode & _WIDE:
            continue
        try:
            make_private(path)
        except OSError as exc:
            warnings.append(f"{path} 的权限过宽且无法收紧({exc.strerror}),其他用户可能读取其中的个人信息")
            continue
        warnings.append(f"{path} 的权限曾被放宽({stat.filemode(mode)}),已恢复为仅本用户可访问")
    for message in warnings:
        log.warning("%s", message)
    return warnings
