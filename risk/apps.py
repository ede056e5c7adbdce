from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "risk"
    verbose_name = _("Risk ranking")

    def ready(self) -> None:
        from core.demo import register_demo_step
        from core.templatetags.audit_tags import register_value_keys

        from .scoring import FACTOR_LABELS

        # The ranking settings' weights, by factor, in the audit trail.
        register_value_keys("risk.risksettings", FACTOR_LABELS)

        # After inspections, findings and rectification: the ranking reads them.
        register_demo_step(85, "risk ranking", "risk.demo.seed_risk")
