from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from . import workdays

        # The working-day calendar is cached in memory; admin edits clear it.
        workdays.connect_cache_invalidation()
