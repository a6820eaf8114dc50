"""Where things live: the packaged resources and the user's data folder."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "window-desk"


@cache
def resources_dir() -> Path:
    """The ``resources/`` folder: inside the installed wheel, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent / "resources"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("window-desk resources folder not found")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder (``WINDOW_DESK_HOME`` overrides it, for tests and portable installs)."""
    override = os.environ.get("WINDOW_DESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if not path.is_dir():
        # The folder holds every ID number and income of the township: the user's alone (0700).
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        from window_desk.filesafety import make_private

        make_private(path)
    return path


def default_db_path() -> Path:
    return data_dir() / "window-desk.sqlite3"


def local_db_url() -> str:
    return f"sqlite:///{default_db_path()}"
