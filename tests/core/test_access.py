"""Every role against every registry page: one matrix, one place."""

import pytest

from tests.factories import ServiceFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db

# (page, method): {role: expected status}. 200 also stands for a redirect
# after a successful POST; "login" means a redirect to the login page.
READ = {"inspector": 200, "supervisor": 200, "admin": 200, "analyst": 200,
        "enterprise": 404, "anonymous": "login"}
WRITE = {**READ, "analyst": 403}
PAGES = [
    ("/enterprises/", READ),
    ("/enterprises/?q=x&sort=-name", READ),
    ("/enterprises/{pk}/", READ),
    ("/enterprises/{other_pk}/", READ),
    ("/enterprises/export.csv", READ),
    ("/enterprises/export.xlsx", READ),
    ("/enterprises/new/", WRITE),
    ("/enterprises/{pk}/edit/", WRITE),
    ("/enterprises/{other_pk}/edit/", WRITE),
    ("/enterprises/import/", WRITE),
    ("/portal/", {"inspector": 404, "supervisor": 404, "admin": 404, "analyst": 404,
                  "enterprise": 200, "anonymous": "login"}),
]
ROLES = ["inspector", "supervisor", "analyst", "admin", "enterprise", "anonymous"]


@pytest.fixture
def user_of(staff_users, enterprise_user):
    return {**staff_users, "enterprise": enterprise_user, "anonymous": None}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url,expected", PAGES, ids=[p for p, _e in PAGES])
def test_role_access(client, user_of, enterprise, other_enterprise, role, url, expected):
    user = user_of[role]
    if user is not None:
        force_login_verified(client, user)
    response = client.get(url.format(pk=enterprise.pk, other_pk=other_enterprise.pk))
    wanted = expected[role]
    if wanted == "login":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == wanted


@pytest.mark.parametrize("url", ["/enterprises/new/", "/enterprises/import/"])
def test_analyst_cannot_post_to_write_pages(client_for, analyst, url):
    assert client_for(analyst).post(url, {}).status_code == 403


def test_enterprise_user_sees_only_its_own_portal_record(client_for, enterprise_user, enterprise,
                                                         other_enterprise):
    body = client_for(enterprise_user).get("/portal/").content.decode()
    assert enterprise.name in body
    assert other_enterprise.name not in body


def test_portal_registry_partial_lists_own_services_and_filings(enterprise, other_enterprise):
    from django.template.loader import render_to_string

    ServiceFactory(enterprise=enterprise, name="自家服务")
    ServiceFactory(enterprise=other_enterprise, name="别家服务")
    body = render_to_string("enterprises/_portal_registry.html", {"enterprise": enterprise})
    assert "自家服务" in body and "别家服务" not in body


def test_enterprise_user_gets_404_for_another_enterprises_record(client_for, other_enterprise_user,
                                                                  enterprise):
    client = client_for(other_enterprise_user)
    assert client.get(f"/enterprises/{enterprise.pk}/").status_code == 404
    assert client.get(f"/enterprises/{enterprise.pk}/edit/").status_code == 404
