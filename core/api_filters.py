"""
The filter backend of API lists whose selector applies the list's FilterSet
(core.filters): the selector filters, as it does for the page, and this
backend only describes the FilterSet's parameters in the OpenAPI schema.
Kept apart from core.filters so that pages never load DRF.
"""

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend


class SelectorFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        return queryset
