"""
Agencies as data. An issuing agency's level decides the reconsideration
body (行政复议法 2023, Arts. 24-25); its portal, address, telephone and
contact person are what documents tell a party, never the software's name.
"""

from django.conf import settings
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
    # The 版记 of its documents (GB/T 9704-2012 7.4).
    copy_to = models.CharField(
        _("copy to (抄送)"), max_length=300, blank=True,
        help_text=_("Offices that receive a copy of every notice, separated by “，”, e.g. 国家互联网信息办公室. "
                    "Printed in the colophon; leave empty when there are none."))
    printed_by = models.CharField(
        _("printed and issued by (印发机关)"), max_length=120, blank=True,
        help_text=_("Usually the agency's general office; empty means the agency itself."))
    seal_image = models.ImageField(
        _("seal image"), upload_to="agency-seals/", blank=True,
        help_text=_("The agency's seal as a PNG with a transparent background, placed over the date of "
                    "signed documents. Without one, documents carry the digital signature only."))

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
        return [str(getattr(self._meta.get_field(name), "verbose_name", name))
                for name, value in needed if not value.strip()]

    @property
    def reconsideration_body(self) -> str:
        """
        Who hears an application for reconsideration of this agency's acts
        (行政复议法 2023): a local office's own people's government (Art. 24),
        the national office itself (Art. 25).
        """
        return self.name if self.level == AgencyLevel.NATIONAL else self.government


class BindingForce(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Administrative regulation")
    RULE = "rule", _("Departmental rule")
    NORMATIVE = "normative", _("Normative document")
    MANDATORY_STANDARD = "mandatory_standard", _("Mandatory national standard")
    RECOMMENDED_STANDARD = "recommended_standard", _("Recommended national standard")
    GUIDE = "guide", _("Non-binding guide")


# What a party can be found to have violated; the rest are technical references (参照).
BINDING_FORCES = frozenset({
    BindingForce.LAW, BindingForce.REGULATION, BindingForce.RULE, BindingForce.NORMATIVE,
    BindingForce.MANDATORY_STANDARD,
})


class LegalDocument(TimeStampedModel):
    """A law, regulation, rule, standard or guide, with its force and dates."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200, help_text=_("With its book-title marks, e.g. 《…》."))
    number = models.CharField(_("document or standard number"), max_length=120, blank=True,
                              help_text=_("e.g. 国信办通字〔2025〕2号, GB 45438-2025, TC260-PG-20252A"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    force = models.CharField(_("binding force"), max_length=25, choices=BindingForce.choices)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.cited_name

    @property
    def is_standard(self) -> bool:
        return self.force in (BindingForce.MANDATORY_STANDARD, BindingForce.RECOMMENDED_STANDARD)

    @property
    def cited_name(self) -> str:
        """How documents name it: a standard with its number first (GB 45438-2025《…》)."""
        return f"{self.number}{self.title}" if self.is_standard and self.number else self.title


class Provision(TimeStampedModel):
    """
    One citable provision: article, paragraph and item of a law or rule, or
    a clause of a standard. A provision whose number was not read at the
    source is cited by its topic ("…关于…的规定"), never by a guessed number.
    A change of law is a new row; the old one gets an end date.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    document = models.ForeignKey(LegalDocument, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="provisions")
    article = models.PositiveSmallIntegerField(_("article (条)"), null=True, blank=True)
    paragraph = models.PositiveSmallIntegerField(_("paragraph (款)"), null=True, blank=True)
    item = models.PositiveSmallIntegerField(_("item (项)"), null=True, blank=True)
    clause = models.CharField(_("clause of a standard"), max_length=30, blank=True,
                              help_text=_("e.g. 5.1, 6.1, 附录E, 第5章"))
    topic = models.CharField(_("topic"), max_length=120,
                             help_text=_("What it regulates; cited as “关于…的规定” when the number is unverified."))
    number_verified = models.BooleanField(_("number verified at source"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True,
                                      help_text=_("Empty: the document's date."))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["document__key", "article", "paragraph", "item", "clause"]

    def __str__(self) -> str:
        return self.citation

    @property
    def binding(self) -> bool:
        return self.document.force in BINDING_FORCES

    @property
    def starts(self):
        return self.effective_from or self.document.effective_from

    @property
    def ends(self):
        ends = [d for d in (self.effective_to, self.document.effective_to) if d]
        return min(ends) if ends else None

    def in_force_on(self, day) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)

    @property
    def locator(self) -> str:
        """第四条第一款第（一）项, 第5.1条, 附录E; or 关于…的规定 when unverified."""
        from .citations import locator

        return locator(self)

    @property
    def citation(self) -> str:
        return f"{self.document.cited_name}{self.locator}"


class BasisRole(models.TextChoices):
    VIOLATED = "violated", _("Provision violated")
    REFERENCE = "reference", _("Technical reference (参照)")


class CodeBasis(models.Model):
    """The provisions an issue code rests on: violated (binding) or referred to."""

    code = models.CharField(_("issue code"), max_length=10, db_index=True)
    provision = models.ForeignKey(Provision, verbose_name=_("provision"), on_delete=models.PROTECT,
                                  related_name="code_bases")
    role = models.CharField(_("role"), max_length=10, choices=BasisRole.choices, default=BasisRole.VIOLATED)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("legal basis of an issue code")
        verbose_name_plural = _("legal bases of issue codes")
        ordering = ["code", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["code", "provision"], name="code_basis_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.provision}"

    def clean(self) -> None:
        if self.role == BasisRole.VIOLATED and self.provision_id and not self.provision.binding:
            raise ValidationError({"role": _("A non-binding guide can only be a technical reference.")})


class ServiceMethod(models.TextChoices):
    """How a document is served (送达), for every document kind."""

    DIRECT = "direct", _("Direct service")
    ELECTRONIC = "electronic", _("Electronic service (portal)")
    POST = "post", _("Service by post")
    LEFT = "left", _("Service by leaving the document (留置送达)")
    ENTRUSTED = "entrusted", _("Entrusted service (委托送达)")
    PUBLIC = "public", _("Service by public announcement (公告送达)")


# The party's own words of consent to electronic service (行政处罚法 Art. 61).
CONSENT_STATEMENT = ("本单位同意执法机关通过其网上执法平台以电子方式向本单位送达执法文书，"
                     "以本单位账号在平台签收的时间为送达时间。")


class ElectronicServiceConsent(TimeStampedModel):
    """An enterprise's recorded consent to electronic service: who, when, from where."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"),
                                   on_delete=models.PROTECT, related_name="service_consents")
    statement = models.TextField(_("statement consented to"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("given by"),
                                 on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given at"))
    given_ip = models.GenericIPAddressField(_("from IP address"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent to electronic service")
        verbose_name_plural = _("consents to electronic service")
        ordering = ["-given_at"]
        constraints = [
            # One consent in force per enterprise.
            models.UniqueConstraint(fields=["enterprise"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="one_active_service_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.given_at:%Y-%m-%d}"


class ServiceRecord(TimeStampedModel):
    """
    The service (送达) of one document, with every element of a 送达回证:
    method, time, place, the recipient or the person who received it for the
    party (代收人) and why, witnesses of 留置送达, the entrusted body, the
    announcement, and the officers who served it.
    """

    document_kind = models.CharField(_("document kind"), max_length=30)
    document_id = models.PositiveBigIntegerField(_("document id"))
    document_title = models.CharField(_("document title and number"), max_length=200)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("party served"),
                                   on_delete=models.PROTECT, related_name="service_records")
    method = models.CharField(_("method"), max_length=12, choices=ServiceMethod.choices)
    served_at = models.DateTimeField(_("served at"))
    place = models.CharField(_("place of service"), max_length=200, blank=True)
    recipient = models.CharField(_("signed for by"), max_length=100, blank=True)
    by_agent = models.BooleanField(_("received by someone for the party (代收)"), default=False)
    agent_relation = models.CharField(_("agent's relation to the party"), max_length=100, blank=True)
    agent_reason = models.CharField(_("why an agent received it"), max_length=200, blank=True)
    refusal = models.CharField(_("refusal to sign (留置)"), max_length=200, blank=True)
    witnesses = models.CharField(_("witnesses (留置)"), max_length=200, blank=True)
    entrusted_to = models.CharField(_("entrusted body (委托)"), max_length=200, blank=True)
    announcement = models.CharField(_("announcement: where and when (公告)"), max_length=300, blank=True)
    servers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("served by"), blank=True,
                                     related_name="+")
    consent = models.ForeignKey(ElectronicServiceConsent, verbose_name=_("consent relied on"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="services")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"),
                                        null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_ip = models.GenericIPAddressField(_("acknowledged from IP"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_at"]
        constraints = [
            # A document is served once; a later correction is a new document.
            models.UniqueConstraint(fields=["document_kind", "document_id"], name="one_service_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document_title} · {self.get_method_display()} · {self.served_at:%Y-%m-%d %H:%M}"
