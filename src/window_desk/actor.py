"""Who is acting: a logged-in user, or a headless command run by an OS user."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    label: str
    role: str
    user_id: int | None = None
    display_name: str = ""

    @classmethod
    def for_user(cls, user_id: int, username: str, role: str, display_name: str = "") -> Actor:
        return cls(label=username, role=role, user_id=user_id, display_name=display_name or username)

    @classmethod
    def cli(cls) -> Actor:
        """Headless commands act as ``cli:<os user>`` with full rights: whoever can run
        them can already read the database file."""
        try:
            name = getpass.getuser()
        except Exception:  # getuser raises OSError or KeyError when no name is known
            name = "unknown"
        return cls(label=f"cli:{name}", role="admin", display_name=f"命令行({name})")

    @property
    def name(self) -> str:
        return self.display_name or self.label
