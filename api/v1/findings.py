"""Findings with their deadlines: an enterprise's own notified ones, or staff's scoped ones."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from core.access import is_staff_user
from inspections import selectors
from inspections.filters import FindingFilter
from inspections.models import OPEN_STATUSES, Finding
from inspections.workdays import working_days_between

from .base import V1ListView, V1RetrieveView
from .schema import ERRORS, examples


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FindingSerializer(serializers.ModelSerializer):
    enterprise = Ref()
    campaign = Ref()
    issue_code = serializers.CharField(source="issue_code_id")
    issue_title = serializers.CharField(source="issue_code.title_zh")
    status_label = serializers.CharField(source="get_status_display")
    inspection = serializers.SerializerMethodField()
    working_days_left = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ("id", "enterprise", "campaign", "inspection", "issue_code", "issue_title",
                  "severity", "status", "status_label", "description", "legal_basis",
                  "deadline", "deadline_at", "deadline_estimated", "working_days_left",
                  "is_repeat", "notified_at", "closed_at", "created_at")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_inspection(self, finding) -> int | None:
        """The inspection (staff only: null for enterprise users)."""
        request = self.context.get("request")
        return finding.inspection_id if request and is_staff_user(request.user) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_working_days_left(self, finding) -> int | None:
        """Working days until the deadline (negative once past), null when closed."""
        if finding.status not in OPEN_STATUSES:
            return None
        return working_days_between(timezone.localdate(), finding.deadline)


@extend_schema(tags=["findings"], responses={200: FindingSerializer(many=True), **ERRORS},
               examples=examples("finding_list"))
class FindingList(V1ListView):
    """
    Findings the caller may see: an enterprise its own notified findings,
    staff those of the campaigns they see. The parameters are the findings
    page's: search, campaign, enterprise, issue code or category, status,
    severity, overdue, repeat, deadline (a day or a range) and open; order
    by `deadline`, `created_at` or `id`.
    """

    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    ordering_fields = ("deadline", "created_at", "id")

    def get_queryset(self):
        return selectors.finding_filtered(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["findings"], responses={200: FindingSerializer, **ERRORS},
               examples=examples("finding"))
class FindingDetail(V1RetrieveView):
    serializer_class = FindingSerializer

    def get_object(self):
        return selectors.finding_get(viewer=self.request.user, pk=self.kwargs["pk"])
