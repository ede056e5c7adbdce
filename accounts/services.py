"""Writes on accounts (audited)."""

from django.db import transaction

from core.audit import audit_record, snapshot

from .models import User


@transaction.atomic
def enterprise_users_deactivate(*, enterprise, actor: User) -> int:
    """
    Deactivate every active user of `enterprise` at once (a compromised or
    departed company): they can no longer log in, and their open sessions end
    at their next request. Return how many were deactivated.
    """
    users = list(enterprise.users.select_for_update().filter(is_active=True))
    for user in users:
        before = snapshot(user, ["is_active"])
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="user deactivated", obj=user, before=before,
                     after=snapshot(user, ["is_active"]), enterprise_id=enterprise.pk,
                     note="all users of the enterprise")
    return len(users)
