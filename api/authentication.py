"""
Token authentication for API v1: `Authorization: Bearer lw_…`. Every
accepted request records the token's last use and address. The token's
scope (read only, read and write) is enforced by `TokenScopePermission`.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.audit import client_ip

from . import services
from .models import ApiToken


class TokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        try:
            parts = get_authorization_header(request).split()
        except UnicodeError:
            # Not even latin-1: nothing a token could be.
            raise exceptions.AuthenticationFailed(_("The token is not valid."), code="token_invalid")
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”."), code="token_malformed")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = services.token_for_key(raw) if raw else None
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."), code="token_invalid")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token has been revoked."),
                                                  code="token_revoked")
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("The token has expired."), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account is disabled."),
                                                  code="account_disabled")
        services.token_record_use(token=token, ip_address=client_ip(request._request))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenScopePermission(BasePermission):
    """A read-only token may only read; the browser session is not limited here."""

    message = _("This token is read only.")
    code = "token_read_only"

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in SAFE_METHODS:
            # A POST that stores nothing (the label check) is a read.
            if request.method == "POST" and getattr(view, "read_only_post", False):
                return True
            return token.can_write
        return True
