"""Malformed input gets a page or a clear refusal, never a server error."""

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from inspections.models import Inspection, IssueCode
from inspections.services.findings import finding_create
from tests.factories import InspectionFactory


@pytest.mark.parametrize("month", ["9999-12", "0-1", "2026-13", "abc"])
def test_calendar_falls_back_to_this_month_on_a_bad_month(client_for, inspector, month):
    response = client_for(inspector).get(reverse("inspections:calendar"), {"month": month})
    assert response.status_code == 200


def test_a_closed_inspection_takes_no_new_findings(inspector, enterprise):
    inspection = InspectionFactory(enterprise=enterprise, status=Inspection.Status.CLOSED)
    with pytest.raises(ApplicationError):
        finding_create(inspection=inspection, issue_code=IssueCode.objects.get(pk="IMP-01"),
                       actor=inspector, description="补录问题")
    assert not inspection.findings.exists()
