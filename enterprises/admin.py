from django.contrib import admin

from .models import AlgorithmFiling, Contact, Enterprise, GenAIFiling, ProviderCode, Service


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


class AlgorithmFilingInline(admin.TabularInline):
    model = AlgorithmFiling
    extra = 0


class GenAIFilingInline(admin.TabularInline):
    model = GenAIFiling
    extra = 0


class ProviderCodeInline(admin.TabularInline):
    model = ProviderCode
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "district", "risk_tier", "status")
    list_filter = ("district", "risk_tier", "status", "is_generation_provider", "is_dissemination_platform")
    search_fields = ("name", "uscc", "algorithm_filings__number")
    readonly_fields = ("region_code",)
    inlines = [ServiceInline, AlgorithmFilingInline, GenAIFilingInline, ProviderCodeInline, ContactInline]


for model in (Service, AlgorithmFiling, GenAIFiling, ProviderCode, Contact):
    admin.site.register(model, search_fields=["enterprise__name"], raw_id_fields=["enterprise"])
