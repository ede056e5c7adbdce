"""
Read-only admin: every change of the rectification loop goes through its
services (and the audit trail), never through the admin.
"""

from django.contrib import admin

from .models import (
    Escalation,
    ExtensionRequest,
    RectificationReport,
    ReportEvidence,
    ReportResponse,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RectificationReport)
class RectificationReportAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "version", "status", "submitted_at", "reviewed_at")
    list_filter = ("status",)
    search_fields = ("enterprise__name",)


@admin.register(ReportResponse)
class ReportResponseAdmin(ReadOnlyAdmin):
    list_display = ("report", "finding", "decision", "decided_at")
    list_filter = ("decision",)


@admin.register(ReportEvidence)
class ReportEvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    exclude = ("file",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("finding", "requested_deadline", "status", "decided_at")
    list_filter = ("status",)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "finding", "kind", "occurred_on", "case_number")
    list_filter = ("kind",)
    exclude = ("minutes",)
