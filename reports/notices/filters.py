"""
The parameters of the notice list, for its page and API v1 alike (the
selector applies them). The names are the page's.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, ListFilterSet, lazy_choices

from .models import Notice, NoticeStatus


def _campaign_select(viewer: Any) -> forms.Select:
    """The latest campaigns the viewer sees, read when the page renders."""
    def choices() -> list[tuple[Any, Any]]:
        from inspections.selectors import campaign_list

        campaigns = campaign_list(viewer=viewer).order_by("-starts_on")[:20]
        return [("", _("All")), *((c.pk, c.name) for c in campaigns)]

    return forms.Select(choices=lazy_choices(choices))


class NoticeFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label=_("Search"),
        widget=forms.TextInput(attrs={"placeholder": _("Party, USCC or number")}))
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label=_("Status"),
                                         empty_label=_("All"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    issued_after = django_filters.IsoDateTimeFilter(
        field_name="issued_at", lookup_expr="gte", label=_("Issued from"), widget=forms.HiddenInput)
    issued_before = django_filters.IsoDateTimeFilter(
        field_name="issued_at", lookup_expr="lt", label=_("Issued before"), widget=forms.HiddenInput)

    class Meta:
        model = Notice
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["campaign"].extra["widget"] = _campaign_select(self.viewer)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(party_name__icontains=value) | Q(number__icontains=value) | Q(party_uscc__icontains=value))
