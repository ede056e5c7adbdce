"""
The portal's API token pages: an enterprise user lists, creates and revokes
their own tokens. The secret is shown once, right after creation.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import enterprise_user_required
from core.pages import refusals

from . import selectors, services
from .forms import TokenCreateForm

NEW_SECRET = "api_new_token"


@require_http_methods(["GET", "POST"])
@enterprise_user_required
def token_list(request):
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            token, secret = services.token_create(
                user=request.user, actor=request.user, name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"], expires_at=form.expires_at())
            # Shown on the next page view only (post/redirect/get: a reload
            # creates nothing twice), then gone for good.
            request.session[NEW_SECRET] = {"id": token.pk, "secret": secret}
            return redirect("api_tokens:list")
    new = request.session.pop(NEW_SECRET, None)
    return render(request, "api/token_list.html", {
        "form": form, "tokens": selectors.token_list(viewer=request.user),
        "new": new,
    })


@require_http_methods(["GET", "POST"])
@enterprise_user_required
def token_revoke(request, pk: int):
    """Confirm, then revoke: systems using the token stop working at once."""
    token = selectors.token_get(viewer=request.user, pk=pk)
    if request.method == "POST":
        services.token_revoke(token=token, actor=request.user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
