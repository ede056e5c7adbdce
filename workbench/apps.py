from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """
    Each officer's home: what waits for them, across every app. Sits on top
    of the staff apps (it reads their selectors) and owns no models.
    """

    name = "workbench"
    verbose_name = _("My work")

    def ready(self) -> None:
        from accounts.models import Role
        from core.navigation import Section, register_section

        register_section(Section(
            "work", _("My work"), "workbench:home", order=5,
            roles=frozenset({Role.INSPECTOR, Role.SUPERVISOR}),
            home_roles=frozenset({Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}),
        ))
