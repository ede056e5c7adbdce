"""Reads of the audit trail (supervisors and admins only) and its filter form."""

import datetime

from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User

from .models import AuditEvent


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Actor"), required=False,
        queryset=User.objects.order_by("username"),
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    object_type = forms.ChoiceField(label=_("Object type"), required=False, choices=())
    enterprise = forms.IntegerField(label=_("Enterprise id"), required=False, min_value=1)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = AuditEvent.objects.order_by("object_type").values_list(
            "object_type", flat=True).distinct()
        self.fields["object_type"].choices = [("", _("All"))] + [(t, _type_label(t)) for t in types]

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


def _type_label(object_type: str) -> str:
    """ "reports.notice" → the model's name as people read it (通知书), with the label after it."""
    try:
        return f"{apps.get_model(object_type)._meta.verbose_name} ({object_type})"
    except (LookupError, ValueError):
        return object_type


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list(*, viewer: User, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """Audit events, newest first; only supervisors and admins may read the whole trail."""
    if not (viewer.is_authenticated and viewer.role in (Role.SUPERVISOR, Role.ADMIN)):
        return AuditEvent.objects.none()
    filters = filters or {}
    queryset = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    if filters.get("actor"):
        queryset = queryset.filter(actor=filters["actor"])
    if filters.get("action"):
        queryset = queryset.filter(action__icontains=filters["action"])
    if filters.get("object_type"):
        queryset = queryset.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        queryset = queryset.filter(object_id=filters["object_id"])
    if filters.get("enterprise"):
        # The enterprise's own record carries no enterprise_id: match it by id.
        queryset = queryset.filter(
            Q(enterprise_id=filters["enterprise"])
            | Q(object_type="enterprises.enterprise", object_id=str(filters["enterprise"]))
        )
    if filters.get("date_from"):
        queryset = queryset.filter(created_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(
            created_at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    return queryset
