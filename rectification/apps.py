from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    """Rectification reports, extensions and escalation after findings are notified."""

    name = "rectification"
    verbose_name = _("Rectification")
