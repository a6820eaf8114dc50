"""Working days (assessment.md §4): statutory holidays, 调休 make-up days, and the Monday–Friday fallback."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from window_desk.workdays import (
    FIRST_KNOWN_YEAR,
    LAST_KNOWN_YEAR,
    add_calendar_days,
    add_working_days,
    is_working_day,
)


def test_the_start_day_does_not_count() -> None:
    assert add_working_days(date(2026, 3, 2), 1) == (date(2026, 3, 3), None)  # Monday → Tuesday
    assert add_working_days(date(2026, 3, 2), 0) == (date(2026, 3, 2), None)
    assert add_working_days(date(2026, 3, 6), 1) == (date(2026, 3, 9), None)  # Friday → Monday


def test_national_day_week_2026() -> None:
    # 2026-10-01 … 10-07 are off; Saturday 10-10 is a 调休 working day.
    assert add_working_days(date(2026, 9, 30), 1) == (date(2026, 10, 8), None)
    assert add_working_days(date(2026, 9, 30), 2) == (date(2026, 10, 9), None)
    assert add_working_days(date(2026, 9, 30), 3) == (date(2026, 10, 10), None)  # the make-up Saturday
    assert add_working_days(date(2026, 9, 30), 4) == (date(2026, 10, 12), None)  # Sunday 10-11 is off
    assert add_working_days(date(2026, 10, 3), 1) == (date(2026, 10, 8), None)  # starting inside the holiday


def test_tiaoxiu_saturday_before_spring_festival_2026() -> None:
    # Saturday 2026-02-14 is a make-up working day; 02-15 … 02-23 are off.
    assert is_working_day(date(2026, 2, 14))
    assert add_working_days(date(2026, 2, 13), 1) == (date(2026, 2, 14), None)
    assert add_working_days(date(2026, 2, 13), 2) == (date(2026, 2, 24), None)


def test_fifteen_working_days_over_dragon_boat_2026() -> None:
    # Friday 2026-06-19 is 端午: 2026-06-01 + 15 working days is 06-23, not 06-22.
    assert add_working_days(date(2026, 6, 1), 15) == (date(2026, 6, 23), None)


def test_fallback_past_the_calendar_counts_monday_to_friday_and_says_so() -> None:
    assert LAST_KNOWN_YEAR == 2026  # the installed chinese_calendar; update the dates below when it grows
    day, note = add_working_days(date(2027, 3, 5), 1)  # Friday → Monday
    assert day == date(2027, 3, 8)
    assert note is not None and "2027" in note and "周一至周五" in note
    # Crossing from a known year into an unknown one: New Year's Day 2027 counts as a working day.
    day, note = add_working_days(date(2026, 12, 30), 3)
    assert day == date(2027, 1, 4)
    assert note is not None and "2027" in note
    # Counting only inside 2026 needs no note, even close to the end.
    assert add_working_days(date(2026, 12, 28), 3) == (date(2026, 12, 31), None)


def test_fallback_before_the_calendar() -> None:
    assert FIRST_KNOWN_YEAR == 2004
    day, note = add_working_days(date(2003, 6, 2), 1)  # Monday → Tuesday
    assert day == date(2003, 6, 3)
    assert note is not None and "2003" in note


def test_agrees_with_chinese_calendar_on_every_known_day() -> None:
    day = date(FIRST_KNOWN_YEAR, 1, 1)
    end = date(LAST_KNOWN_YEAR, 12, 31)
    checked = 0
    while day <= end:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
        checked += 1
    assert checked > 8000


def test_calendar_days() -> None:
    assert add_calendar_days(date(2026, 9, 30), 1) == date(2026, 10, 1)
    assert add_calendar_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
    with pytest.raises(ValueError):
        add_calendar_days(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)
