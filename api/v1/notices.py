"""
Rectification notices: metadata, the issued PDF, the proof of service, and
the enterprise's acknowledgement of receipt (electronic service).
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.models import User
from core.audit import client_ip
from core.downloads import attachment_response
from inspections.models import Finding
from reports.notices import selectors, services
from reports.notices.filters import NoticeFilter
from reports.notices.models import Notice

from .base import ENTERPRISE, V1APIView, V1ListView, V1RetrieveView
from .downloads import FileNegotiation
from .findings import Ref
from .schema import ERRORS, examples


class NoticeSerializer(serializers.ModelSerializer):
    enterprise = Ref(source="enterprise_ref")
    campaign = Ref()
    status_label = serializers.CharField(source="get_status_display")
    findings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    pdf_available = serializers.SerializerMethodField()
    proof_available = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ("id", "number", "status", "status_label", "enterprise", "campaign", "findings",
                  "party_name", "party_uscc", "agency", "issue_date", "issued_at", "deadline",
                  "deadline_at", "verification_code", "pdf_sha256", "pdf_size", "pdf_available",
                  "proof_available", "served_at", "service_method", "created_at")

    def get_pdf_available(self, notice) -> bool:
        return bool(notice.pdf)

    def get_proof_available(self, notice) -> bool:
        return bool(notice.proof_pdf)

    def to_representation(self, notice):
        notice.enterprise_ref = {"id": notice.enterprise_id, "name": notice.enterprise.name}
        return super().to_representation(notice)


def _notices(viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Notice]:
    return selectors.notice_list(viewer=viewer, filters=filters).prefetch_related(
        Prefetch("findings", queryset=Finding.objects.only("id")))


@extend_schema(tags=["notices"], responses={200: NoticeSerializer(many=True), **ERRORS},
               examples=examples("notice_list"))
class NoticeList(V1ListView):
    """
    Notices the caller may see: an enterprise its own issued notices, staff
    those of the campaigns they see (drafts too). The parameters are the
    notice page's: search, status, campaign, and the issue time; order by
    `created_at` or `id` (`issued_at` is empty on drafts, which a cursor
    could not page past).
    """

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    ordering_fields = ("id", "created_at")

    def get_queryset(self):
        return _notices(self.request.user, self.request.query_params)


@extend_schema(tags=["notices"], responses={200: NoticeSerializer, **ERRORS},
               examples=examples("notice"))
class NoticeDetail(V1RetrieveView):
    serializer_class = NoticeSerializer

    def get_object(self):
        return selectors.notice_get(viewer=self.request.user, pk=self.kwargs["pk"])


PDF_RESPONSES: dict[Any, Any] = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
                 **ERRORS}


@extend_schema(tags=["notices"], responses=PDF_RESPONSES)
class NoticePdf(V1APIView):
    """The issued notice as signed and stored (404 before issuance)."""

    content_negotiation_class = FileNegotiation

    def get(self, request, pk: int):
        notice = selectors.notice_get(viewer=request.user, pk=pk)
        return attachment_response(notice.pdf, filename=f"notice-{notice.year}-{notice.serial}.pdf",
                                   content_type="application/pdf")


@extend_schema(tags=["notices"], responses=PDF_RESPONSES)
class NoticeProof(V1APIView):
    """The proof of service (送达回证) of an issued notice."""

    content_negotiation_class = FileNegotiation

    def get(self, request, pk: int):
        notice = selectors.notice_get(viewer=request.user, pk=pk)
        return attachment_response(notice.proof_pdf,
                                   filename=f"proof-of-service-{notice.year}-{notice.serial}.pdf",
                                   content_type="application/pdf")


@extend_schema(tags=["notices"], request=None, responses={200: NoticeSerializer, **ERRORS},
               examples=examples("notice_acknowledged"))
class NoticeAcknowledge(V1APIView):
    """
    The enterprise acknowledges receipt: electronic service, recorded with
    the account, time and address on the proof of service; it needs the
    enterprise's consent to electronic service (send {"consent": true} the
    first time). Acknowledging again changes nothing. Enterprise users only (staff: 404).
    """

    permission_classes = ENTERPRISE

    def post(self, request, pk: int):
        notice = selectors.notice_get(viewer=request.user, pk=pk)
        # Electronic service counts only under the enterprise's consent, given
        # once (with this request's "consent": true, or before).
        consent = request.data.get("consent") in (True, "true", "1", 1) if hasattr(request.data, "get") else False
        notice = services.notice_acknowledge(notice=notice, actor=request.user,
                                             ip_address=client_ip(request._request), consent=consent)
        notice = selectors.notice_get(viewer=request.user, pk=notice.pk)
        return Response(NoticeSerializer(notice, context={"request": request}).data)
