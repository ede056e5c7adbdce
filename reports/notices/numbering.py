"""
Document numbers `<prefix>〔<year>〕<n>号` (GB/T 9704-2012 §7.2.5, 发文字号): the year in
六角括号, the serial without leading zeros and without 第.

A serial is taken only inside the transaction that issues the notice, from a
counter row locked with SELECT … FOR UPDATE; if the issuance rolls back, so
does the counter, so numbers stay gapless. The year is the Asia/Shanghai
calendar year of issuance.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import NoticeCounter


def format_number(*, prefix: str, year: int, serial: int) -> str:
    """Return e.g. 京网信改〔2026〕12号."""
    return f"{prefix}〔{year}〕{int(serial)}号"


def numbering_year(moment: datetime.datetime | None = None) -> int:
    """The numbering year of a moment: its date in the site's time zone (Asia/Shanghai)."""
    return timezone.localdate(moment or timezone.now()).year


def _locked_counter(prefix: str, year: int) -> NoticeCounter:
    counter = NoticeCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is not None:
        return counter
    try:
        # A savepoint, so that losing the race to create the row leaves the
        # outer transaction usable.
        with transaction.atomic():
            NoticeCounter.objects.create(prefix=prefix, year=year, last_serial=0)
    except IntegrityError:
        pass
    return NoticeCounter.objects.select_for_update().get(prefix=prefix, year=year)


def peek_next_serial(*, prefix: str, year: int) -> int:
    """The serial the next issuance would take (no lock: a prediction only)."""
    last = NoticeCounter.objects.filter(prefix=prefix, year=year).values_list(
        "last_serial", flat=True
    ).first()
    return (last or 0) + 1


def take_serials(*, prefix: str, year: int, count: int) -> int:
    """
    Take the next `count` serials for (prefix, year) and return the first;
    the caller numbers its notices first, first + 1, … Must run inside the
    issuing transaction: the counter row stays locked until it commits or
    rolls back, so a rolled-back batch leaves no gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_serials must run inside the issuing transaction")
    if count < 1:
        raise ValueError("count must be at least 1")
    counter = _locked_counter(prefix, year)
    first = counter.last_serial + 1
    counter.last_serial += count
    counter.save(update_fields=["last_serial"])
    return first


