"""
The second factor (TOTP, django-otp): required for supervisors and
administrators, who approve, sign and manage users; optional for everyone
else, and then required of them too once they have set it up. Recovery codes
(django-otp's static tokens, each usable once) stand in for a lost phone.

A signed-in user who needs the second factor and has not given it this
session reaches nothing but the set-up or verify page (and log-out).
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record

from .models import Role, User

RECOVERY_CODES = 10
REQUIRED_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Views a user who still owes the second factor may reach.
OPEN_URL_NAMES = frozenset({
    "accounts:login", "accounts:logout", "accounts:otp_setup", "accounts:otp_verify",
    "set_language",
})


HAS_DEVICE_SESSION_KEY = "otp_has_device"


def second_factor_required(user: User, session: SessionBase | None = None) -> bool:
    """
    Supervisors and admins always; others once they have set a device up
    (looked up once per session, not on every request).
    """
    if user.role in REQUIRED_ROLES or user.is_superuser:
        return True
    if session is not None and HAS_DEVICE_SESSION_KEY in session:
        return session[HAS_DEVICE_SESSION_KEY]
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if session is not None:
        session[HAS_DEVICE_SESSION_KEY] = has_device
    return has_device


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: send unverified users to set-up or verify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not second_factor_required(user, request.session):
            return None
        target = ("accounts:otp_verify" if user_has_device(user, confirmed=True)
                  else "accounts:otp_setup")
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


# --- services ---------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` (an earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """
    Confirm the authenticator when `token` is right: it replaces any earlier
    one, and a fresh set of recovery codes is made. Return the codes (shown
    once), or None when the token is wrong.
    """
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=user)
    audit_record(actor=user, action="second factor set up", obj=user)
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def on_log_in(sender: type[User], request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """
    user_logged_in receiver: staff sessions end STAFF_SESSION_SECONDS after
    log-in, and the session learns once whether the user has an authenticator.
    """
    if request is None or not hasattr(request, "session"):
        return
    if user.is_staff_role:
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
    request.session.pop(HAS_DEVICE_SESSION_KEY, None)
    second_factor_required(user, request.session)
