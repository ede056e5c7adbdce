"""Findings counted by their inspection's origin: the random draw apart from targeted work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import Finding, FindingStatus
from inspections.selectors import campaign_origin_counts, findings_by_origin
from tests.factories import CampaignFactory, FindingFactory, InspectionFactory


@pytest.mark.django_db
def test_findings_are_counted_by_origin_and_basis_without_the_withdrawn():
    campaign = CampaignFactory()
    drawn = InspectionFactory(campaign=campaign)
    tip_off = InspectionFactory(
        campaign=campaign, origin="targeted", target_basis="tip_off", target_reason="举报"
    )
    follow_up = InspectionFactory(campaign=campaign, origin="follow_up")
    for inspection, n in ((drawn, 3), (tip_off, 2), (follow_up, 1)):
        for _ in range(n):
            FindingFactory(inspection=inspection)
    FindingFactory(inspection=drawn, status=FindingStatus.WITHDRAWN)
    FindingFactory(inspection=tip_off, status=FindingStatus.WITHDRAWN)
    FindingFactory(inspection=InspectionFactory())  # another campaign

    with CaptureQueriesContext(connection) as ctx:
        counted = findings_by_origin(Finding.objects.filter(campaign=campaign))
    assert counted == {("random", ""): 3, ("targeted", "tip_off"): 2, ("follow_up", ""): 1}
    # The drawn inspections' findings are counted without joining their inspections.
    assert sum('"inspections_inspection"' in q["sql"] for q in ctx.captured_queries) == 1

    by_origin = {
        row["origin"]: row["findings"] for row in campaign_origin_counts(campaign=campaign)
    }
    assert by_origin == {"random": 3, "targeted": 2, "follow_up": 1}


@pytest.mark.django_db
def test_no_findings_count_nothing():
    assert findings_by_origin(Finding.objects.none()) == {}
    assert findings_by_origin(Finding.objects.all()) == {}
