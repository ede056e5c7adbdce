from django.contrib import admin

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "government", "portal_name", "telephone", "contact_person"]
    list_filter = ["level"]
    search_fields = ["name", "government"]
