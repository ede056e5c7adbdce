"""
Staff endpoints: the registry, campaigns, selection plans, inspections and
their sampled items (recording an item with its file runs the checkers as
the page does), the audit trail and the label checker. Enterprise users get
404 for all of them, as for the staff pages; every read is the pages'
selector, so an inspector sees the campaigns assigned only.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Role
from core.audit_filters import AuditFilter
from core.audit_selectors import audit_event_list
from core.downloads import attachment_response
from core.filters import MAX_ID
from core.models import AuditEvent
from enterprises import selectors as enterprise_selectors
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise as EnterpriseModel
from enterprises.models import Service
from inspections import apis as inspection_apis
from inspections import selectors
from inspections.filters import CampaignFilter, InspectionFilter, PlanFilter
from inspections.models import (
    Campaign,
    Channel,
    ExplicitEvidence,
    Inspection,
    ItemCheck,
    PlanEntry,
    SampledItem,
    SelectionPlan,
)
from inspections.services import inspections as inspection_services

from ..idempotency import idempotent
from .base import STAFF, V1APIView, V1ListView, V1Mixin, V1RetrieveView
from .downloads import FileNegotiation
from .findings import Ref
from .rectification import IDEMPOTENCY, WRITE_ERRORS
from .schema import ERRORS, examples

# --- enterprises and services ---------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ("id", "name", "kind", "url", "modalities", "monthly_aigc_volume")


class EnterpriseSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = EnterpriseModel
        fields: tuple[str, ...] = ("id", "uscc", "name", "district", "address", "legal_representative", "roles",
                  "risk_tier", "risk_score", "status", "created_at")


class EnterpriseDetailSerializer(EnterpriseSerializer):
    services = ServiceSerializer(many=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = (*EnterpriseSerializer.Meta.fields, "services")


@extend_schema(tags=["registry"], responses={200: EnterpriseSerializer(many=True), **ERRORS},
               examples=examples("enterprise_list"))
class EnterpriseList(V1ListView):
    """The registry (every staff role). The parameters are the registry page's: search text, role, district, risk tier, status."""

    permission_classes = STAFF
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    ordering_fields = ("id", "name", "risk_score")

    def get_queryset(self):
        return enterprise_selectors.enterprise_list(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["registry"], responses={200: EnterpriseDetailSerializer, **ERRORS},
               examples=examples("enterprise"))
class EnterpriseDetail(V1RetrieveView):
    """One enterprise with its services."""

    permission_classes = STAFF
    serializer_class = EnterpriseDetailSerializer

    def get_object(self):
        return enterprise_selectors.enterprise_get(viewer=self.request.user, pk=self.kwargs["pk"])


# --- campaigns and plans ----------------------------------------------------------------


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ("id", "code", "name", "agency", "status", "starts_on", "ends_on",
                  "sampling_rule", "aql", "detection_rate", "detection_confidence", "created_at")


@extend_schema(tags=["campaigns"], responses={200: CampaignSerializer(many=True), **ERRORS},
               examples=examples("campaign_list"))
class CampaignList(V1ListView):
    """Campaigns: every one for supervisors and analysts, the assigned ones for an inspector."""

    permission_classes = STAFF
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    ordering_fields = ("id", "starts_on")

    def get_queryset(self):
        return selectors.campaign_list(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["campaigns"], responses={200: CampaignSerializer, **ERRORS},
               examples=examples("campaign"))
class CampaignDetail(V1RetrieveView):
    permission_classes = STAFF
    serializer_class = CampaignSerializer

    def get_object(self):
        return selectors.campaign_get(viewer=self.request.user, pk=self.kwargs["pk"])


class PlanEntrySerializer(serializers.ModelSerializer):
    enterprise = Ref()
    inspection = serializers.IntegerField(source="inspection.pk", allow_null=True, default=None)
    officers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlanEntry
        fields = ("position", "enterprise", "stratum", "planned_date", "officers", "inspection")


class PlanSerializer(serializers.ModelSerializer):
    campaign = Ref()

    class Meta:
        model = SelectionPlan
        fields: tuple[str, ...] = ("id", "campaign", "name", "status", "high_risk_mode", "high_risk_k", "random_n",
                  "verification_n", "officers_per_inspection", "seed", "method", "first_date",
                  "last_date", "drawn_at", "approved_at", "created_at")


class PlanDetailSerializer(PlanSerializer):
    entries = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = (*PlanSerializer.Meta.fields, "entries")

    @extend_schema_field(PlanEntrySerializer(many=True))
    def get_entries(self, plan) -> list:
        return PlanEntrySerializer(selectors.plan_entries(plan=plan), many=True).data


@extend_schema(tags=["campaigns"], responses={200: PlanSerializer(many=True), **ERRORS},
               examples=examples("plan_list"))
class PlanList(V1ListView):
    """Selection plans (双随机) of the campaigns the caller sees."""

    permission_classes = STAFF
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ("id", "created_at")

    def get_queryset(self):
        return selectors.plan_list(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["campaigns"], responses={200: PlanDetailSerializer, **ERRORS},
               examples=examples("plan"))
class PlanDetail(V1RetrieveView):
    """One plan with its drawn entries in draw order."""

    permission_classes = STAFF
    serializer_class = PlanDetailSerializer

    def get_object(self):
        return selectors.plan_get(viewer=self.request.user, pk=self.kwargs["pk"])


# --- inspections and sampled items ------------------------------------------------------


class InspectionSerializer(serializers.ModelSerializer):
    enterprise = Ref()
    campaign = Ref()
    officers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ("id", "campaign", "enterprise", "status", "method", "planned_date", "follow_up_of",
                  "officers", "started_at", "completed_at", "closed_at", "created_at")


@extend_schema(tags=["inspections"], responses={200: InspectionSerializer(many=True), **ERRORS},
               examples=examples("inspection_list"))
class InspectionList(V1ListView):
    """
    Inspections of the campaigns the caller sees. The parameters are the
    inspections page's: enterprise name, campaign, enterprise, status, mine,
    open, planned date (a day or a range).
    """

    permission_classes = STAFF
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ("id", "planned_date")

    def get_queryset(self):
        return selectors.inspection_filtered(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["inspections"], responses={200: InspectionSerializer, **ERRORS},
               examples=examples("inspection"))
class InspectionDetail(V1RetrieveView):
    permission_classes = STAFF
    serializer_class = InspectionSerializer

    def get_object(self):
        return selectors.inspection_get(viewer=self.request.user, pk=self.kwargs["pk"])


class CheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemCheck
        fields = ("issue_code", "result", "source", "note", "checked_at")


class ExplicitEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExplicitEvidence
        fields = ("id", "name", "media_type", "caption", "sha256")


class ItemSerializer(serializers.ModelSerializer):
    checks = CheckSerializer(many=True)
    explicit_evidence = ExplicitEvidenceSerializer(
        many=True, help_text="Files the explicit-label checker made (crops, frames, a waveform, "
                             "excerpts): download each from /api/v1/items/{id}/explicit-evidence/"
                             "{evidence id}/.")

    class Meta:
        model = SampledItem
        fields = ("id", "inspection", "service", "modality", "content_ref", "channel", "captured_at",
                  "text_sample", "file_name", "file_sha256", "file_size", "file_type",
                  "label_verdict", "label_result", "checker_version", "label_checked_at",
                  "explicit_status", "explicit_result", "explicit_checker_version",
                  "explicit_checked_at", "explicit_evidence",
                  "checks_completed_at", "note", "checks")


class ItemInput(serializers.Serializer):
    service = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    modality = serializers.ChoiceField(choices=SampledItem._meta.get_field("modality").choices)
    content_ref = serializers.CharField(max_length=500)
    channel = serializers.ChoiceField(choices=Channel.choices)
    captured_at = serializers.DateTimeField()
    text_sample = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    # An empty file is refused by the one upload check (core.uploads), in its words.
    file = serializers.FileField(required=False, allow_empty_file=True)
    screenshot = serializers.FileField(required=False, allow_empty_file=True)


def _items(inspection):
    return selectors.inspection_items(inspection=inspection).prefetch_related(
        "checks", "explicit_evidence")


@extend_schema(tags=["inspections"])
class InspectionItems(V1ListView):
    """
    The sampled items of one inspection. POST records an item (multipart,
    officers of the inspection and supervisors): a file is checked by its
    content, hashed and queued for the label check, and a text sample is
    checked for the explicit label, exactly as on the inspection page.
    """

    permission_classes = STAFF
    serializer_class = ItemSerializer
    ordering_fields = ("id", "captured_at")

    queryset = SampledItem.objects.none()  # for the schema

    def get_queryset(self):
        return _items(selectors.inspection_get(viewer=self.request.user, pk=self.kwargs["pk"]))

    @extend_schema(responses={200: ItemSerializer(many=True), **ERRORS}, examples=examples("item_list"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": ItemInput}, parameters=[IDEMPOTENCY],
                   responses={201: ItemSerializer, **WRITE_ERRORS}, examples=examples("item"))
    @idempotent
    def post(self, request, pk: int):
        inspection = selectors.inspection_get(viewer=request.user, pk=pk)
        if not request.user.can_edit:
            raise PermissionDenied(_("Only inspectors and supervisors may record items."))
        data = ItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        service_id = values.pop("service", None)
        service = None
        if service_id is not None:
            service = inspection.enterprise.services.filter(pk=service_id).first()
            if service is None:
                raise serializers.ValidationError(
                    {"service": [_("Choose a service of the inspected enterprise.")]})
        item = inspection_services.item_create(inspection=inspection, actor=request.user, service=service,
                                    file=values.pop("file", None),
                                    screenshot=values.pop("screenshot", None), **values)
        item = _items(inspection).get(pk=item.pk)
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["inspections"], responses={200: ItemSerializer, **ERRORS}, examples=examples("item"))
class ItemDetail(V1RetrieveView):
    """One sampled item with its checks and its label check result."""

    permission_classes = STAFF
    serializer_class = ItemSerializer

    def get_object(self):
        return selectors.item_get(viewer=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=["inspections"],
               responses={(200, "*/*"): OpenApiResponse(
                   OpenApiTypes.BINARY,
                   description="The file (a PNG crop, frame or waveform, a WAV excerpt)."),
                   **ERRORS})
class ItemExplicitEvidence(V1APIView):
    """A file the explicit-label checker made from the item's sample, as evidence to cite."""

    permission_classes = STAFF
    content_negotiation_class = FileNegotiation

    def get(self, request, pk: int, evidence_pk: int):
        item = selectors.item_get(viewer=request.user, pk=pk)
        evidence = get_object_or_404(item.explicit_evidence, pk=evidence_pk)
        return attachment_response(evidence.file, filename=f"item-{item.pk}-{evidence.name}",
                                   content_type=evidence.media_type)


# --- audit trail -----------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)

    class Meta:
        model = AuditEvent
        fields = ("id", "created_at", "actor", "action", "object_type", "object_id", "object_repr",
                  "enterprise_id", "ip_address", "before", "after", "note")


@extend_schema(tags=["audit"], responses={200: AuditEventSerializer(many=True), **ERRORS},
               examples=examples("audit_list"))
class AuditEventList(V1ListView):
    """The audit trail, newest first (supervisors and administrators; other staff 403)."""

    permission_classes = STAFF
    serializer_class = AuditEventSerializer
    filterset_class = AuditFilter
    ordering_fields = ("id",)

    queryset = AuditEvent.objects.none()  # for the schema

    def get_queryset(self):
        if self.request.user.role not in (Role.SUPERVISOR, Role.ADMIN):
            raise PermissionDenied
        return audit_event_list(viewer=self.request.user, filters=self.request.query_params)


# --- label check -------------------------------------------------------------------------

LabelResultSerializer = inline_serializer("LabelCheckResult", {
    "path": serializers.CharField(),
    "format": serializers.CharField(allow_null=True),
    "verdict": serializers.ChoiceField(choices=["compliant", "noncompliant", "not_found", "inconclusive"]),
    "label": serializers.DictField(allow_null=True),
    "sites": inline_serializer("LabelSite", {"location": serializers.CharField(),
                                             "raw": serializers.CharField()}, many=True),
    "findings": inline_serializer("LabelRuleFinding", {"rule": serializers.CharField(),
                                                       "message": serializers.CharField()}, many=True),
    "explicit": inline_serializer("ExplicitLabelCheck", {
        "status": serializers.ChoiceField(choices=["found", "missing", "inconclusive",
                                                   "not_applicable"]),
        "modality": serializers.ChoiceField(choices=["text", "image", "video", "audio"],
                                            allow_null=True),
        "marks": inline_serializer("ExplicitMark", {
            "kind": serializers.ChoiceField(choices=["text", "rhythm", "voice"]),
            "text": serializers.CharField(allow_null=True),
            "where": serializers.CharField(
                allow_null=True, help_text="start, middle or end (text, time), or the part of "
                                           "the picture: top-left … bottom-right, center."),
            "height_ratio": serializers.FloatField(
                allow_null=True, help_text="Glyph height as a share of the shortest side "
                                           "(EXP-04 under 0.05)."),
            "contrast": serializers.FloatField(
                allow_null=True, help_text="WCAG 2 contrast ratio (EXP-08 under 3)."),
            "start_s": serializers.FloatField(allow_null=True),
            "end_s": serializers.FloatField(allow_null=True),
        }, many=True),
        "reason": serializers.CharField(allow_null=True,
                                        help_text="Why the result is inconclusive or not applicable."),
        "elapsed_ms": serializers.FloatField(),
    }, required=False, help_text="With explicit=true only: the visible or audible label's check "
                                 "(its EXP findings join `findings`)."),
    "elapsed_ms": serializers.FloatField(),
})


@extend_schema(tags=["label check"], request={"multipart/form-data": inspection_apis.LabelCheckApi.InputSerializer},
               responses={200: LabelResultSerializer, **ERRORS},
               examples=[*examples("label_check"), *examples("label_check_explicit")])
class LabelCheck(V1Mixin, inspection_apis.LabelCheckApi):
    """
    Check the implicit AIGC label (GB 45438) of one uploaded file and, with
    `explicit=true` (and an optional `modality`), its explicit label too
    (OCR of images and video frames, the 短长短短 rhythm of audio, the
    prompt of a text), within EXPLICIT_CHECK_API_BUDGET_S seconds. The
    answer is the `checklabels --json [--explicit]` object of the README;
    nothing is stored, so a read-only token may check files.
    """

    permission_classes = STAFF
    # Nothing is written: the POST only carries the file.
    read_only_post = True
