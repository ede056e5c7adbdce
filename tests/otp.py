"""
Logging test clients in past the second factor, the way a real log-in ends:
the user has a confirmed authenticator and the session names it as verified
(django-otp's own session key). The check itself stays as strict as in use.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import second_factor_required


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    """The six digits the authenticator app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits the authenticator does not accept now: none of the codes of the
    steps django-otp tolerates around the current one (a fixed string such as
    "123456" is one of them once in a few hundred thousand runs)."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = set()
    for shift in range(-device.tolerance - 1, device.tolerance + 2):
        clock.drift = device.drift + shift
        accepted.add(clock.token())
    return f"{next(c for c in range(10**6) if c not in accepted):06d}"


def force_login_verified(client, user):
    """force_login, then verify the second factor when the user needs it."""
    client.force_login(user)
    if second_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()
    return client
