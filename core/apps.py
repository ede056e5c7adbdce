from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .navigation import Section, register_section

        connection_created.connect(_register_sqlite_audit_guard,
                                   dispatch_uid="core_sqlite_audit_guard")

        # The audit trail is read by supervisors (and admins, who pass every role check).
        register_section(Section("audit", _("Audit trail"), "core:audit_list", order=90,
                                 roles=frozenset({"supervisor"})))
        # Files built in the background for the signed-in user.
        register_section(Section("exports", _("My exports"), "core:export_jobs", order=95))


def _register_sqlite_audit_guard(sender, connection, **kwargs) -> None:
    """The function the SQLite append-only triggers of the audit table call."""
    if connection.vendor == "sqlite":
        from .audit_chain import SQLITE_GUARD_FUNCTION, sqlite_guard

        connection.connection.create_function(SQLITE_GUARD_FUNCTION, 0, sqlite_guard)
