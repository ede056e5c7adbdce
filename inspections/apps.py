from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from core.demo import register_demo_step
        from core.navigation import Section, register_section
        from core.templatetags.audit_tags import register_value_keys

        from .models import Stratum

        # A draw's counts by stratum, in the audit trail.
        register_value_keys("inspections.selectionplan", Stratum.choices)

        from . import selectors, workdays
        from .models import Campaign

        # The working-day calendar is cached in memory; admin edits clear it.
        workdays.connect_cache_invalidation()
        # A team changed during a request: its scoped reads see the new team.
        m2m_changed.connect(selectors.team_memo_clear, sender=Campaign.team.through,
                            dispatch_uid="team-memo-clear")
        register_section(Section("inspections", _("Inspections"), "inspections:campaign_list", order=20))
        register_demo_step(20, "inspections", "inspections.demo.seed_inspections")
