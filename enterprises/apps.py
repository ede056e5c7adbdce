from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from core.demo import register_demo_step
        from core.navigation import Section, register_section

        from .demo import seed_step

        register_section(Section("enterprises", _("Enterprises"), "enterprises:list", order=10))
        register_demo_step(10, "enterprises", seed_step)
