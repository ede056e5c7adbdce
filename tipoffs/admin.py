from django.contrib import admin

from .models import ReplyRule


@admin.register(ReplyRule)
class ReplyRuleAdmin(admin.ModelAdmin):
    """Reply times are data: an admin keeps them in line with the provisions in force."""

    list_display = ["step", "days", "day_kind", "basis"]
