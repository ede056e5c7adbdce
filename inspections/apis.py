"""
JSON API of inspections: findings (read-only, scoped by the selectors) and
the label checker on an uploaded file (staff only; nothing is stored).
"""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import StaffOnly

from . import labels, selectors
from .models import Finding, FindingStatus, Severity


class FindingFilter(django_filters.FilterSet):
    # Plain ids rather than ModelChoiceFilters: no lookup query per request,
    # and an unknown id gives an empty page instead of revealing whether
    # another enterprise or campaign exists.
    campaign = django_filters.NumberFilter(field_name="campaign_id")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id")
    issue_code = django_filters.CharFilter(field_name="issue_code_id")
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    is_repeat = django_filters.BooleanFilter()
    # ?deadline_after=YYYY-MM-DD&deadline_before=YYYY-MM-DD, both inclusive.
    deadline = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Finding
        fields = ("campaign", "enterprise", "issue_code", "status", "severity", "is_repeat",
                  "deadline")


class FindingOutputSerializer(serializers.ModelSerializer):
    class EnterpriseSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()

    enterprise = EnterpriseSerializer()
    campaign = serializers.IntegerField(source="campaign_id")
    issue_code = serializers.CharField(source="issue_code_id")

    class Meta:
        model = Finding
        # Public to the enterprise concerned: no description drafts, legal
        # basis, creator or internal links (inspection, evidence, repeat_of).
        fields = ("id", "enterprise", "campaign", "issue_code", "severity", "status",
                  "deadline", "is_repeat", "created_at")


class FindingListApi(generics.ListAPIView):
    serializer_class = FindingOutputSerializer
    filterset_class = FindingFilter

    def get_queryset(self):
        return selectors.finding_list(viewer=self.request.user)


class FindingDetailApi(generics.RetrieveAPIView):
    serializer_class = FindingOutputSerializer

    def get_object(self):
        return selectors.finding_get(viewer=self.request.user, pk=self.kwargs["pk"])


class LabelCheckApi(APIView):
    """Check the implicit AIGC label of one uploaded file; store nothing."""

    permission_classes: list[type[BasePermission]] = [StaffOnly]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(
            allow_empty_file=False,
            error_messages={
                "required": _("Attach the file to check as the multipart field “file”."),
                "invalid": _("Attach the file to check as the multipart field “file”."),
                "empty": _("The file is empty."),
            },
        )
        uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
        # Also check the visible or audible label (OCR, video frames, the
        # 短长短短 rhythm, the text): adds the "explicit" object and EXP findings.
        explicit = serializers.BooleanField(required=False, default=False)
        modality = serializers.ChoiceField(
            required=False, allow_blank=True,
            choices=[("text", _("Text")), ("image", _("Image")), ("video", _("Video")),
                     ("audio", _("Audio"))])

        def validate_file(self, upload):
            if upload.size > settings.UPLOAD_MAX_BYTES:
                raise serializers.ValidationError(
                    _("The file is larger than %(max)s MB.")
                    % {"max": settings.UPLOAD_MAX_BYTES // 2**20})
            return upload

    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        result = labels.check_stream(
            upload, path=upload.name or "<upload>",
            expected_uscc=serializer.validated_data.get("uscc", "").strip() or None)
        data = result.to_json_dict()
        if serializer.validated_data.get("explicit"):
            from .labels import explicit

            upload.seek(0)
            checked = explicit.check_explicit(
                upload.read(settings.UPLOAD_MAX_BYTES),
                modality=serializer.validated_data.get("modality") or None,
                budget_s=settings.EXPLICIT_CHECK_API_BUDGET_S)
            data = explicit.with_explicit(data, checked)
        return Response(data)
