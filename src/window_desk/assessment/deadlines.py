"""Departments and due dates (§3 end, §4): who receives a referral and by when."""

from __future__ import annotations

from datetime import date

from window_desk import vocab
from window_desk.errors import UserError
from window_desk.policy import Period
from window_desk.workdays import add_calendar_days, calendar_note, working_days_after

def department_for(code: str, period: Period) -> str | None:
    """The department a measure is referred to; None for the window's own measures."""
    if code not in vocab.MEASURES:
        raise UserError(f"未知的救助措施 {code!r}", field="code")
    return period.departments.for_code(code)


def due_date_for(code: str, period: Period, application_date: date) -> tuple[date, str | None]:
    """The due date of a measure and the ``calendar_note`` when it was counted Monday–Friday.

    Deadlines count working days after the application date (the date itself
    does not count); ``temp_emergency`` counts calendar days.
    """
    if code not in vocab.MEASURES:
        raise UserError(f"未知的救助措施 {code!r}", field="code")
    days = period.deadlines.for_code(code)
    if code == "temp_emergency":
        return add_calendar_days(application_date, days), None
    day, unknown = working_days_after(application_date, days)
    return day, calendar_note(unknown)


# --- the assessment -------------------------------------------------------------------------


class _Due:
    """Due dates of one assessment, remembering the years counted Monday–Friday."""

    __slots__ = ("day", "deadlines", "unknown", "cache")

    def __init__(self, day: date, period: Period) -> None:
        self.day = day
        self.deadlines = period.deadlines
        self.unknown: set[int] = set()
        self.cache: dict[str, date] = {}

    def __call__(self, code: str) -> date:
        found = self.cache.get(code)
        if found is None:
            if code == "temp_emergency":
                found = add_calendar_days(self.day, self.deadlines.temp_emergency)
            else:
                found, unknown = working_days_after(self.day, self.deadlines.for_code(code))
                if unknown:
                    self.unknown.update(unknown)
            self.cache[code] = found
        return found

    def working(self, n: int) -> date:
        found, unknown = working_days_after(self.day, n)
        if unknown:
            self.unknown.update(unknown)
        return found

