"""Chinese working days: the State Council holiday and make-up-day (调休) calendar, with overrides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

Overrides = Mapping[dt.date, bool]
_ONE_DAY = dt.timedelta(days=1)
_SEARCH_LIMIT = 366  # no real calendar has a year without a working day


def fallback_warning(year: int) -> str:
    """The warning given when the holiday data does not cover `year`."""
    return (
        f"no official holiday data for {year} (chinesecalendar {chinese_calendar.__version__}): "
        f"Monday–Friday taken as working days for {year}; check the State Council notice or add overrides"
    )


def workday_status(day: dt.date, overrides: Overrides | None = None) -> tuple[bool, str | None]:
    """Whether `day` is a working day, and a warning when the weekday fallback decided it."""
    if overrides and day in overrides:
        return bool(overrides[day]), None
    try:
        return chinese_calendar.is_workday(day), None
    except NotImplementedError:
        return day.weekday() < 5, fallback_warning(day.year)


def is_workday(day: dt.date, overrides: Overrides | None = None) -> bool:
    """Whether `day` is a working day: overrides first, then the official calendar, then Mon–Fri."""
    return workday_status(day, overrides)[0]


def _step(day: dt.date, overrides: Overrides | None, delta: dt.timedelta) -> tuple[dt.date, str | None]:
    warning = None
    for _ in range(_SEARCH_LIMIT):
        working, note = workday_status(day, overrides)
        warning = warning or note
        if working:
            return day, warning
        day += delta
    raise ValueError(f"no working day within {_SEARCH_LIMIT} days of {day}: check the overrides")


def next_workday(day: dt.date, overrides: Overrides | None = None) -> tuple[dt.date, str | None]:
    """`day` itself when it is a working day, else the first working day after it; plus any warning."""
    return _step(day, overrides, _ONE_DAY)


def previous_workday(day: dt.date, overrides: Overrides | None = None) -> tuple[dt.date, str | None]:
    """`day` itself when it is a working day, else the last working day before it (for deadlines)."""
    return _step(day, overrides, -_ONE_DAY)


def add_workdays(start: dt.date, count: int, overrides: Overrides | None = None) -> tuple[dt.date, list[str]]:
    """The `count`-th working day counting `start` (moved to a working day) as the first; plus warnings."""
    if count < 1:
        raise ValueError(f"a working-day count must be at least 1, not {count}")
    warnings: list[str] = []
    day = start
    for _ in range(count):
        day, warning = next_workday(day, overrides)
        if warning and warning not in warnings:
            warnings.append(warning)
        last, day = day, day + _ONE_DAY
    return last, warnings


def count_workdays(start: dt.date, end: dt.date, overrides: Overrides | None = None) -> int:
    """Working days from `start` to `end`, both included (0 when `end` is before `start`)."""
    days = (end - start).days + 1
    return sum(is_workday(start + dt.timedelta(days=i), overrides) for i in range(max(days, 0)))
