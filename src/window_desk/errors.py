"""Errors a person can act on.

Every error raised for bad input or a refused action is a ``UserError``: its
message is Simplified Chinese and names the field it is about, so the desk can
show it next to that field and the CLI can print it as one line (exit 2).
Anything else escaping a service is a bug.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an action the rules refuse; ``str()`` is the message for a person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        from window_desk.punct import to_fullwidth

        # Messages are put together from many places (f-strings, library texts): the marks a person
        # reads next to Chinese are full-width however the message was written (，：；！？（）).
        message = to_fullwidth(message)
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        if not self.field:
            return self.message
        # A Chinese field name takes the full-width colon (作废理由：…); a data path keeps "path: …".
        colon = "：" if "\u3400" <= self.field[-1] <= "\U0003ffff" else ": "
        return f"{self.field}{colon}{self.message}"


class NotFound(UserError):
    """The record asked for does not exist."""


class Conflict(UserError):
    """The action conflicts with the current state (a locked day, a voided number…)."""


class PermissionDenied(UserError):
    """The logged-in role may not do this."""


class DatabaseVersionError(UserError):
    """The database was made by a newer window-desk, or is not a window-desk database."""


class DatabaseBusy(UserError):
    """A save kept colliding with other desks (or lost its connection) and was given up; nothing was saved."""
