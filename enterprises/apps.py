from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from core.navigation import Section, register_section

        register_section(Section("enterprises", _("Enterprises"), "enterprises:list", order=10))
