from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    """
    Law and agencies as data: the issuing agencies (level, government,
    portal, contact), the provisions with their force and effective dates,
    service (送达) records and consent, document signing. Sits between
    enterprises and inspections: every document kind (notices, cases) uses it.
    """

    name = "legal"
    verbose_name = _("Law and agencies")

    def ready(self) -> None:
        from core.demo import register_demo_step

        # First: campaigns name the agency, notices read its data.
        register_demo_step(5, "agencies", "legal.demo.seed_agencies")
