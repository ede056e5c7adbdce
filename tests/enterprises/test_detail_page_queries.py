"""The enterprise page stays within the staff pages' budget of 20 queries (benchmarks/pages.py)."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import CampaignFactory, FindingFactory, InspectionFactory, UserFactory
from tests.otp import authenticator
from tests.reports.factories import make_notice

PAGE_QUERY_BUDGET = 20


@pytest.mark.django_db
def test_an_inspectors_enterprise_page_with_every_section_filled_stays_within_budget(
        inspector, supervisor, client_for, django_assert_max_num_queries):
    campaign = CampaignFactory()
    campaign.team.add(inspector)
    notice = make_notice(author=inspector, approver=supervisor, campaign=campaign)
    enterprise = notice.enterprise
    officers = [UserFactory(role="inspector") for _ in range(3)]
    for n in range(4):
        inspection = InspectionFactory(campaign=campaign, enterprise=enterprise, officers=officers[n % 2:])
        FindingFactory(inspection=inspection)
    client = client_for(inspector)
    # As after a log-in with the authenticator: the session names the device (read each request).
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(inspector).persistent_id
    session.save()
    url = reverse("enterprises:detail", args=[enterprise.pk])
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        page = client.get(url)
    assert page.status_code == 200 and 'id="inspection-history"' in page.content.decode()
