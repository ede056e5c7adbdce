from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipoffsConfig(AppConfig):
    name = "tipoffs"
    verbose_name = _("Tip-offs")

    def ready(self) -> None:
        from core.navigation import Section, register_section

        register_section(Section("tipoffs", _("Tip-offs"), "tipoffs:list", order=25))
