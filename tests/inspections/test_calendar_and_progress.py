"""The calendar counts per day; campaign progress counts match a hand count."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from inspections import selectors
from inspections.models import FindingStatus, Inspection, IssueCode
from tests.factories import CampaignFactory, FindingFactory, InspectionFactory

NOV_2 = dt.date(2026, 11, 2)
NOV_3 = dt.date(2026, 11, 3)


@pytest.fixture
def month(enterprise, inspector):
    campaign = CampaignFactory(team=[inspector])
    code = IssueCode.objects.get(pk="IMP-01")
    first = InspectionFactory(campaign=campaign, enterprise=enterprise, planned_date=NOV_2)
    InspectionFactory(campaign=campaign, enterprise=enterprise, planned_date=NOV_2)
    InspectionFactory(campaign=campaign, enterprise=enterprise, planned_date=NOV_3)
    FindingFactory(inspection=first, issue_code=code, deadline=NOV_3)
    FindingFactory(inspection=first, issue_code=code, deadline=NOV_3,
                   status=FindingStatus.NOTIFIED)
    # Closed findings have no deadline left to show.
    FindingFactory(inspection=first, issue_code=code, deadline=NOV_3,
                   status=FindingStatus.ACCEPTED)
    return campaign


def _day(calendar, date):
    return next(d for week in calendar["weeks"] for d in week if d["date"] == date)


def test_the_calendar_counts_inspections_and_open_deadlines_per_day(month, inspector):
    calendar = selectors.calendar_month(viewer=inspector, year=2026, month=11)
    assert (_day(calendar, NOV_2)["n_inspections"], _day(calendar, NOV_2)["n_deadlines"]) == (2, 0)
    assert (_day(calendar, NOV_3)["n_inspections"], _day(calendar, NOV_3)["n_deadlines"]) == (1, 2)
    assert (calendar["n_inspections"], calendar["n_deadlines"]) == (3, 2)


def test_calendar_days_link_to_the_lists_filtered_to_that_day(month, inspector, client_for):
    client = client_for(inspector)
    page = client.get(reverse("inspections:calendar"), {"month": "2026-11"}).content.decode()
    inspections_url = reverse("inspections:inspection_list") + "?planned_date=2026-11-02"
    deadlines_url = reverse("inspections:finding_list") + "?deadline=2026-11-03&amp;open=on"
    assert inspections_url in page and deadlines_url in page

    listed = client.get(reverse("inspections:inspection_list"), {"planned_date": "2026-11-02"})
    assert {i.planned_date for i in listed.context["page_obj"]} == {NOV_2}
    assert len(listed.context["page_obj"]) == 2
    listed = client.get(reverse("inspections:finding_list"), {"deadline": "2026-11-03", "open": "on"})
    assert len(listed.context["page_obj"]) == 2
    listed = client.get(reverse("inspections:finding_list"), {"deadline": "2026-11-03"})
    assert len(listed.context["page_obj"]) == 3


def test_the_calendar_warns_when_the_year_is_estimated(db, inspector, client_for):
    page = client_for(inspector).get(reverse("inspections:calendar"), {"month": "2099-05"})
    assert page.status_code == 200 and not page.context["known"]


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False)
def test_campaign_counts_equal_a_hand_count(month, enterprise):
    other = CampaignFactory()
    InspectionFactory(campaign=other, enterprise=enterprise, status=Inspection.Status.CLOSED)
    FindingFactory(inspection=InspectionFactory(campaign=month, enterprise=enterprise,
                                                status=Inspection.Status.PLANNED),
                   issue_code=IssueCode.objects.get(pk="EXP-01"), status=FindingStatus.ESCALATED,
                   deadline=dt.date(2026, 12, 31), is_repeat=True)
    FindingFactory(inspection=InspectionFactory(campaign=month, enterprise=enterprise,
                                                status=Inspection.Status.CLOSED),
                   issue_code=IssueCode.objects.get(pk="EXP-01"), status=FindingStatus.WITHDRAWN)

    counts = selectors.campaign_status_counts_compute()["campaigns"]
    # 3 in progress (fixture) + 1 planned + 1 closed; overdue: 2 running past Nov 3 + 1
    # escalated; the withdrawn finding counts nowhere.
    assert counts[month.pk] == {
        "planned": 1, "due": 0, "in_progress": 3, "done": 1, "total": 5,
        "open": 3, "closed": 1, "overdue": 3, "repeat": 1, "findings": 4,
    }
    assert counts[other.pk]["done"] == 1 and counts[other.pk]["findings"] == 0
    # Recomputing changes nothing (idempotent).
    assert selectors.campaign_status_counts_compute()["campaigns"] == counts


def test_campaign_pages_show_cached_counts_with_their_time(month, inspector, client_for):
    client = client_for(inspector)
    listed = client.get(reverse("inspections:campaign_list"))
    row = next(c for c in listed.context["campaigns"] if c.pk == month.pk)
    assert row.counts["in_progress"] == 3
    board = client.get(reverse("inspections:campaign_detail", args=[month.pk])).context["board"]
    assert board["in_progress"] == 3 and board["findings"]["open"] == 2
    assert board["as_of"] == listed.context["as_of"]  # one cached computation

    InspectionFactory(campaign=month, planned_date=NOV_2)
    # Within the TTL the cached counts stand; once expired they are recounted.
    assert selectors.campaign_status_counts()["campaigns"][month.pk]["total"] == 3
    from django.core.cache import cache

    cache.delete(selectors.CAMPAIGN_COUNTS_KEY)
    assert selectors.campaign_status_counts()["campaigns"][month.pk]["total"] == 4
