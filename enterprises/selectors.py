"""
Reads of the enterprise registry. Every view and export asks these functions,
which own the access scoping (core.access.scope_to_enterprise): staff see the
whole registry, an enterprise user only its own enterprise.
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.access import scope_to_enterprise
from core.filters import apply_filters
from core.models import AuditEvent
from core.pagination import count_of

from .filters import EnterpriseFilter
from .models import AlgorithmFiling, Enterprise, GenAIFiling, Service

VERBS = {"create": _("created"), "update": _("changed"), "delete": _("removed")}

CHILD_RELATIONS = ("services", "algorithm_filings", "genai_filings", "provider_codes", "contacts")


def enterprise_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Enterprise]:
    """
    Return the enterprises `viewer` may see, narrowed and sorted by
    EnterpriseFilter's parameters in `filters` (ValidationError for a bad
    value), with the list page's per-row counts.
    """
    queryset = scope_to_enterprise(Enterprise.objects.all(), viewer, field="pk").annotate(
        # Correlated counts instead of a GROUP BY over enterprises x services
        # x filings: with ORDER BY name LIMIT 50 they run for the page's rows.
        service_count=count_of(Service.objects.all(), link="enterprise"),
        filing_count=count_of(AlgorithmFiling.objects.all(), link="enterprise"),
        genai_count=count_of(GenAIFiling.objects.all(), link="enterprise"),
    )
    return apply_filters(EnterpriseFilter, data=filters, queryset=queryset, viewer=viewer)


def enterprise_export_list(
    *, viewer: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Enterprise]:
    """
    Return the list page's enterprises in its order, without its per-row
    counts (over a whole registry they cost seconds); the service count is
    annotated only when it is the sort key.
    """
    queryset = scope_to_enterprise(Enterprise.objects.all(), viewer, field="pk")
    return apply_filters(EnterpriseFilter, data=filters, queryset=queryset, viewer=viewer)


# Enterprises per batch of an export: each batch costs one query per child
# kind, so a 10,000-row registry is read in 1 + 2 x 5 queries.
EXPORT_BATCH = 5000


def enterprise_export_records(
    *, enterprises: QuerySet[Enterprise], batch_size: int = EXPORT_BATCH
) -> Iterator[tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]]:
    """
    Yield (fields, children) per enterprise of `enterprises`, in its order,
    as plain values (no model instances): the input of tabular.encode_record.
    The children of each batch are read with one query per child kind.
    """
    from .services import CHILD_KINDS, ENTERPRISE_FIELDS

    rows = enterprises.prefetch_related(None).values("pk", *ENTERPRISE_FIELDS)
    batch: list[dict[str, Any]] = []
    for row in rows.iterator(chunk_size=batch_size):
        batch.append(row)
        if len(batch) == batch_size:
            yield from _export_batch(batch, CHILD_KINDS)
            batch = []
    if batch:
        yield from _export_batch(batch, CHILD_KINDS)


def _enterprise_in(ids: list[int]) -> Q:
    # On PostgreSQL one array parameter, not thousands of IN (%s, ...)
    # placeholders, whose building cost more than the query itself.
    if connection.vendor == "postgresql":
        return Q(enterprise_id__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return Q(enterprise_id__in=ids)


def _export_batch(batch, child_kinds):
    ids = [row["pk"] for row in batch]
    children: dict[str, dict[int, list]] = {}
    for kind, spec in child_kinds.items():
        by_enterprise: dict[int, list] = defaultdict(list)
        for child in (spec.model.objects.filter(_enterprise_in(ids)).order_by()
                      .values("enterprise_id", *spec.fields)):
            by_enterprise[child.pop("enterprise_id")].append(child)
        children[kind] = by_enterprise
    for row in batch:
        pk = row.pop("pk")
        yield row, {kind: children[kind].get(pk, []) for kind in child_kinds}


def enterprise_get(*, viewer: User, pk: int) -> Enterprise:
    """Return one enterprise the viewer may see, with its children; else 404."""
    queryset = scope_to_enterprise(Enterprise.objects.all(), viewer, field="pk")
    enterprise = (
        queryset.prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("name")),
            "algorithm_filings",
            "genai_filings",
            "provider_codes",
            "contacts",
        )
        .filter(pk=pk)
        .first()
    )
    if enterprise is None:
        raise Http404
    return enterprise


def enterprise_history(*, enterprise: Enterprise, limit: int = 100) -> list[AuditEvent]:
    """
    Return the audit events of the enterprise and its registry children,
    newest first (core's audit_tags write them for people).
    """
    return list(
        AuditEvent.objects.filter(
            enterprise_id=enterprise.pk, object_type__startswith="enterprises."
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
