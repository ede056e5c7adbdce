"""
The parameters of the registry list, for its page, its exports and API v1
alike (the selectors apply them). The names are the page's: links,
bookmarks and export jobs carry them.
"""


import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, SortFilter
from core.pagination import count_of

from . import identifiers
from .models import (
    ROLE_FIELDS,
    District,
    Enterprise,
    EnterpriseRole,
    EnterpriseStatus,
    RiskTier,
    Service,
)

# Sort keys offered by the list page, mapped to ORM orderings.
SORTS = {
    "name": ("name",),
    "uscc": ("uscc",),
    "district": ("district", "name"),
    "risk_tier": ("risk_rank", "-risk_score", "name"),
    "risk_score": ("risk_score", "name"),
    "status": ("status", "name"),
    "services": ("service_count", "name"),
}
DEFAULT_SORT = "name"


class EnterpriseFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label=_("Search"),
        help_text="Name, USCC, filing number or provider code.",
        widget=forms.TextInput(attrs={
            "placeholder": _("Name, USCC or filing number"), "type": "search", "size": 28,
        }),
    )
    role = django_filters.ChoiceFilter(choices=EnterpriseRole.choices, method="filter_role",
                                       label=_("Role"), empty_label=_("All roles"))
    district = django_filters.ChoiceFilter(choices=District.choices, label=_("District"),
                                           empty_label=_("All districts"))
    risk_tier = django_filters.ChoiceFilter(choices=RiskTier.choices, label=_("Risk tier"),
                                            empty_label=_("All tiers"))
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label=_("Status"),
                                         empty_label=_("All statuses"))
    sort = SortFilter(SORTS, label=_("Sort"))

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Match the name, the USCC, any filing number or provider code."""
        text = value.strip()
        if not text:
            return queryset
        matching = Enterprise.objects.filter(
            Q(name__icontains=text)
            | Q(uscc__icontains=identifiers.normalize_uscc(text))
            | Q(algorithm_filings__number__icontains=text)
            | Q(genai_filings__number__icontains=text)
            | Q(provider_codes__code__icontains=text.upper())
        )
        # A subquery rather than joins, so the counts annotated later stay right.
        return queryset.filter(pk__in=matching.values("pk"))

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{ROLE_FIELDS[EnterpriseRole(value)]: True})

    def sort_key(self) -> str:
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        key = self.sort_key().lstrip("-")
        if key == "risk_tier":
            queryset = queryset.annotate(risk_rank=Case(
                When(risk_tier="high", then=Value(0)),
                When(risk_tier="medium", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ))
        if key == "services" and "service_count" not in queryset.query.annotations:
            queryset = queryset.annotate(
                service_count=count_of(Service.objects.all(), link="enterprise"))
        return queryset.order_by(*self.filters["sort"].ordering(self.sort_key()), "pk")

