"""
Agencies as data. An issuing agency's level decides the reconsideration
body (行政复议法 2023, Arts. 24-25); its portal, address, telephone and
contact person are what documents tell a party, never the software's name.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class AgencyLevel(models.TextChoices):
    DISTRICT = "district", _("District (county)")
    MUNICIPAL = "municipal", _("Municipal")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National (CAC)")


class Agency(TimeStampedModel):
    """An office that issues documents (e.g. 北京市互联网信息办公室)."""

    name = models.CharField(_("name"), max_length=120, unique=True,
                            help_text=_("As on its documents and campaigns, e.g. 北京市互联网信息办公室."))
    short_name = models.CharField(_("how documents refer to it"), max_length=20, default="我办",
                                  help_text=_("e.g. 我办"))
    level = models.CharField(_("level"), max_length=12, choices=AgencyLevel.choices)
    government = models.CharField(
        _("people's government at its level"), max_length=120, blank=True,
        help_text=_("e.g. 北京市人民政府 or 北京市海淀区人民政府: the reconsideration body of a local "
                    "office (行政复议法 Art. 24). Not used for the national office."),
    )
    portal_name = models.CharField(
        _("online portal name"), max_length=120, blank=True,
        help_text=_("Where enterprises submit rectification reports, as the agency calls it."))
    portal_url = models.URLField(_("online portal address"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    telephone = models.CharField(_("telephone"), max_length=40, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level != AgencyLevel.NATIONAL and not self.government.strip():
            raise ValidationError({"government": _("A local office needs the people's government at its "
                                                   "level: it hears reconsideration (行政复议法 Art. 24).")})

    def missing_for_documents(self) -> list[str]:
        """Labels of the fields a document needs that are still empty."""
        needed = [("portal_name", self.portal_name), ("telephone", self.telephone),
                  ("contact_person", self.contact_person)]
        if self.level != AgencyLevel.NATIONAL:
            needed.append(("government", self.government))
        return [str(self._meta.get_field(name).verbose_name) for name, value in needed if not value.strip()]

    @property
    def reconsideration_body(self) -> str:
        """
        Who hears an application for reconsideration of this agency's acts
        (行政复议法 2023): a local office's own people's government (Art. 24),
        the national office itself (Art. 25).
        """
        return self.name if self.level == AgencyLevel.NATIONAL else self.government
