from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from core.demo import register_demo_step
        from core.exports import register_export
        from core.navigation import Section, register_section

        from .exporting import build_export

        register_section(Section("enterprises", _("Enterprises"), "enterprises:list", order=10))
        register_demo_step(10, "enterprises", "enterprises.demo.seed_step")
        # Registry exports too big for the request are built by a job.
        register_export("enterprises", build_export, label=_("Registry export"))
