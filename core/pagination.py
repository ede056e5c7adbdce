"""
Pagination and per-row counts that stay fast on national-scale tables.

`CappedPaginator` counts at most `cap` rows (``SELECT COUNT(*) FROM (... LIMIT
cap + 1)``) instead of a COUNT(*) over hundreds of thousands of rows: lists
under the cap show the exact total, longer ones "10,000+" and ask for a
filter. `count_of` is a correlated COUNT subquery for one row's children,
evaluated only for the rows of the page (no GROUP BY over the whole join).
"""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

LIST_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = LIST_COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        """Rows up to cap + 1, in one query: cap + 1 means "more than cap"."""
        queryset: Any = self.object_list  # a QuerySet, or a list in tests and small views
        if not hasattr(queryset, "query"):
            return min(len(queryset), self.cap + 1)
        return queryset.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than counted: the total shows as cap+."""
        return self._counted > self.cap


def paginate(queryset, per_page: int, page_number, *, cap: int = LIST_COUNT_CAP):
    """The requested page (first or last if out of range) of a capped paginator."""
    return CappedPaginator(queryset, per_page, cap=cap).get_page(page_number)


def count_of(queryset, *, outer: str = "pk", link: str) -> Coalesce:
    """
    COUNT(*) of `queryset` rows whose `link` equals the outer row's `outer`,
    as an annotation: `count_of(SampledItem.objects.all(), link="inspection")`.
    """
    counted = (queryset.filter(**{link: OuterRef(outer)}).order_by().values(link)
               .annotate(n=Count("*")).values("n")[:1])
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
