"""Tokens: creation in the portal and the admin, hashed storage, scope, expiry, revocation, use."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiToken, TokenScope
from core.exceptions import ApplicationError
from core.models import AuditEvent
from tests.api.conftest import TokenClient, issue_token
from tests.rectification.factories import notified_finding

pytestmark = pytest.mark.django_db
FINDINGS = "/api/v1/findings/"


def test_a_token_is_stored_as_the_sha256_of_its_secret_only(enterprise_user):
    secret = issue_token(enterprise_user)
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix + "_") and token.prefix.startswith("lw_")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    assert secret not in stored and secret.split("_", 2)[2] not in "".join(stored)
    # Nor does the audit trail hold it.
    event = AuditEvent.objects.get(action="api_token.create")
    assert secret not in str(event.after) and "key_hash" not in event.after


def test_the_portal_creates_a_named_scoped_token_and_shows_the_secret_once(
        client_for, enterprise_user):
    client = client_for(enterprise_user)
    url = reverse("api_tokens:list")
    response = client.post(url, {"name": "工单系统", "scope": "read", "days": "90"})
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert (token.name, token.scope, token.user, token.created_by) == (
        "工单系统", "read", enterprise_user, enterprise_user)
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    first = client.get(url).content.decode()
    secret = first.split('token-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith(token.prefix)
    assert services.token_for_key(secret) == token
    # Shown once: the next view of the page no longer has it.
    assert secret not in client.get(url).content.decode()


def test_the_portal_keeps_what_was_typed_on_bad_input(client_for, enterprise_user):
    response = client_for(enterprise_user).post(reverse("api_tokens:list"),
                                                {"name": "工单系统", "scope": "all", "days": "9999"})
    assert response.status_code == 200
    assert "工单系统" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_pages_are_the_enterprise_users_own(client_for, enterprise_user, other_enterprise_user,
                                                  inspector):
    secret = issue_token(enterprise_user)
    token = services.token_for_key(secret)
    revoke = reverse("api_tokens:revoke", args=[token.pk])
    assert client_for(other_enterprise_user).get(revoke).status_code == 404
    assert client_for(other_enterprise_user).post(revoke).status_code == 404
    assert client_for(inspector).get(reverse("api_tokens:list")).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_asks_first_then_stops_the_token_at_once(client_for, enterprise_user):
    secret = issue_token(enterprise_user)
    token = services.token_for_key(secret)
    api = TokenClient(secret)
    assert api.get(FINDINGS).status_code == 200
    client = client_for(enterprise_user)
    revoke = reverse("api_tokens:revoke", args=[token.pk])
    confirm = client.get(revoke)
    assert confirm.status_code == 200 and token.prefix in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(revoke).status_code == 302
    response = api.get(FINDINGS)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_revoked"
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    # Revoking again changes nothing.
    client.post(revoke)
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_an_expired_token_is_refused(enterprise_user):
    api = TokenClient(issue_token(enterprise_user, days=2))
    assert api.get(FINDINGS).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        response = api.get(FINDINGS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "token_expired",
                                         "message": "The token has expired.", "fields": {}}}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer lw_nothing_real", "Bearer", "Bearer a b",
                                    "Bearer lw_\u00e9", "Bearer lw_令牌", "bearer " + "x" * 5000])
def test_a_bad_token_is_a_401_in_the_error_shape(header):
    answer = Client(HTTP_AUTHORIZATION=header).get(FINDINGS)
    assert answer.status_code == 401
    assert set(answer.json()["error"]) == {"code", "message", "fields"}


def test_no_credentials_is_a_401(client):
    response = client.get(FINDINGS)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_disabled_account_cannot_use_its_token(enterprise_user):
    api = TokenClient(issue_token(enterprise_user))
    enterprise_user.is_active = False
    enterprise_user.save()
    assert api.get(FINDINGS).json()["error"]["code"] == "account_disabled"


def test_a_read_only_token_reads_but_never_writes(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user, scope=TokenScope.READ))
    assert api.get(FINDINGS).status_code == 200
    response = api.post(f"/api/v1/findings/{finding.pk}/extension-requests/", {
        "requested_deadline": str(finding.deadline + datetime.timedelta(days=5)),
        "reason": "需要时间"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_read_only"
    assert not finding.extension_requests.exists()


def test_every_use_is_recorded_with_time_and_address(enterprise_user):
    secret = issue_token(enterprise_user)
    api = TokenClient(secret, REMOTE_ADDR="203.0.113.7")
    api.get(FINDINGS)
    api.get(FINDINGS)
    token = ApiToken.objects.get()
    assert token.use_count == 2
    assert token.last_used_ip == "203.0.113.7"
    assert timezone.now() - token.last_used_at < datetime.timedelta(seconds=30)


def test_rate_limit_per_token(settings, enterprise_user):
    settings.API_RATE_LIMIT = "3/minute"
    first = TokenClient(issue_token(enterprise_user))
    second = TokenClient(issue_token(enterprise_user))
    assert [first.get(FINDINGS).status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get(FINDINGS)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "throttled"
    assert "Retry-After" in limited
    # Another token has its own budget.
    assert second.get(FINDINGS).status_code == 200


def test_only_an_admin_issues_staff_tokens(inspector, supervisor, admin_user):
    expires = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(ApplicationError):
        services.token_create(user=inspector, actor=inspector, name="脚本", scope="read",
                              expires_at=expires)
    with pytest.raises(ApplicationError):
        services.token_create(user=inspector, actor=supervisor, name="脚本", scope="read",
                              expires_at=expires)
    token, _secret = services.token_create(user=inspector, actor=admin_user, name="脚本",
                                           scope="read", expires_at=expires)
    assert token.created_by == admin_user


def test_an_enterprise_user_issues_tokens_for_themselves_only(enterprise_user, other_enterprise_user):
    with pytest.raises(ApplicationError):
        services.token_create(user=other_enterprise_user, actor=enterprise_user, name="x",
                              scope="read", expires_at=timezone.now() + datetime.timedelta(days=1))


@pytest.mark.parametrize("days", [-1, 0, 400])
def test_expiry_is_in_the_future_and_within_a_year(enterprise_user, days):
    with pytest.raises(ApplicationError):
        services.token_create(user=enterprise_user, actor=enterprise_user, name="x", scope="read",
                              expires_at=timezone.now() + datetime.timedelta(days=days))


def test_the_admin_issues_a_staff_token_and_shows_it_once(client_for, admin_user, inspector):
    client = client_for(admin_user)
    response = client.post(reverse("admin:api_apitoken_add"), {
        "user": inspector.pk, "name": "统计脚本", "scope": "read",
        "expires_at_0": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "expires_at_1": "12:00:00"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert (token.user, token.created_by, token.scope) == (inspector, admin_user, "read")
    text = response.content.decode()
    secret = re.search(re.escape(token.prefix) + r"_[A-Za-z0-9_-]+", text).group(0)
    assert TokenClient(secret).get(FINDINGS).status_code == 200
