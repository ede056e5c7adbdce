"""Reads of the audit trail (supervisors and admins only)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from accounts.models import Role, User

from .audit_filters import AuditFilter
from .filters import apply_filters
from .models import AuditEvent


def audit_event_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[AuditEvent]:
    """
    Audit events, newest first, narrowed by AuditFilter's parameters in
    `filters` (ValidationError for a bad value); only supervisors and
    admins may read the whole trail.
    """
    if not (viewer.is_authenticated and viewer.role in (Role.SUPERVISOR, Role.ADMIN)):
        return AuditEvent.objects.none()
    queryset = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    return apply_filters(AuditFilter, data=filters, queryset=queryset, viewer=viewer)
