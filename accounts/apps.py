from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .second_factor import staff_session_expiry

        user_logged_in.connect(staff_session_expiry, dispatch_uid="accounts_staff_session_expiry")
