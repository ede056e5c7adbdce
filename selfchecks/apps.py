from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfchecksConfig(AppConfig):
    """Campaign self-inspections (自查): checklists enterprises answer, staff review."""

    name = "selfchecks"
    verbose_name = _("Self-inspections")

    def ready(self) -> None:
        from core.demo import register_demo_step
        from core.navigation import Section, register_section

        register_section(Section("selfchecks", _("Self-inspections"), "selfchecks:list", order=27))
        # After inspections and rectification (a contradiction needs a finding),
        # before the risk ranking, which counts contradictions.
        register_demo_step(60, "self-inspections", "selfchecks.demo.seed_selfchecks")
