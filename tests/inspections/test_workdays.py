"""Working days across the 2026 Spring Festival and National Day, and beyond the calendar."""

import datetime as dt

from inspections.models import CalendarDay, CalendarYear
from inspections.workdays import add_working_days, is_working_day, working_days_between


def test_the_calendar_is_seeded_from_chinese_calendar(db):
    assert CalendarYear.objects.filter(year=2004).exists()
    assert CalendarYear.objects.filter(year=2026).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarDay.objects.get(date=dt.date(2026, 2, 14)).is_workday is True
    assert CalendarDay.objects.get(date=dt.date(2026, 2, 16)).name == "春节"


def test_spring_festival_2026_with_its_make_up_saturdays(db):
    assert is_working_day(dt.date(2026, 2, 14))  # Saturday, 调休
    assert is_working_day(dt.date(2026, 2, 28))  # Saturday, 调休
    assert not is_working_day(dt.date(2026, 2, 23))  # Monday, holiday
    assert add_working_days(dt.date(2026, 2, 13), 1).date == dt.date(2026, 2, 14)
    assert add_working_days(dt.date(2026, 2, 14), 1).date == dt.date(2026, 2, 24)
    # 15 working days from Friday 6 February: 9,10,11,12,13,14(Sat),24,25,26,27,28(Sat),
    # 2,3,4,5 March.
    assert add_working_days(dt.date(2026, 2, 6), 15).date == dt.date(2026, 3, 5)


def test_national_day_2026_with_its_make_up_days(db):
    assert is_working_day(dt.date(2026, 9, 20))  # Sunday, 调休
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, 调休
    assert add_working_days(dt.date(2026, 9, 30), 1).date == dt.date(2026, 10, 8)
    assert add_working_days(dt.date(2026, 9, 30), 3).date == dt.date(2026, 10, 10)
    assert working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 4


def test_counting_past_the_known_years_is_flagged_as_estimated(db):
    result = add_working_days(dt.date(2026, 11, 26), 30)
    assert result.estimated is True
    assert result.date.year == 2027
    inside = add_working_days(dt.date(2026, 11, 2), 15)
    assert inside.estimated is False and inside.date == dt.date(2026, 11, 23)


def test_admins_extend_the_calendar(db):
    from inspections.workdays import clear_calendar_cache

    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    clear_calendar_cache()
    assert not is_working_day(dt.date(2027, 1, 1))
    assert add_working_days(dt.date(2026, 12, 31), 1) .estimated is False
