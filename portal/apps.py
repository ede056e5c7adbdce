from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The enterprise portal: sits on top of every other app, owns no models."""

    name = "portal"
    verbose_name = _("Enterprise portal")
