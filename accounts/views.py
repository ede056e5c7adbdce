import base64

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .second_factor import HAS_DEVICE_SESSION_KEY, totp_device_confirm, totp_device_start

SETUP_SESSION_KEY = "otp_setup_device"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class TokenForm(forms.Form):
    token = forms.CharField(
        label=pgettext_lazy("second factor", "Code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


def _qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Set up an authenticator app: scan, type one code, keep the recovery codes."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # Replacing a device needs the current one first.
        return redirect(f"{request.path.replace('setup', 'verify')}?next={request.path}")
    device = TOTPDevice.objects.filter(pk=request.session.get(SETUP_SESSION_KEY), user=user,
                                       confirmed=False).first()
    if device is None:
        device = totp_device_start(user=user)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            request.session.pop(SETUP_SESSION_KEY, None)
            request.session[HAS_DEVICE_SESSION_KEY] = True
            otp_login(request, device)
            return render(request, "accounts/otp_recovery_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("That code is not right. Type the code the app shows now."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - our own SVG
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request), "required": True,
    })


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of logging in: a code from the app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not right, or it was used already."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})
