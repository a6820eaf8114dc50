"""Time: every timestamp is aware and shown in China Standard Time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current time, aware, in Asia/Shanghai."""
    return datetime.now(TZ)


def today() -> date:
    """Today's date in Asia/Shanghai (not the machine's zone: a window PC may be set to UTC)."""
    return now().date()


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: window-desk only handles aware times")
    return moment.astimezone(TZ)


def format_local(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return to_local(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
