from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from core.demo import register_demo_step
        from core.navigation import Section, register_section

        from . import workdays

        # The working-day calendar is cached in memory; admin edits clear it.
        workdays.connect_cache_invalidation()
        register_section(Section("inspections", _("Inspections"), "inspections:campaign_list", order=20))
        register_demo_step(20, "inspections", "inspections.demo.seed_inspections")
