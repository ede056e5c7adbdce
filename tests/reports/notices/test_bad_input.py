"""Malformed query parameters on notice pages are ignored, never a server error."""

from django.urls import reverse

from tests.factories import CampaignFactory


def test_notice_create_ignores_non_numeric_ids(client_for, inspector):
    campaign = CampaignFactory(team=[inspector])
    response = client_for(inspector).get(
        reverse("reports:notice_create"),
        {"campaign": campaign.pk, "enterprise": "abc", "inspection": "1x"},
    )
    assert response.status_code == 200
    response = client_for(inspector).get(reverse("reports:notice_create"), {"campaign": "x"})
    assert response.status_code == 200


def test_batch_page_ignores_a_non_numeric_batch(client_for, supervisor):
    campaign = CampaignFactory()
    url = reverse("reports:notice_batch", args=[campaign.pk])
    assert client_for(supervisor).get(url, {"batch": "abc"}).status_code == 200
