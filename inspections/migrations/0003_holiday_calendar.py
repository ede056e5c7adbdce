"""
Seed the working-day calendar from the `chinese_calendar` package
(pip: chinesecalendar): every statutory holiday on a weekday and every
make-up working day (调休) on a weekend, with its name, plus one CalendarYear
per year the package knows. Admins add later years by hand when the State
Council publishes them.
"""

import datetime

from django.db import migrations

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _name(value) -> str:
    english = getattr(value, "value", value) or ""
    return NAMES_ZH.get(english, english)[:60]


def load(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("inspections", "CalendarYear")
    CalendarDay = apps.get_model("inspections", "CalendarDay")
    rows: dict[datetime.date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.weekday() < 5:  # a weekend holiday is no exception to the week
            rows[day] = (False, _name(name))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            rows[day] = (True, f"{_name(name)}调休上班"[:60])
    years = sorted({day.year for day in chinese_calendar.holidays})
    version = getattr(chinese_calendar, "__version__", "")
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=f"chinesecalendar {version}".strip()) for year in years],
        ignore_conflicts=True,
    )
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create([
        CalendarDay(date=day, is_workday=is_workday, name=name)
        for day, (is_workday, name) in sorted(rows.items()) if day not in existing
    ], batch_size=500)


def unload(apps, schema_editor):
    apps.get_model("inspections", "CalendarDay").objects.all().delete()
    apps.get_model("inspections", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_taxonomy")]
    operations = [migrations.RunPython(load, unload)]
