from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .navigation import Section, register_section

        # The audit trail is read by supervisors (and admins, who pass every role check).
        register_section(Section("audit", _("Audit trail"), "core:audit_list", order=90,
                                 roles=frozenset({"supervisor"})))
        # Files built in the background for the signed-in user.
        register_section(Section("exports", _("My exports"), "core:export_jobs", order=95))
