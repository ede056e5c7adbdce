from django.contrib import admin

from .models import AuditEvent, Notification, PendingTask


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ("created_at", "actor", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "actor__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "subject", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__username")
    raw_id_fields = ("recipient",)


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    """Tasks kept while the broker was down (core.queue); sent again every minute."""

    list_display = ("task", "created_at", "error")
    readonly_fields = ("task", "args", "kwargs", "created_at", "error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
