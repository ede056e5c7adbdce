"""
Working days (工作日) on the official calendar.

China moves holidays and declares make-up working days (调休) every year, so
weekends alone are wrong. `CalendarDay` holds the exceptions to the
Monday–Friday week for every year listed in `CalendarYear`. Beyond those
years the count skips weekends and the fixed statutory holidays of the
全国年节及纪念日放假办法 (2024 revision: 元旦; 春节 除夕 to 初三; 清明;
劳动节 5-1 and 5-2; 端午; 中秋; 国庆 10-1 to 10-3), lunar dates from the
lunardate package, and results say they are estimates: the State Council's
schedule (with its 调休 days) decides.

`add_working_days` is the one function that computes deadlines.
"""

import datetime
import functools
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
        if day.weekday() >= 5:
            return False
        # A year without the official schedule: its fixed statutory holidays.
        return self.is_known(day) or day not in statutory_holidays(day.year)


def qingming(year: int) -> datetime.date:
    """清明 (the solar term), 4 or 5 April in 2000-2099: the usual 21st-century formula."""
    y = year % 100
    return datetime.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@functools.lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """
    The days off fixed by the 全国年节及纪念日放假办法 (2024) in a year, 13 in
    all, without the State Council's 调休 (which moves days around them).
    """
    from lunardate import LunarDate

    def lunar(month: int, day: int) -> datetime.date:
        return LunarDate(year, month, day).to_solar_date()

    new_year = lunar(1, 1)
    days = {
        datetime.date(year, 1, 1),
        new_year - datetime.timedelta(days=1), new_year, new_year + datetime.timedelta(days=1),
        new_year + datetime.timedelta(days=2),
        qingming(year),
        datetime.date(year, 5, 1), datetime.date(year, 5, 2),
        lunar(5, 5), lunar(8, 15),
        datetime.date(year, 10, 1), datetime.date(year, 10, 2), datetime.date(year, 10, 3),
    }
    return frozenset(d for d in days if d.year == year)


@dataclass(frozen=True)
class WorkdayResult:
    date: datetime.date
    # True when the count crossed a year the calendar does not know:
    # weekends and the fixed statutory holidays were skipped, but that
    # year's official schedule (调休) could not be applied.
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
