from django.contrib import admin

from .models import Agency, CodeBasis, LegalDocument, Provision


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "government", "portal_name", "telephone", "contact_person"]
    list_filter = ["level"]
    search_fields = ["name", "government"]


class CodeBasisInline(admin.TabularInline):
    model = CodeBasis
    extra = 0
    fields = ["code", "role", "position"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["cited_name", "force", "effective_from", "effective_to"]
    list_filter = ["force"]
    search_fields = ["title", "number"]


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["citation", "number_verified", "effective_from", "effective_to"]
    list_filter = ["document", "number_verified"]
    search_fields = ["key", "topic", "document__title"]
    inlines = [CodeBasisInline]


@admin.register(CodeBasis)
class CodeBasisAdmin(admin.ModelAdmin):
    list_display = ["code", "provision", "role", "position"]
    list_filter = ["role"]
    search_fields = ["code"]
