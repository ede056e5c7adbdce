"""
The parameters of the audit trail, for its page, its export and API v1
alike (audit_event_list applies them). The names are the page's; the API's
`since`/`until` (times) sit beside the page's `date_from`/`date_to` (days).
"""

import datetime
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .filters import DATE, IdFilter, ListFilterSet, lazy_choices
from .models import AuditEvent


def _type_label(object_type: str) -> str:
    """ "reports.notice" → the model's name as people read it (通知书)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def _type_choices() -> list[tuple[str, Any]]:
    types = AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    return [("", _("All")), *((t, _type_label(t)) for t in types)]


def _actor_choices() -> list[tuple[Any, Any]]:
    # People by name, as the trail's "who" column shows them (login names are for logging in).
    users = User.objects.order_by("last_name", "first_name", "username")
    return [("", _("All")), *((user.pk, user.get_full_name() or user.username) for user in users)]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditFilter(ListFilterSet):
    actor = IdFilter(field_name="actor_id", label=_("Actor"),
                     widget=forms.Select(choices=lazy_choices(_actor_choices)))
    action = django_filters.CharFilter(lookup_expr="icontains", max_length=60, label=_("Action"))
    object_type = django_filters.CharFilter(max_length=60, label=_("Object type"),
                                            widget=forms.Select(choices=lazy_choices(_type_choices)))
    enterprise = IdFilter(method="filter_enterprise", label=_("Enterprise id"))
    object_id = django_filters.CharFilter(max_length=40, label=_("Object id"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("From"), widget=DATE)
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("To"), widget=DATE)
    since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte",
                                             label=_("Since"), widget=forms.HiddenInput)
    until = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt",
                                             label=_("Until"), widget=forms.HiddenInput)

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_enterprise(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # The enterprise's own record carries no enterprise_id: match it by id.
        return queryset.filter(Q(enterprise_id=value)
                               | Q(object_type="enterprises.enterprise", object_id=str(value)))

    def filter_date_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))
