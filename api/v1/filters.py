"""
FilterSets of the v1 lists. Ids are plain numbers within the database's
range (no lookup query, no overflow, and an unknown id gives an empty page
instead of revealing whether it exists).
"""

import django_filters
from django import forms

from inspections.models import FindingStatus, Severity
from reports.notices.models import NoticeStatus

MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.Filter):
    field_class = IdField


class FindingFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="campaign_id")
    enterprise = IdFilter(field_name="enterprise_id")
    issue_code = django_filters.CharFilter(field_name="issue_code_id", max_length=10)
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    is_repeat = django_filters.BooleanFilter()
    # ?deadline_after=YYYY-MM-DD&deadline_before=YYYY-MM-DD, both inclusive.
    deadline = django_filters.DateFromToRangeFilter()


class NoticeFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="campaign_id")
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices)
    issued_after = django_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="gte")
    issued_before = django_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="lt")
