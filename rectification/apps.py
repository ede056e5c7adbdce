from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    """Rectification reports, extensions and escalation after findings are notified."""

    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self) -> None:
        from django.conf import settings

        from core.navigation import Section, register_section

        register_section(
            Section("rectification", _("Rectification"), "rectification:report_list", order=30)
        )
        # Record the automatic reminder step of overdue findings every hour.
        settings.CELERY_BEAT_SCHEDULE.setdefault("rectification-overdue-reminders", {
            "task": "rectification.tasks.remind_overdue_findings_task",
            "schedule": 3600.0,
        })

        # Demo data: reports, extensions and escalations after the notices (seed_demo).
        from core.demo import register_demo_step

        from .demo import seed_rectification

        register_demo_step(40, "rectification", seed_rectification)
