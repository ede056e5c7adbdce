import pytest
from axes.models import AccessAttempt

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_login_with_the_form_then_logout(client, inspector):
    response = client.post(LOGIN, {"username": "inspector", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/enterprises/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/enterprises/").status_code == 302


def test_staff_land_on_their_work_and_enterprise_users_on_their_portal(
    client, inspector, enterprise_user
):
    client.post(LOGIN, {"username": "inspector", "password": TEST_PASSWORD})
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/work/"
    client.post("/accounts/logout/")
    client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD})
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/portal/"


def test_a_wrong_password_is_refused(client, inspector):
    response = client.post(LOGIN, {"username": "inspector", "password": "wrong"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/enterprises/").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(client, inspector):
    for _ in range(5):
        client.post(LOGIN, {"username": "inspector", "password": "wrong"})
    response = client.post(LOGIN, {"username": "inspector", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert AccessAttempt.objects.get(username="inspector").failures_since_start >= 5
    assert client.get("/enterprises/").status_code == 302


def test_four_failures_do_not_lock(client, inspector):
    for _ in range(4):
        client.post(LOGIN, {"username": "inspector", "password": "wrong"})
    assert client.post(LOGIN, {"username": "inspector", "password": TEST_PASSWORD}).status_code == 302


def test_password_change_applies_the_validators(client_for, inspector):
    client = client_for(inspector)
    response = client.post("/accounts/password/", {
        "old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert len(errors) >= 2  # too common and entirely numeric
    response = client.post("/accounts/password/", {
        "old_password": TEST_PASSWORD, "new_password1": "Qingl@ng-2026-audit",
        "new_password2": "Qingl@ng-2026-audit"})
    assert response.status_code == 302
    inspector.refresh_from_db()
    assert inspector.check_password("Qingl@ng-2026-audit")


def test_spoofed_forwarded_for_from_an_untrusted_address_does_not_escape_the_lockout(
    client, inspector, settings
):
    """Each attempt claims a new client address; it comes straight from 198.51.100.9."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(5):
        client.post(LOGIN, {"username": "inspector", "password": "wrong"},
                    REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(LOGIN, {"username": "inspector", "password": TEST_PASSWORD},
                           REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
