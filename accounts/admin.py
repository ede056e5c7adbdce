from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "enterprise", "certificate_number",
                    "certificate_valid_until", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "enterprise__name")
    autocomplete_fields = ("enterprise",)
    fieldsets = tuple(BaseUserAdmin.fieldsets or ()) + (
        (_("LabelWatch"), {"fields": ("role", "enterprise", "language", "phone")}),
        (_("Law-enforcement certificate"),
         {"fields": ("certificate_number", "certificate_valid_until")}),
    )
    add_fieldsets = tuple(BaseUserAdmin.add_fieldsets or ()) + (
        (_("LabelWatch"), {"fields": ("role", "enterprise", "language")}),
    )
