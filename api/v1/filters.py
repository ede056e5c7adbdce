"""
FilterSets of the v1 lists. Ids are plain numbers (no lookup query, and an
unknown id gives an empty page instead of revealing whether it exists).
"""

import django_filters

from inspections.apis import FindingFilter  # noqa: F401  (the findings list's FilterSet)
from reports.models import NoticeStatus


class NoticeFilter(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(field_name="campaign_id")
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices)
    issued_after = django_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="gte")
    issued_before = django_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="lt")
