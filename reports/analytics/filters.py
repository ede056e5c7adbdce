"""
The filters every analytics chart accepts, and the default period. Plain
values (no pandas), so forms and URLs use them without loading the
statistics stack.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class AnalyticsFilters:
    """The GET filters every chart accepts; months are first days of months."""

    start: datetime.date
    end: datetime.date
    campaign_id: int | None = None
    role: str = ""
    district: str = ""
    modality: str = ""
    # Compare the month that has not ended with whole months (off: it is left out).
    include_partial: bool = False
    # Drill-down only: the clicked point.
    extra: dict = field(default_factory=dict)

    @property
    def start_at(self) -> datetime.datetime:
        return _local_midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """The exclusive upper bound: the first moment after the end month."""
        return _local_midnight(_next_month(self.end))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, this month included."""
    today = today or timezone.localdate()
    end = month_start(today)
    start = (end - datetime.timedelta(days=335)).replace(day=1)
    return start, end
