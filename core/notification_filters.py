"""
The parameter of the notification list, for its page and API v1 alike
(notification_list applies it). The name is the page's.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .filters import FlagFilter, ListFilterSet
from .models import Notification


class NotificationFilter(ListFilterSet):
    # Yes: the unread ones only; no: the read ones only.
    unread = FlagFilter(method="filter_unread", label=_("Unread only"))

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_unread(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(read_at__isnull=value)
