"""
Working days (工作日) on the official calendar.

China moves holidays and declares make-up working days (调休) every year, so
weekends alone are wrong. `CalendarDay` holds the exceptions to the
Monday–Friday week for every year listed in `CalendarYear`; beyond those
years only weekends are counted, and results say they are estimates.

`add_working_days` is the one function that computes deadlines.
"""

import datetime
import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

# Other processes (gunicorn workers, Celery) see admin edits within this time.
CACHE_SECONDS = 60
_cache: dict[str, tuple[float, "CalendarSnapshot"]] = {}


@dataclass(frozen=True)
class CalendarSnapshot:
    known_years: frozenset[int]
    exceptions: dict[datetime.date, bool]  # date -> is working day

    def is_known(self, day: datetime.date) -> bool:
        return day.year in self.known_years

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5


@dataclass(frozen=True)
class WorkdayResult:
    date: datetime.date
    # True when the count crossed a year the calendar does not know:
    # weekends were skipped, but holidays of that year could not be.
    estimated: bool


def calendar_snapshot() -> CalendarSnapshot:
    """Load the whole calendar (a few hundred rows), cached for a minute."""
    from .models import CalendarDay, CalendarYear

    cached = _cache.get("calendar")
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    snapshot = CalendarSnapshot(
        known_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
        exceptions=dict(CalendarDay.objects.values_list("date", "is_workday")),
    )
    _cache["calendar"] = (time.monotonic(), snapshot)
    return snapshot


def clear_calendar_cache(**kwargs) -> None:
    _cache.clear()


def connect_cache_invalidation() -> None:
    from .models import CalendarDay, CalendarYear

    for model in (CalendarDay, CalendarYear):
        post_save.connect(clear_calendar_cache, sender=model, dispatch_uid=f"wd-save-{model.__name__}")
        post_delete.connect(clear_calendar_cache, sender=model, dispatch_uid=f"wd-del-{model.__name__}")


def is_working_day(day: datetime.date) -> bool:
    return calendar_snapshot().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> WorkdayResult:
    """
    Return the n-th working day after `start` (start itself is not counted),
    as administrative deadlines are counted from the day after service.
    """
    calendar = calendar_snapshot()
    day = start
    estimated = False
    remaining = n
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if not calendar.is_known(day):
            estimated = True
        if calendar.is_working_day(day):
            remaining -= 1
    return WorkdayResult(date=day, estimated=estimated)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """
    Count working days after `start` up to and including `end`; negative when
    `end` is before `start` (so "working days left" can go below zero).
    """
    if end == start:
        return 0
    calendar = calendar_snapshot()
    step = 1 if end > start else -1
    lo, hi = (start, end) if step == 1 else (end, start)
    count = 0
    day = lo
    while day < hi:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count * step


def next_working_day(day: datetime.date) -> datetime.date:
    return add_working_days(day, 1).date


def working_days_in(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every working day from `first` to `last` inclusive."""
    calendar = calendar_snapshot()
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
