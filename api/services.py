"""
Writes of the API app: issuing and revoking tokens, recording their use.
Enterprise users issue their own tokens in the portal; staff tokens are
issued to a staff user by an administrator (Django admin).
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, NotPermitted

from .models import ApiToken, TokenScope

TOKEN_PREFIX = "lw_"
# A token lives at most a year; its owner issues a new one before it ends.
TOKEN_MAX_DAYS = 366
# Active tokens per user: enough for a few systems, bounded.
TOKEN_MAX_ACTIVE = 20
TOKEN_AUDIT_FIELDS = ["user_id", "name", "prefix", "scope", "expires_at", "revoked_at"]


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _is_admin(actor: User) -> bool:
    return bool(actor.is_authenticated and (actor.role == Role.ADMIN or actor.is_superuser))


@transaction.atomic
def token_create(*, user: User, actor: User, name: str, scope: str,
                 expires_at: datetime.datetime) -> tuple[ApiToken, str]:
    """
    Issue a token to `user`; return it with its secret, which is shown once
    and never stored. Enterprise users issue their own; an administrator
    issues tokens to staff users.
    """
    if user.role == Role.ENTERPRISE:
        if actor.pk != user.pk:
            raise ApplicationError(_("Enterprise users issue their own tokens in the portal."))
    elif not _is_admin(actor):
        raise ApplicationError(_("Only an administrator may issue a token to a staff user."))
    if not user.is_active:
        raise ApplicationError(_("The account is disabled."))
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Name the token after the system that will use it."))
    if scope not in TokenScope.values:
        raise ApplicationError(_("Choose read only or read and write."))
    now = timezone.now()
    if expires_at <= now:
        raise ApplicationError(_("The expiry date must be in the future."))
    if expires_at > now + datetime.timedelta(days=TOKEN_MAX_DAYS):
        raise ApplicationError(_("A token can be valid for at most one year."))
    active = ApiToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= TOKEN_MAX_ACTIVE:
        raise ApplicationError(
            _("At most %(n)s active tokens per account: revoke one first.") % {"n": TOKEN_MAX_ACTIVE})
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    raw = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, created_by=actor, name=name[:80], scope=scope,
                     expires_at=expires_at, prefix=prefix, key_hash=token_hash(raw))
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token.create", obj=token,
                 after=snapshot(token, TOKEN_AUDIT_FIELDS), enterprise_id=user.enterprise_id)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token at once; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if actor.pk != token.user_id and not _is_admin(actor):
        raise NotPermitted(_("Only the token's owner or an administrator may revoke it."))
    if token.revoked_at is not None:
        return token
    before = snapshot(token, TOKEN_AUDIT_FIELDS)
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action="api_token.revoke", obj=token, before=before,
                 after=snapshot(token, TOKEN_AUDIT_FIELDS), enterprise_id=token.user.enterprise_id)
    return token


def token_for_key(raw: str) -> ApiToken | None:
    """The token with this secret (any state), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()


def token_record_use(*, token: ApiToken, ip_address: str | None) -> None:
    """Record one request made with the token: when, from where, how many (one UPDATE)."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=now, last_used_ip=ip_address, use_count=F("use_count") + 1)
    token.last_used_at = now
    token.last_used_ip = ip_address
