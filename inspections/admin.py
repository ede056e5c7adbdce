from django.contrib import admin

from .models import (
    CalendarDay,
    CalendarYear,
    Campaign,
    Finding,
    Inspection,
    InspectionService,
    IssueCode,
    OfficerConflict,
    PlanEntry,
    SampledItem,
    SelectionPlan,
)


@admin.register(IssueCode)
class IssueCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "title_zh", "title_en", "category", "default_severity",
                    "default_period", "period_unit", "item_level", "active"]
    list_filter = ["category", "default_severity", "item_level", "active"]
    search_fields = ["code", "title_zh", "title_en", "legal_basis"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are stable identifiers once they exist.
        return ["code"] if obj else []


class RecountOnChange:
    """
    A change of the holiday calendar recounts every estimated deadline
    (inspections.deadlines), after the change commits.
    """

    def _recount(self) -> None:
        from django.db import transaction

        from .tasks import recount_estimated_deadlines

        transaction.on_commit(recount_estimated_deadlines.delay)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recount()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recount()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._recount()


@admin.register(CalendarYear)
class CalendarYearAdmin(RecountOnChange, admin.ModelAdmin):
    list_display = ["year", "source"]


@admin.register(CalendarDay)
class CalendarDayAdmin(RecountOnChange, admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "starts_on", "ends_on", "status", "sampling_rule"]
    list_filter = ["status"]
    filter_horizontal = ["focus_codes"]


@admin.register(OfficerConflict)
class OfficerConflictAdmin(admin.ModelAdmin):
    list_display = ["officer", "enterprise", "reason", "created_at"]
    autocomplete_fields = ["enterprise"]
    raw_id_fields = ["officer"]


class ReadMostlyAdmin(admin.ModelAdmin):
    """Inspections data changes through the application's services (audited)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields] + [
            m.name for m in self.model._meta.many_to_many]


class PlanEntryInline(admin.TabularInline):
    model = PlanEntry
    extra = 0
    can_delete = False
    readonly_fields = ("position", "enterprise", "stratum", "planned_date")
    fields = readonly_fields


@admin.register(SelectionPlan)
class SelectionPlanAdmin(ReadMostlyAdmin):
    list_display = ["name", "campaign", "status", "seed", "approved_by"]
    list_filter = ["status"]
    inlines = [PlanEntryInline]


class InspectionServiceInline(admin.TabularInline):
    model = InspectionService
    extra = 0
    can_delete = False
    readonly_fields = ("service", "lot_size", "rule", "code_letter", "plan_letter", "sample_size",
                       "accept_number", "reject_number")
    fields = readonly_fields


@admin.register(Inspection)
class InspectionAdmin(ReadMostlyAdmin):
    list_display = ["enterprise", "campaign", "planned_date", "status", "method"]
    list_filter = ["status", "campaign"]
    search_fields = ["enterprise__name"]
    date_hierarchy = "planned_date"
    inlines = [InspectionServiceInline]

    def get_readonly_fields(self, request, obj=None):
        # Internal notes stay editable; everything else goes through services.
        return [f for f in super().get_readonly_fields(request, obj) if f != "internal_notes"]


@admin.register(SampledItem)
class SampledItemAdmin(ReadMostlyAdmin):
    list_display = ["content_ref", "inspection", "modality", "label_verdict", "captured_at"]
    list_filter = ["modality", "label_verdict"]


@admin.register(Finding)
class FindingAdmin(ReadMostlyAdmin):
    list_display = ["issue_code", "enterprise", "campaign", "severity", "status", "deadline", "is_repeat"]
    list_filter = ["status", "severity", "is_repeat", "campaign"]
    search_fields = ["enterprise__name", "description"]
