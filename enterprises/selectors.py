"""
Reads of the enterprise registry. Every view and export asks these functions,
which own the access scoping (core.access.scope_to_enterprise): staff see the
whole registry, an enterprise user only its own enterprise.
"""

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.access import scope_to_enterprise
from core.models import AuditEvent
from core.pagination import count_of

from . import identifiers
from .models import ROLE_FIELDS, AlgorithmFiling, Enterprise, GenAIFiling, Service

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

VERBS = {"create": _("created"), "update": _("changed"), "delete": _("removed")}

CHILD_RELATIONS = ("services", "algorithm_filings", "genai_filings", "provider_codes", "contacts")


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """Match the name, the USCC or any filing number."""
    text = text.strip()
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


def enterprise_list(*, viewer, filters: Mapping[str, Any] | None = None) -> QuerySet[Enterprise]:
    """
    Return the enterprises `viewer` may see, filtered and sorted.

    `filters` keys: q (search), role, district, risk_tier, status, sort
    (a key of SORTS, `-` prefix for descending). Empty values are ignored.
    """
    filters = filters or {}
    queryset = scope_to_enterprise(Enterprise.objects.all(), viewer, field="pk")
    queryset = _search(queryset, filters.get("q") or "")
    if filters.get("role") in ROLE_FIELDS:
        queryset = queryset.filter(**{ROLE_FIELDS[filters["role"]]: True})
    for field in ("district", "risk_tier", "status"):
        if filters.get(field):
            queryset = queryset.filter(**{field: filters[field]})

    queryset = queryset.annotate(
        # Correlated counts instead of a GROUP BY over enterprises x services
        # x filings: with ORDER BY name LIMIT 50 they run for the page's rows.
        service_count=count_of(Service.objects.all(), link="enterprise"),
        filing_count=count_of(AlgorithmFiling.objects.all(), link="enterprise"),
        genai_count=count_of(GenAIFiling.objects.all(), link="enterprise"),
        risk_rank=Case(
            When(risk_tier="high", then=Value(0)),
            When(risk_tier="medium", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )
    sort = filters.get("sort") or DEFAULT_SORT
    descending = sort.startswith("-")
    ordering = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    if descending:
        ordering = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in ordering)
    return queryset.order_by(*ordering, "pk")


def enterprise_export_list(
    *, viewer, filters: Mapping[str, Any] | None = None
) -> QuerySet[Enterprise]:
    """The list page's enterprises with every child list prefetched."""
    return enterprise_list(viewer=viewer, filters=filters).prefetch_related(*CHILD_RELATIONS)


def enterprise_get(*, viewer, pk: int) -> Enterprise:
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
    newest first, each with `changes`: (field, before, after) triples.
    """
    events = list(
        AuditEvent.objects.filter(
            enterprise_id=enterprise.pk, object_type__startswith="enterprises."
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    for event in events:
        label, _dot, verb = event.action.partition(".")
        model = apps.get_model(event.object_type) if "." in event.object_type else None
        event.action_display = f"{model._meta.verbose_name if model else label} · {VERBS.get(verb, verb)}"
        before, after = event.before or {}, event.after or {}
        event.changes = [
            (key, before.get(key) if key in before else None, after.get(key))
            for key in (after or before)
        ]
    return events
