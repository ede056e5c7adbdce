"""
Analytics series: the numbers behind each chart of the analytics pages, as
their CSV/XLSX exports hold them (the same dashboard build, so chart, table,
export and API always agree). Filters as on the pages.
"""

import json
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .base import STAFF, V1APIView
from .schema import ERRORS, examples

SeriesSerializer = inline_serializer("AnalyticsSeries", {
    "slug": serializers.CharField(),
    "title": serializers.CharField(),
    "columns": serializers.ListField(child=serializers.CharField()),
    "rows": serializers.ListField(child=serializers.DictField()),
    "notes": serializers.ListField(child=serializers.CharField()),
})
ChartSerializer = inline_serializer("AnalyticsChart", {
    "slug": serializers.CharField(), "title": serializers.CharField(),
    "description": serializers.CharField(),
}, many=True)
# The dashboards of reports.analytics.dashboards.DASHBOARDS (a test keeps the two equal).
SLUGS = ["violations", "ontime", "rectification", "repeat", "codes", "campaigns", "trend", "origins"]
FILTERS = [
    OpenApiParameter("slug", str, OpenApiParameter.PATH, enum=SLUGS),
    OpenApiParameter("campaign", int, description="A campaign id."),
    OpenApiParameter("start", str, description="First month, YYYY-MM (default: 12 months ago)."),
    OpenApiParameter("end", str, description="Last month, YYYY-MM."),
    OpenApiParameter("role", str, description="Enterprise role."),
    OpenApiParameter("district", str, description="District code."),
    OpenApiParameter("modality", str, description="Content modality."),
    OpenApiParameter("by", str, description="Violation rate only: role, district, modality or category."),
]


@extend_schema(tags=["analytics"], responses={200: ChartSerializer, **ERRORS},
               examples=examples("analytics_index"))
class AnalyticsIndex(V1APIView):
    """The charts whose series can be read."""

    permission_classes = STAFF

    def get(self, request):
        from reports.analytics import dashboards

        return Response([{"slug": spec.slug, "title": str(spec.title), "description": str(spec.description)}
                         for spec in dashboards.DASHBOARDS.values()])


@extend_schema(tags=["analytics"], parameters=FILTERS, responses={200: SeriesSerializer, **ERRORS},
               examples=examples("analytics_series"))
class AnalyticsSeries(V1APIView):
    """One chart's series: a row per point, the columns of its export."""

    permission_classes = STAFF

    def get(self, request, slug: str):
        from reports.analytics import dashboards
        from reports.analytics.forms import DIMENSIONS, AnalyticsFilterForm

        if slug not in dashboards.DASHBOARDS:
            raise Http404
        form = AnalyticsFilterForm(request.query_params or None, viewer=request.user)
        errors: dict[str, Any] = {} if form.is_bound is False or form.is_valid() else dict(form.errors)
        by = request.query_params.get("by") or None
        if by is not None and by not in {key for key, _label in DIMENSIONS if key}:
            errors["by"] = [str(ValidationError.default_detail)]
        if errors:
            raise ValidationError({key: [str(m) for m in value] for key, value in errors.items()})
        dashboard = dashboards.build(slug, viewer=request.user, filters=form.filters(), query={},
                                     by=by)
        frame = dashboard.export
        rows = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        return Response({"slug": slug, "title": str(dashboards.DASHBOARDS[slug].title),
                         "columns": [str(c) for c in frame.columns], "rows": rows,
                         "notes": [str(n) for n in dashboard.notes]})
