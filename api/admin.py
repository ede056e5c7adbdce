"""
Staff tokens are issued here by an administrator to a staff user; the
secret is shown once in the message after saving. Tokens are never edited
or deleted, only revoked (the record stays).
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import STAFF_ROLES, User
from core.pages import refusals

from . import services
from .models import ApiToken


class StaffTokenForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label=gettext_lazy("user"),
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("username"))

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].initial = timezone.now() + datetime.timedelta(days=90)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "scope", "created_at", "expires_at", "revoked_at",
                    "last_used_at", "last_used_ip", "use_count")
    list_filter = ("scope", "user__role")
    search_fields = ("name", "prefix", "user__username")
    actions = ["revoke"]
    readonly_fields = ("user", "name", "prefix", "scope", "created_at", "created_by", "expires_at",
                       "revoked_at", "revoked_by", "last_used_at", "last_used_ip", "use_count")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return StaffTokenForm.Meta.fields if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        with refusals(request) as refused:
            token, secret = services.token_create(
                user=data["user"], actor=request.user, name=data["name"], scope=data["scope"],
                expires_at=data["expires_at"])
        if refused:
            # ModelAdmin has no error path after validation: report and save nothing.
            obj.pk = None
            return
        obj.pk = token.pk
        messages.warning(request, _("Token for %(user)s: %(secret)s. Copy it now: it is shown only "
                                    "this once.") % {"user": token.user, "secret": secret})

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            super().log_addition(request, obj, message)

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(token=token, actor=request.user)
        messages.success(request, _("%(n)s tokens revoked.") % {"n": queryset.count()})
