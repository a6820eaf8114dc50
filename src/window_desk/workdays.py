"""Working days (工作日) for deadlines, assessment.md §4.

Statutory holidays and 调休 make-up working days come from the ``chinese_calendar``
package, which knows each year the State Council has published. For a date in
a year it does not know, Monday–Friday count as working days and the answer
carries a Chinese ``calendar_note`` saying so, so nobody mistakes the date for
an official one.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from chinese_calendar.constants import holidays as _HOLIDAYS
from chinese_calendar.constants import workdays as _MAKEUP_WORKDAYS

# chinese_calendar.is_workday recomputes the known range on every call (slow in a
# loop), so the same rule is applied here to its tables directly; a test checks
# the two agree on every day the calendar knows.
FIRST_KNOWN_YEAR = min(day.year for day in _HOLIDAYS)
LAST_KNOWN_YEAR = max(day.year for day in _HOLIDAYS)

_ONE_DAY = timedelta(days=1)


def is_known_year(year: int) -> bool:
    return FIRST_KNOWN_YEAR <= year <= LAST_KNOWN_YEAR


def is_working_day(day: date) -> bool:
    """Official calendar where known (holidays off, 调休 Saturdays/Sundays on), else Monday–Friday."""
    if FIRST_KNOWN_YEAR <= day.year <= LAST_KNOWN_YEAR:
        return day in _MAKEUP_WORKDAYS or (day.weekday() < 5 and day not in _HOLIDAYS)
    return day.weekday() < 5


@lru_cache(maxsize=65536)
def working_days_after(start: date, n: int) -> tuple[date, frozenset[int]]:
    """The n-th working day after ``start`` (not counted) and the unknown years it counted in."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    unknown: set[int] = set()
    remaining = n
    while remaining:
        day += _ONE_DAY
        if not (FIRST_KNOWN_YEAR <= day.year <= LAST_KNOWN_YEAR):
            unknown.add(day.year)
        if is_working_day(day):
            remaining -= 1
    return day, frozenset(unknown)


def calendar_note(unknown_years: frozenset[int] | set[int]) -> str | None:
    """The Chinese note for deadlines counted in years the calendar does not know, or None."""
    if not unknown_years:
        return None
    years = "、".join(str(year) for year in sorted(unknown_years))
    return (f"{years}年的法定节假日和调休安排尚未收录(节假日日历仅含{FIRST_KNOWN_YEAR}—{LAST_KNOWN_YEAR}年),"
            f"相关办理期限暂按周一至周五为工作日推算,请以国务院公布的安排核对")


def add_working_days(start: date, n: int) -> tuple[date, str | None]:
    """The n-th working day after ``start`` (``start`` itself does not count), and a
    ``calendar_note`` when any day counted lies in a year the calendar does not know."""
    day, unknown = working_days_after(start, n)
    return day, calendar_note(unknown)


def add_calendar_days(start: date, n: int) -> date:
    """``start`` + n days (the 急难 deadline counts calendar days: holidays make no difference)."""
    if n < 0:
        raise ValueError("n must not be negative")
    return start + timedelta(days=n)
