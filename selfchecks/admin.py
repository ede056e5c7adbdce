from django.contrib import admin

from .models import SelfInspection


@admin.register(SelfInspection)
class SelfInspectionAdmin(admin.ModelAdmin):
    """Read-only: self-inspections are launched, answered and reviewed on their pages (audited)."""

    list_display = ["title", "campaign", "due_date", "scope", "created_at"]
    list_filter = ["scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
