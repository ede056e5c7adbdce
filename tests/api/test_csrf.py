"""
CSRF on the API: a system signs in with its token and has no cookie to send,
a signed-in browser must send the token. The API's views are imported on
first use (core.lazyviews) and are still exempt from Django's CSRF
middleware, so DRF decides, and a refusal is in the API's error shape.
"""

import datetime

import pytest
from django.test import Client

from tests.api.conftest import TokenClient, issue_token
from tests.rectification.factories import notified_finding

pytestmark = pytest.mark.django_db


def request_extension(client, finding):
    return client.post(
        f"/api/v1/findings/{finding.pk}/extension-requests/",
        {
            "requested_deadline": str(finding.deadline + datetime.timedelta(days=5)),
            "reason": "需要时间",
        },
        content_type="application/json",
    )


def test_a_token_client_writes_without_a_csrf_cookie(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user), enforce_csrf_checks=True)
    response = request_extension(api, finding)
    assert response.status_code == 201, response.content
    assert finding.extension_requests.count() == 1


def test_a_signed_in_browser_must_send_the_csrf_token(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(enterprise_user)
    response = request_extension(browser, finding)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "permission_denied"
    assert not finding.extension_requests.exists()
