from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from accounts.models import Role
        from core.navigation import Section, register_section

        # Analytics (issue 7): the section and its Celery task.
        from .analytics import tasks as analytics_tasks  # noqa: F401

        register_section(Section("analytics", _("Analytics"), "reports:analytics_index", order=40,
                                 home_roles=frozenset({Role.ANALYST})))

        # Notices, bulletins, campaign reports and exports (issue 6).
        from .notices import tasks as notice_tasks  # noqa: F401

        register_section(Section("notices", _("Notices"), "reports:notice_list", order=35))

        # Exports too big for a request, and every campaign report PDF, are
        # built by background jobs (core.exports).
        from core.exports import register_export

        from .campaign_report import services as campaign_report
        from .exports import services as exports

        register_export("findings", exports.build_findings_export, label=_("Findings export"))
        register_export("inspections", exports.build_inspections_export,
                        label=_("Inspections export"))
        register_export("campaign_report", campaign_report.build_export,
                        label=_("Campaign report"))

        # The enterprise timeline (rectification) shows the notices too.
        from core.timeline import register_timeline_source

        from .notices.selectors import notice_timeline_entries

        register_timeline_source(notice_timeline_entries)

        # The public verification page knows the issued bulletins too.
        from .bulletins.selectors import bulletin_file_by_sha256
        from .notices.selectors import register_issued_file_source

        register_issued_file_source(bulletin_file_by_sha256)

        # A campaign's published counts by outcome, in the audit trail.
        from core.templatetags.audit_tags import register_value_keys

        from .publication.models import PublishedOutcome

        register_value_keys("inspections.campaign", PublishedOutcome.choices)

        # Demo data: notices and a bulletin after the inspections (seed_demo).
        from core.demo import register_demo_step

        register_demo_step(30, "notices", "reports.demo.seed_notices")
        register_demo_step(40, "results published", "reports.demo.seed_publication")
        # Last: the analytics roll-ups summarise everything seeded before.
        register_demo_step(90, "analytics", "reports.demo.seed_analytics")
