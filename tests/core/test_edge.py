"""Input refused at the edge: 400/404 in the user's language, never a 500."""

import pytest
from django.urls import reverse

from core.edge import parse_id, parse_ids


def test_parse_id_takes_only_in_range_digits():
    assert parse_id("42") == 42
    for bad in (None, "", "-1", "0", "4.2", "٣", "²", "99999999999999999999", " 1", "1\x00"):
        assert parse_id(bad) is None, bad
    assert parse_ids(["1", "x", "99999999999999999999", "3"]) == [1, 3]


@pytest.mark.parametrize("url", [
    "/reports/results/99999999999999999999/", "/reports/results/9223372036854775808/",
])
def test_out_of_range_path_ids_are_404_for_anonymous_visitors(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "找不到" in response.content.decode() or "Page not found" in response.content.decode()


def test_nul_in_the_query_string_is_a_400_in_the_users_language(client):
    response = client.get("/reports/results/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "无法处理" in response.content.decode()
    response = client.get("/reports/results/", {"q": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()


def test_control_characters_in_a_form_are_refused_before_the_view(client_for, supervisor):
    response = client_for(supervisor).post(reverse("inspections:campaign_create"),
                                           {"name": "清朗\x1b[31m"})
    assert response.status_code == 400


def test_tabs_and_newlines_in_a_form_pass(client_for, supervisor):
    response = client_for(supervisor).post(reverse("inspections:campaign_create"),
                                           {"name": "清朗\t2026", "description": "a\r\nb"})
    assert response.status_code in (200, 302)


def test_hostile_ids_in_parameters_are_ignored_or_404(client_for, supervisor):
    client = client_for(supervisor)
    big = "99999999999999999999"
    assert client.get(reverse("reports:bulletin_create"), {"campaign": "x"}).status_code == 404
    assert client.get(reverse("reports:bulletin_create"), {"campaign": big}).status_code == 404
    assert client.get(reverse("reports:export_findings", args=["csv"]),
                      {"campaign": big}).status_code == 200
    assert client.get(reverse("rectification:escalation_create"),
                      {"finding": big}).status_code == 404


def test_the_api_answers_control_characters_in_its_own_error_shape(client):
    response = client.get("/api/v1/findings/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
