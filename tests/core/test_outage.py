"""A database outage during a request: a 503 in the user's language, never a bare 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db


def test_a_database_outage_answers_503_saying_nothing_was_saved(enterprise_user):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    force_login_verified(client, enterprise_user)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load",
                    side_effect=OperationalError("server closed the connection unexpectedly")):
        response = client.post(reverse("portal:report_start"), {"findings": ["1"]})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "您刚才提交的内容没有保存" in page and "草稿" in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_other_errors_stay_a_plain_500(enterprise_user):
    client = Client(raise_request_exception=False)
    force_login_verified(client, enterprise_user)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load",
                    side_effect=RuntimeError("boom")):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 500
    assert "boom" not in response.content.decode()
