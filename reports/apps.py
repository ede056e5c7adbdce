from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.navigation import Section, register_section

        # Analytics (issue 7): the section and its Celery task.
        from . import tasks_analytics  # noqa: F401

        register_section(Section("analytics", _("Analytics"), "reports:analytics_index", order=40))

        # Notices, bulletins, campaign reports and exports (issue 6).
        from . import tasks  # noqa: F401

        register_section(Section("notices", _("Notices"), "reports:notice_list", order=35))
