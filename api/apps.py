from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """
    API v1 (`/api/v1/`): access tokens, their authentication and rate limits,
    and the endpoints. Sits above reports and below the portal: it reads
    through every app's selectors and writes through their services.
    """

    name = "api"
    verbose_name = _("API")
