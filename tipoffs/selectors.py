"""Reads of tip-offs, scoped to the viewer."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from core.access import is_staff_user
from inspections.models import Inspection
from inspections.selectors import inspection_list

from .models import PUBLIC_STATE, TipCategory, TipOff, TipStatus


def tipoff_list(*, viewer: User) -> QuerySet[TipOff]:
    """Supervisors, analysts and admins see every tip-off; an inspector those assigned to them."""
    if not is_staff_user(viewer):
        return TipOff.objects.none()
    queryset = TipOff.objects.all()
    if viewer.role == Role.INSPECTOR:
        queryset = queryset.filter(assigned_to=viewer)
    return queryset


def tipoff_filtered(*, viewer: User, filters: dict) -> QuerySet[TipOff]:
    queryset = tipoff_list(viewer=viewer).select_related("enterprise", "assigned_to")
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("mine"):
        queryset = queryset.filter(assigned_to=viewer)
    if filters.get("q"):
        q = filters["q"]
        queryset = queryset.filter(Q(tracking_code__iexact=q) | Q(service_name__icontains=q)
                                   | Q(enterprise__name__icontains=q))
    return queryset.order_by("-created_at", "-id")


def tipoff_get(*, viewer: User, pk: int) -> TipOff:
    return get_object_or_404(
        tipoff_list(viewer=viewer).select_related("enterprise", "assigned_to", "merged_into",
                                                  "inspection", "finding"), pk=pk)


def public_status(*, code: str) -> dict | None:
    """
    What a reporter may see for a tracking code: the date received, the
    public state and the date of its last change. A merged report shows the
    course of the report it was merged into. Nothing else.
    """
    code = (code or "").strip().upper()[:16]
    if not code:
        return None
    tipoff = TipOff.objects.filter(tracking_code=code).select_related("merged_into").first()
    if tipoff is None:
        return None
    followed = tipoff.merged_into or tipoff
    return {"code": tipoff.tracking_code, "received_on": tipoff.created_at,
            "state": PUBLIC_STATE[followed.status],
            "state_label": PUBLIC_STATE[followed.status].label,
            "updated_on": max(tipoff.updated_at, followed.updated_at)}


def statistics(*, viewer: User) -> dict:
    """Counts by category, by outcome and by enterprise (the 20 most reported)."""
    queryset = tipoff_list(viewer=viewer).order_by()
    categories = dict(TipCategory.choices)
    statuses = dict(TipStatus.choices)
    by_category = [
        {"label": categories.get(row["category"], row["category"]), "n": row["n"],
         "valid": row["valid"]}
        for row in queryset.values("category").annotate(
            n=Count("id"), valid=Count("id", filter=Q(substantiated=True))).order_by("-n")
    ]
    by_status = [{"label": statuses.get(row["status"], row["status"]), "n": row["n"]}
                 for row in queryset.values("status").annotate(n=Count("id")).order_by("-n")]
    by_enterprise = list(
        queryset.filter(enterprise__isnull=False)
        .values("enterprise_id", "enterprise__name")
        .annotate(n=Count("id"), valid=Count("id", filter=Q(substantiated=True)))
        .order_by("-n", "enterprise__name")[:20]
    )
    return {"total": queryset.count(), "by_category": by_category, "by_status": by_status,
            "by_enterprise": by_enterprise}


def open_inspections_for(*, tipoff: TipOff, viewer: User):
    """Inspections of the tip-off's enterprise that still take findings, among those the viewer sees."""
    if tipoff.enterprise_id is None:
        return Inspection.objects.none()
    return (inspection_list(viewer=viewer).filter(enterprise_id=tipoff.enterprise_id)
            .exclude(status=Inspection.Status.CLOSED).select_related("campaign")
            .order_by("-planned_date", "-id"))
