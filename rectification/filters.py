"""
The parameters of the rectification report and extension request lists,
for their pages and API v1 alike (the selectors apply them). The names are
the pages'.
"""

from typing import cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_user
from core.filters import IdFilter, ListFilterSet

from .models import ExtensionRequest, ExtensionStatus, RectificationReport, ReportStatus


class ReportFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"),
                                         empty_label=_("All"))
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains",
                                  max_length=200, label=_("Enterprise"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("Enterprise id"),
                          widget=forms.HiddenInput)

    class Meta:
        model = RectificationReport
        fields: list[str] = []

    @property
    def form(self) -> forms.Form:
        form = super().form
        if self.viewer is not None and is_staff_user(self.viewer):
            # Staff never see drafts: the page does not offer them.
            choices = [("", _("All")), *((value, label) for value, label in ReportStatus.choices
                                         if value != ReportStatus.DRAFT)]
            cast(forms.Select, form.fields["status"].widget).choices = choices
        return form

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("status") == ReportStatus.SUBMITTED:
            # The review queue: the longest waiting first.
            return queryset.order_by("submitted_at", "id")
        return queryset.order_by("-submitted_at", "-created_at", "-id")


class ExtensionFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=ExtensionStatus.choices, label=_("Status"),
                                         empty_label=_("All"))
    finding = IdFilter(field_name="finding_id", label=_("Finding"), widget=forms.HiddenInput)

    class Meta:
        model = ExtensionRequest
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("status") == ExtensionStatus.PENDING:
            # The decision queue: the longest waiting first.
            return queryset.order_by("created_at", "id")
        return queryset
