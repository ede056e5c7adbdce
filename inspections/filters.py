"""
The parameters of the inspection and finding lists, for their pages and
for API v1 alike (the selectors apply them). The names are the pages':
links and bookmarks carry them.
"""

from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.filters import (
    DATE,
    FlagFilter,
    IdFilter,
    ListFilterSet,
    SortFilter,
    lazy_choices,
)

from .models import (
    OPEN_STATUSES,
    Campaign,
    Finding,
    FindingStatus,
    Inspection,
    IssueCategory,
    IssueCode,
    SelectionPlan,
    Severity,
)

# The selectors apply these FilterSets, so this module reads them only
# inside functions.


def _campaign_select(viewer: Any) -> forms.Select:
    """The campaigns the viewer sees, newest first, read when the page renders."""
    def choices() -> list[tuple[Any, str]]:
        from .selectors import campaign_list

        return [("", "—"), *((c.pk, str(c)) for c in campaign_list(viewer=viewer).order_by("-starts_on"))]

    return forms.Select(choices=lazy_choices(choices))


# The inspection list's sortable columns: key -> the fields ordered by (ascending).
INSPECTION_SORTS = {
    "planned_date": ("planned_date", "id"),
    "enterprise": ("enterprise__name", "id"),
    "status": ("status", "planned_date", "id"),
}
OPEN_INSPECTION_STATUSES = (Inspection.Status.PLANNED, Inspection.Status.DUE,
                            Inspection.Status.IN_PROGRESS)


class InspectionFilter(ListFilterSet):
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains",
                                  max_length=200, label=_("Enterprise"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("Enterprise id"),
                          widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(choices=Inspection.Status.choices, label=_("Status"),
                                         empty_label="—")
    mine = FlagFilter(method="filter_mine", label=_("Mine only"))
    open = FlagFilter(method="filter_open", label=_("Open only"))
    planned_date = django_filters.DateFilter(label=_("Planned date"), widget=DATE)
    planned_after = django_filters.DateFilter(field_name="planned_date", lookup_expr="gte",
                                              label=_("Planned from"), widget=forms.HiddenInput)
    planned_before = django_filters.DateFilter(field_name="planned_date", lookup_expr="lte",
                                               label=_("Planned until"), widget=forms.HiddenInput)
    sort = SortFilter(INSPECTION_SORTS, label=_("Sort"))

    class Meta:
        model = Inspection
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["campaign"].extra["widget"] = _campaign_select(self.viewer)

    @classmethod
    def page_data(cls, data: Mapping[str, Any], *, viewer: Any) -> Mapping[str, Any]:
        """
        The page opens on what is still to do, an inspector's own; once the
        form is submitted, what is ticked is what applies.
        """
        if set(data) - {"sort", "page"}:
            return data
        defaults = {"open": "on", **({"mine": "on"} if viewer.role == Role.INSPECTOR else {})}
        return {**defaults, **{key: data.get(key) for key in data}}

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(officers=self.viewer) if value else queryset

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(status__in=OPEN_INSPECTION_STATUSES) if value else queryset

    def sort_key(self) -> str:
        """The sort applied: the chosen one, else open work earliest first (late, today, ahead)."""
        data = self.form.cleaned_data
        return data.get("sort") or ("planned_date" if data.get("open") else "-planned_date")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.filters["sort"].ordering(self.sort_key()))


def _code_choices() -> list[tuple[str, Any]]:
    codes = IssueCode.objects.values_list("code", flat=True).order_by("code")
    return [("", "—"), *IssueCategory.choices, *((c, c) for c in codes)]


class FindingFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Search"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("Enterprise id"),
                          widget=forms.HiddenInput)
    # An issue code ("IMP-01") or a category of them ("IMP").
    code = django_filters.CharFilter(method="filter_code", max_length=10, label=_("Issue code"),
                                     widget=forms.Select(choices=lazy_choices(_code_choices)))
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, label=_("Status"),
                                         empty_label="—")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("Severity"),
                                           empty_label="—")
    overdue = FlagFilter(method="filter_overdue", label=_("Overdue"))
    repeat = FlagFilter(field_name="is_repeat", label=_("Repeat"))
    deadline = django_filters.DateFilter(label=_("Deadline"), widget=DATE)
    # Both inclusive.
    deadline_after = django_filters.DateFilter(field_name="deadline", lookup_expr="gte",
                                               label=_("Deadline from"), widget=forms.HiddenInput)
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte",
                                                label=_("Deadline until"), widget=forms.HiddenInput)
    open = FlagFilter(method="filter_open", label=_("Open only"))

    class Meta:
        model = Finding
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["campaign"].extra["widget"] = _campaign_select(self.viewer)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(description__icontains=value))

    def filter_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if "-" in value:
            return queryset.filter(issue_code_id=value)
        return queryset.filter(issue_code__category=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        from .selectors import overdue_q

        return queryset.filter(overdue_q()) if value else queryset

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(status__in=list(OPEN_STATUSES)) if value else queryset


class CampaignFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices, label=_("Status"),
                                         empty_label="—")

    class Meta:
        model = Campaign
        fields: list[str] = []


class PlanFilter(ListFilterSet):
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    status = django_filters.ChoiceFilter(choices=SelectionPlan.Status.choices, label=_("Status"),
                                         empty_label="—")

    class Meta:
        model = SelectionPlan
        fields: list[str] = []
