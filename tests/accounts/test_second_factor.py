"""TOTP for supervisors and admins (optional for others), recovery codes, staff session expiry."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from core.models import AuditEvent
from tests.factories import TEST_PASSWORD, EnterpriseUserFactory
from tests.otp import authenticator, code_now, wrong_code

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _log_in(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def test_a_supervisor_without_a_device_is_sent_to_set_up(client, supervisor):
    _log_in(client, supervisor)
    response = client.get("/enterprises/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_setup"))
    # Every other page too, the admin site included.
    for url in ("/reports/notices/", "/admin/", "/inspections/"):
        assert client.get(url).url.startswith(reverse("accounts:otp_setup")), url


def test_set_up_confirms_with_a_code_and_shows_recovery_codes_once(client, supervisor):
    _log_in(client, supervisor)
    page = client.get(reverse("accounts:otp_setup"), {"next": "/enterprises/"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"token": wrong_code(device), "next": "/enterprises/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    # A wrong code holds the device back a moment (django-otp's throttling).
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)):
        response = client.post(reverse("accounts:otp_setup"),
                               {"token": code_now(device), "next": "/enterprises/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", c) for c in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/enterprises/").status_code == 200
    assert AuditEvent.objects.filter(action="second factor set up",
                                     object_id=str(supervisor.pk)).exists()


def test_a_supervisor_with_a_device_must_give_a_code_at_each_log_in(client, supervisor):
    device = authenticator(supervisor)
    _log_in(client, supervisor)
    response = client.get("/enterprises/")
    assert response.url.startswith(reverse("accounts:otp_verify"))
    # A password alone cannot swap in another authenticator.
    assert client.get(reverse("accounts:otp_setup")).status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor, confirmed=False).exists()
    bad = client.post(reverse("accounts:otp_verify"), {"token": wrong_code(device), "next": "/enterprises/"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client.get("/enterprises/").status_code == 302
    device.refresh_from_db()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)):
        good = client.post(reverse("accounts:otp_verify"),
                           {"token": f"{totp(device.bin_key):06d}", "next": "/enterprises/"})
    assert good.status_code == 302 and good.url == "/enterprises/"
    assert client.get("/enterprises/").status_code == 200


def test_a_recovery_code_works_once(client, supervisor):
    from accounts.second_factor import recovery_codes_renew

    authenticator(supervisor)
    code = recovery_codes_renew(user=supervisor)[0]
    _log_in(client, supervisor)
    assert client.post(reverse("accounts:otp_verify"), {"token": code}).status_code == 302
    assert client.get("/enterprises/").status_code == 200
    client.post(reverse("accounts:logout"))
    _log_in(client, supervisor)
    again = client.post(reverse("accounts:otp_verify"), {"token": code})
    assert again.status_code == 200 and again.context["form"].errors


def test_an_admin_is_held_to_it_too(client, admin_user):
    _log_in(client, admin_user)
    assert client.get("/admin/").url.startswith(reverse("accounts:otp_setup"))


def test_the_second_factor_is_optional_for_inspectors_until_they_set_it_up(client, inspector):
    _log_in(client, inspector)
    assert client.get("/enterprises/").status_code == 200
    client.post(reverse("accounts:logout"))
    authenticator(inspector)
    _log_in(client, inspector)
    assert client.get("/enterprises/").url.startswith(reverse("accounts:otp_verify"))


def test_staff_sessions_expire_and_enterprise_sessions_keep_the_default(client, inspector,
                                                                        settings):
    _log_in(client, inspector)
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_SECONDS
    client.post(reverse("accounts:logout"))
    _log_in(client, EnterpriseUserFactory(username="ent"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_an_admin_deactivates_every_user_of_an_enterprise_after_confirming(
    client_for, admin_user, enterprise, other_enterprise
):
    users = [EnterpriseUserFactory(enterprise=enterprise, username=f"e{n}") for n in range(3)]
    bystander = EnterpriseUserFactory(enterprise=other_enterprise, username="other")
    client = client_for(admin_user)
    url = reverse("admin:enterprises_enterprise_changelist")
    data = {"action": "deactivate_users", "_selected_action": [enterprise.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and "e1" in confirm.content.decode()
    assert User.objects.filter(enterprise=enterprise, is_active=True).count() == 3
    done = client.post(url, data | {"confirmed": "yes"})
    assert done.status_code == 302
    assert not User.objects.filter(pk__in=[u.pk for u in users], is_active=True).exists()
    assert User.objects.get(pk=bystander.pk).is_active
    assert AuditEvent.objects.filter(action="user deactivated").count() == 3
