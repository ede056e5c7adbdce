"""
Reads of inspections data, scoped to the viewer. Every view, export, API
and task that reads these objects goes through a function here.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import STAFF_ROLES, Role

from .lifecycle import ENTERPRISE_VISIBLE_STATUSES
from .models import Campaign, Finding, Inspection


def campaign_list(*, viewer) -> QuerySet[Campaign]:
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        return Campaign.objects.all()
    return Campaign.objects.none()


def inspection_list(*, viewer) -> QuerySet[Inspection]:
    """Inspections are internal: staff see them all, enterprises none."""
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        return Inspection.objects.select_related("enterprise", "campaign")
    return Inspection.objects.none()


def finding_list(*, viewer) -> QuerySet[Finding]:
    """
    Staff see every finding; an enterprise user sees its own enterprise's
    findings once they have been notified (never open internal drafts).
    """
    queryset = Finding.objects.select_related("enterprise", "campaign", "issue_code")
    if not viewer.is_authenticated:
        return queryset.none()
    if viewer.role in STAFF_ROLES:
        return queryset
    if viewer.role == Role.ENTERPRISE and viewer.enterprise_id:
        return queryset.filter(
            enterprise_id=viewer.enterprise_id, status__in=ENTERPRISE_VISIBLE_STATUSES
        )
    return queryset.none()


def finding_get(*, viewer, pk: int) -> Finding:
    """One finding the viewer may see, or 404."""
    return get_object_or_404(finding_list(viewer=viewer), pk=pk)
