from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.services import enterprise_users_deactivate

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
    actions = ["deactivate_users"]

    @admin.action(description=gettext_lazy("Deactivate all users of the selected enterprises"),
                  permissions=["change"])
    def deactivate_users(self, request, queryset):
        """Asks first (a page listing who loses access), then deactivates them all."""
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(request, "admin/enterprises/deactivate_users_confirm.html", {
                **self.admin_site.each_context(request), "enterprises": queryset,
                "users": [u for e in queryset for u in e.users.filter(is_active=True)],
                "action": "deactivate_users", "opts": self.model._meta,
                "title": _("Deactivate all users of the selected enterprises"),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            })
        count = sum(enterprise_users_deactivate(enterprise=e, actor=request.user)
                    for e in queryset)
        self.message_user(request, ngettext("%(n)d user deactivated.",
                                            "%(n)d users deactivated.", count) % {"n": count},
                          messages.SUCCESS)
        return None


for model in (Service, AlgorithmFiling, GenAIFiling, ProviderCode, Contact):
    admin.site.register(model, search_fields=["enterprise__name"], raw_id_fields=["enterprise"])
