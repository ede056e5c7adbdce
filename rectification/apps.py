from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    """Rectification reports, extensions and escalation after findings are notified."""

    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self) -> None:
        from core.navigation import Section, register_section

        register_section(
            Section("rectification", _("Rectification"), "rectification:report_list", order=30)
        )
        # Demo data: reports, extensions and escalations after the notices (seed_demo).
        from core.demo import register_demo_step

        register_demo_step(40, "rectification", "rectification.demo.seed_rectification")
