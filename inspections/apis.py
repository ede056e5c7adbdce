"""
JSON API of inspections: findings (read-only, scoped by the selectors) and
the label checker on an uploaded file (staff only; nothing is stored).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import StaffOnly
from core.api_filters import SelectorFilterBackend
from core.uploads import ANY_TYPE, check_upload

from . import labels, selectors
from .filters import FindingFilter
from .models import Finding


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
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.finding_filtered(viewer=self.request.user, filters=self.request.query_params)


class FindingDetailApi(generics.RetrieveAPIView):
    serializer_class = FindingOutputSerializer

    def get_object(self):
        return selectors.finding_get(viewer=self.request.user, pk=self.kwargs["pk"])


class LabelCheckApi(APIView):
    """Check the implicit AIGC label of one uploaded file; store nothing."""

    permission_classes: list[type[BasePermission]] = [StaffOnly]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(
            # An empty file is refused by the one upload check, in its words.
            allow_empty_file=True,
            error_messages={
                "required": _("Attach the file to check as the multipart field “file”."),
                "invalid": _("Attach the file to check as the multipart field “file”."),
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
            # Any type: naming the format is part of the answer.
            check_upload(upload, accepts=ANY_TYPE, what=_("content"))
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
