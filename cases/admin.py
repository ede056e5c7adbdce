from django.contrib import admin

from .models import Case, CaseDocument, RecusalApplication, TimeLimit


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ("code", "length", "unit", "citation", "verified", "warn_days_before")
    list_editable = ("length", "unit", "warn_days_before")
    list_filter = ("verified", "unit")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only here: cases change only through their services (audited)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "enterprise", "cause", "status", "filed_on", "decided_on")
    list_filter = ("status", "outcome")
    search_fields = ("number", "enterprise__name", "cause")


@admin.register(CaseDocument)
class CaseDocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "case", "issued_at", "served_on")
    list_filter = ("kind",)
    search_fields = ("number", "case__number")


@admin.register(RecusalApplication)
class RecusalApplicationAdmin(ReadOnlyAdmin):
    list_display = ("case", "officer", "status", "decided_at")
    list_filter = ("status",)
    search_fields = ("case__number",)
