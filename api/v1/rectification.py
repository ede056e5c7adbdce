"""
Rectification reports and extension requests, as in the portal: the
enterprise starts a draft for findings it must answer, writes the front
matter and a response per finding, attaches evidence, and submits; it asks
for and withdraws deadline extensions. Staff read the submitted reports of
the campaigns they see. Every write is the portal's own service call.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.downloads import attachment_response
from core.filetypes import ACCEPTED_LABELS
from core.filters import MAX_ID
from inspections.selectors import finding_get, finding_list
from rectification import selectors, services
from rectification.filters import ExtensionFilter, ReportFilter
from rectification.models import (
    ExtensionRequest,
    RectificationReport,
    ReportEvidence,
    ReportResponse,
)

from ..idempotency import HEADER, idempotent
from .base import ENTERPRISE, V1APIView, V1ListView, V1RetrieveView
from .downloads import FileNegotiation
from .findings import Ref
from .schema import ERRORS, IN_FLIGHT_ERROR, KEY_REUSED_ERROR, examples

IDEMPOTENCY = OpenApiParameter(
    HEADER, str, OpenApiParameter.HEADER, required=False,
    description="Your own unique string (e.g. a UUID). A retry with the same key replays the "
                "first successful answer instead of acting twice; the same key for another "
                "request is refused (422); a retry while the first attempt is still running is "
                "told to try again (409, Retry-After).")
WRITE_ERRORS = {**ERRORS, 409: IN_FLIGHT_ERROR, 422: KEY_REUSED_ERROR}


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")

    class Meta:
        model = ReportEvidence
        fields = ("id", "name", "content_type", "size", "sha256", "uploaded_at")


class ResponseSerializer(serializers.ModelSerializer):
    issue_code = serializers.CharField(source="finding.issue_code_id")
    decision_label = serializers.CharField(source="get_decision_display")
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = ReportResponse
        # Never the reviewer's internal note.
        fields = ("id", "finding", "issue_code", "measures", "long_term_measures", "completed_on",
                  "decision", "decision_label", "reviewer_comment", "decided_at", "evidence")


class ReportSerializer(serializers.ModelSerializer):
    enterprise = Ref()
    status_label = serializers.CharField(source="get_status_display")
    responses = ResponseSerializer(many=True)

    class Meta:
        model = RectificationReport
        fields = ("id", "enterprise", "version", "previous", "status", "status_label",
                  "responsible_person", "contact_person", "contact_phone", "summary",
                  "declaration", "created_at", "submitted_at", "reviewed_at", "responses")


class ReportListSerializer(serializers.ModelSerializer):
    enterprise = Ref()
    status_label = serializers.CharField(source="get_status_display")
    responses = serializers.IntegerField(source="n_responses")

    class Meta:
        model = RectificationReport
        fields = ("id", "enterprise", "version", "previous", "status", "status_label",
                  "created_at", "submitted_at", "reviewed_at", "responses")


def _report(request, pk: int) -> RectificationReport:
    return selectors.report_get(viewer=request.user, pk=pk)


def _report_data(request, pk: int) -> dict:
    return ReportSerializer(_report(request, pk), context={"request": request}).data


class ReportCreateInput(serializers.Serializer):
    findings = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                     min_length=1,
                                     max_length=200)


@extend_schema(tags=["rectification reports"])
class ReportList(V1ListView):
    """
    Rectification reports: an enterprise's own (drafts too), staff the
    submitted reports answering findings of the campaigns they see; the
    parameters are the report page's (status, enterprise name). POST
    (enterprise users) starts a draft answering the given findings.
    """

    serializer_class = ReportListSerializer
    filterset_class = ReportFilter
    ordering_fields = ("id", "created_at")

    def get_queryset(self):
        return selectors.report_list(viewer=self.request.user, filters=self.request.query_params)

    def get_permissions(self):
        if self.request.method == "POST":
            return [permission() for permission in ENTERPRISE]
        return super().get_permissions()

    @extend_schema(responses={200: ReportListSerializer(many=True), **ERRORS},
                   examples=examples("report_list"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ReportCreateInput, parameters=[IDEMPOTENCY],
                   responses={201: ReportSerializer, **WRITE_ERRORS}, examples=examples("report_create"))
    @idempotent
    def post(self, request):
        data = ReportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(data.validated_data["findings"]))
        findings = list(finding_list(viewer=request.user).filter(pk__in=ids))
        if len(findings) != len(ids):
            raise serializers.ValidationError({"findings": [_("Some of these findings do not exist.")]})
        report = services.report_create(enterprise=request.user.enterprise, actor=request.user,
                                        findings=findings)
        return Response(_report_data(request, report.pk), status=status.HTTP_201_CREATED)


class ReportFrontInput(serializers.ModelSerializer):
    class Meta:
        model = RectificationReport
        fields = ("responsible_person", "contact_person", "contact_phone", "summary", "declaration")
        extra_kwargs = {name: {"required": False} for name in fields}


@extend_schema(tags=["rectification reports"])
class ReportDetail(V1RetrieveView):
    """One report with its responses and evidence. PATCH changes a draft's front matter."""

    serializer_class = ReportSerializer

    def get_object(self):
        return _report(self.request, self.kwargs["pk"])

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [permission() for permission in ENTERPRISE]
        return super().get_permissions()

    @extend_schema(responses={200: ReportSerializer, **ERRORS}, examples=examples("report"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ReportFrontInput, responses={200: ReportSerializer, **ERRORS},
                   examples=examples("report_update"))
    def patch(self, request, pk: int):
        report = _report(request, pk)
        data = ReportFrontInput(report, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.report_update(report=report, actor=request.user, **data.validated_data)
        return Response(_report_data(request, pk))


class ResponseInput(serializers.Serializer):
    measures = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    long_term_measures = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    completed_on = serializers.DateField(required=False, allow_null=True)


def _response(request, pk: int, response_pk: int) -> tuple[RectificationReport, ReportResponse]:
    report = _report(request, pk)
    for response in report.responses.all():
        if response.pk == response_pk:
            return report, response
    raise NotFound


@extend_schema(tags=["rectification reports"], request=ResponseInput,
               responses={200: ReportSerializer, **ERRORS}, examples=examples("response_update"))
class ReportResponseUpdate(V1APIView):
    """A draft's answer to one finding: measures taken, long-term measures, date completed."""

    permission_classes = ENTERPRISE

    def patch(self, request, pk: int, response_pk: int):
        _report_obj, response = _response(request, pk, response_pk)
        data = ResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"measures": response.measures, "long_term_measures": response.long_term_measures,
                  "completed_on": response.completed_on, **data.validated_data}
        services.response_update(response=response, actor=request.user, **values)
        return Response(_report_data(request, pk))


class EvidenceInput(serializers.Serializer):
    # An empty file is refused by the one upload check (core.uploads), in its words.
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=f"One file ({ACCEPTED_LABELS}), checked by its content; at most "
                  f"{settings.UPLOAD_MAX_BYTES // 2**20} MB.")


@extend_schema(tags=["rectification reports"], request={"multipart/form-data": EvidenceInput},
               parameters=[IDEMPOTENCY], responses={201: EvidenceSerializer, **WRITE_ERRORS},
               examples=examples("evidence"))
class EvidenceUpload(V1APIView):
    """Attach one evidence file to a response of a draft."""

    permission_classes = ENTERPRISE

    @idempotent
    def post(self, request, pk: int, response_pk: int):
        _report_obj, response = _response(request, pk, response_pk)
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.evidence_add(response=response, actor=request.user,
                                         uploaded=data.validated_data["file"])
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["rectification reports"])
class EvidenceDetail(V1APIView):
    """DELETE removes an evidence file from a draft (enterprise users)."""

    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request, pk: int):
        if request.user.role != "enterprise":
            raise NotFound
        evidence = selectors.evidence_get(viewer=request.user, pk=pk)
        services.evidence_remove(evidence=evidence, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["rectification reports"],
               responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
                          **ERRORS})
class EvidenceDownload(V1APIView):
    """The evidence file as uploaded (a download, never rendered)."""

    content_negotiation_class = FileNegotiation

    def get(self, request, pk: int):
        evidence = selectors.evidence_get(viewer=request.user, pk=pk)
        return attachment_response(evidence.file, filename=evidence.original_name,
                                   content_type=evidence.content_type)


@extend_schema(tags=["rectification reports"], request=None, parameters=[IDEMPOTENCY],
               responses={200: ReportSerializer, **WRITE_ERRORS}, examples=examples("report_submitted"))
class ReportSubmit(V1APIView):
    """
    Submit a draft: every response complete, the declaration confirmed. The
    report locks, its findings move to "report submitted" and the reviewers
    are told, exactly as when submitting in the portal. Send an
    Idempotency-Key: a retry then returns the first answer.
    """

    permission_classes = ENTERPRISE

    @idempotent
    def post(self, request, pk: int):
        report = _report(request, pk)
        services.report_submit(report=report, actor=request.user)
        return Response(_report_data(request, pk))


@extend_schema(tags=["rectification reports"], request=None, parameters=[IDEMPOTENCY],
               responses={201: ReportSerializer, **WRITE_ERRORS}, examples=examples("report"))
class ReportNewVersion(V1APIView):
    """After "changes requested": the next version as a draft, copied from this one."""

    permission_classes = ENTERPRISE

    @idempotent
    def post(self, request, pk: int):
        report = _report(request, pk)
        new = services.report_start_next_version(report=report, actor=request.user)
        return Response(_report_data(request, new.pk), status=status.HTTP_201_CREATED)


# --- extension requests -------------------------------------------------------------


class ExtensionSerializer(serializers.ModelSerializer):
    enterprise = Ref()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = ExtensionRequest
        fields = ("id", "finding", "enterprise", "reason", "requested_deadline", "previous_deadline",
                  "status", "status_label", "decision_note", "decided_at", "created_at")


class ExtensionInput(serializers.Serializer):
    requested_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=5000)


@extend_schema(tags=["extension requests"], responses={200: ExtensionSerializer(many=True), **ERRORS},
               examples=examples("extension_list"))
class ExtensionList(V1ListView):
    """
    Extension requests: an enterprise's own, staff those of the campaigns
    they see; the parameters are the extension page's (status, finding).
    """

    serializer_class = ExtensionSerializer
    filterset_class = ExtensionFilter
    ordering_fields = ("id", "created_at")

    def get_queryset(self):
        return selectors.extension_list(viewer=self.request.user, filters=self.request.query_params)


@extend_schema(tags=["extension requests"], responses={200: ExtensionSerializer, **ERRORS},
               examples=examples("extension"))
class ExtensionDetail(V1RetrieveView):
    serializer_class = ExtensionSerializer

    def get_object(self):
        return selectors.extension_get(viewer=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=["extension requests"], request=ExtensionInput, parameters=[IDEMPOTENCY],
               responses={201: ExtensionSerializer, **WRITE_ERRORS}, examples=examples("extension_create"))
class ExtensionCreate(V1APIView):
    """The enterprise asks for a later deadline on one of its findings."""

    permission_classes = ENTERPRISE

    @idempotent
    def post(self, request, pk: int):
        finding = finding_get(viewer=request.user, pk=pk)
        data = ExtensionInput(data=request.data)
        data.is_valid(raise_exception=True)
        extension = services.extension_request_create(finding=finding, actor=request.user,
                                                      **data.validated_data)
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["extension requests"], request=None, responses={200: ExtensionSerializer, **ERRORS},
               examples=examples("extension_withdrawn"))
class ExtensionWithdraw(V1APIView):
    """The enterprise withdraws its own pending request."""

    permission_classes = ENTERPRISE

    def post(self, request, pk: int):
        extension = selectors.extension_get(viewer=request.user, pk=pk)
        extension = services.extension_withdraw(extension=extension, actor=request.user)
        return Response(ExtensionSerializer(extension).data)

