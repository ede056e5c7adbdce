from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .second_factor import on_log_in

        user_logged_in.connect(on_log_in, dispatch_uid="accounts_second_factor_on_log_in")
