"""One error shape for every failure of API v1, a database outage included."""

import pytest
from django.db import OperationalError

from tests.api.conftest import TokenClient, issue_token

pytestmark = pytest.mark.django_db


def test_a_database_outage_is_a_503_in_the_error_shape(enterprise_user, monkeypatch):
    api = TokenClient(issue_token(enterprise_user))

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("api.v1.findings.selectors.finding_list", unreachable)
    answer = api.get("/api/v1/findings/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503
    assert answer["Retry-After"] == "30"
    error = answer.json()["error"]
    assert error["code"] == "service_unavailable"
    assert "was not saved" in error["message"] and error["fields"] == {}
    chinese = api.get("/api/v1/findings/", HTTP_ACCEPT_LANGUAGE="zh-CN").json()["error"]["message"]
    assert "was not saved" not in chinese


def test_an_unknown_path_is_a_404_in_the_error_shape(client):
    answer = client.post("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 404
    assert answer.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
