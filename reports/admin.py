"""Admin for legal citations (versioned), notice counters and read-only notices."""

from django.contrib import admin, messages

from core.pages import refusals

from .bulletins.models import Bulletin
from .notices.models import BatchIssue, LegalCitation, Notice, NoticeCounter
from .notices.services import legal_citation_new_version

CITATION_FIELDS = ["use", "law", "article", "summary", "issuer", "effective_from", "effective_to", "categories"]


@admin.register(LegalCitation)
class LegalCitationAdmin(admin.ModelAdmin):
    """
    Saving changes to an existing citation creates a NEW version; the old
    row is never rewritten (only its end date is set), so notices issued
    under it keep their text.
    """

    list_display = ["key", "version", "law", "article", "use", "effective_from", "effective_to"]
    list_filter = ["use", "law"]
    search_fields = ["key", "law", "article", "summary"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["key", "version", "created_at"] if obj else ["version", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = 1
            super().save_model(request, obj, form, change)
            return
        changes = {name: form.cleaned_data[name] for name in CITATION_FIELDS if name in form.changed_data}
        original = LegalCitation.objects.get(pk=obj.pk)
        if not changes:
            return
        with refusals(request) as refused:
            new = legal_citation_new_version(citation=original, actor=request.user, changes=changes)
        if refused:
            return
        # Keep the admin's instance (and the old row) unchanged; point to the new version.
        obj.pk = new.pk
        messages.info(request, f"Saved as version {new.version} of {new.key}.")


@admin.register(NoticeCounter)
class NoticeCounterAdmin(admin.ModelAdmin):
    list_display = ["prefix", "year", "last_serial"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "party_name", "status", "issue_date", "deadline"]
    list_filter = ["status", "campaign"]
    search_fields = ["number", "party_name", "party_uscc", "verification_code"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register([BatchIssue, Bulletin], admin.ModelAdmin)
