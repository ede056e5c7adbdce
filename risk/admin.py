from django.contrib import admin

from core.audit import audit_record, snapshot

from .models import RiskSettings


@admin.register(RiskSettings)
class RiskSettingsAdmin(admin.ModelAdmin):
    """Weights and thresholds are data: the next recompute uses them and records them with each score."""

    list_display = ["__str__", "high_from", "low_below", "window_days", "updated_at"]

    def has_add_permission(self, request):
        return not RiskSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = snapshot(RiskSettings.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="risk_settings.update", obj=obj, before=before,
                     after=snapshot(obj))
