"""Typical-issues bulletins (典型问题通报): sections by issue code, chosen findings, recipients."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from enterprises.models import Enterprise
from inspections.models import Campaign, Finding, IssueCode

__all__ = ["Bulletin", "BulletinSection", "BulletinItem", "BulletinRecipient"]


class Bulletin(TimeStampedModel):
    """A typical-issues bulletin (典型问题通报) sent to every enterprise in scope."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="bulletins"
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    addressee = models.CharField(_("addressee"), max_length=100, default="各相关企业")
    introduction = models.TextField(_("introduction"))
    closing = models.TextField(_("requirements and closing"))
    agency = models.CharField(_("issuing agency"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    signer_sha256 = models.CharField(_("signing certificate SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compiled by"), on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("typical-issues bulletin")
        verbose_name_plural = _("typical-issues bulletins")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:bulletin_detail", args=[self.pk])


class BulletinSection(models.Model):
    """The bulletin's paragraph on one issue code: what was found, what compliance looks like."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="sections"
    )
    issue_code = models.ForeignKey(
        IssueCode, verbose_name=_("issue code"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    compliance = models.TextField(_("what compliance looks like"))

    class Meta:
        verbose_name = _("bulletin section")
        verbose_name_plural = _("bulletin sections")
        ordering = ["bulletin", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "issue_code"], name="bulletin_section_unique")
        ]

    def __str__(self) -> str:
        return self.heading


class BulletinItem(models.Model):
    """One chosen finding in a bulletin section, named or anonymised."""

    section = models.ForeignKey(
        BulletinSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="+"
    )
    anonymised = models.BooleanField(_("anonymised"), default=True)

    class Meta:
        verbose_name = _("bulletin item")
        verbose_name_plural = _("bulletin items")
        constraints = [
            models.UniqueConstraint(fields=["section", "finding"], name="bulletin_item_unique")
        ]

    def __str__(self) -> str:
        return str(self.finding)


class BulletinRecipient(models.Model):
    """An enterprise a bulletin was sent to, and when one of its users first opened it."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="recipients"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="bulletins_received"
    )
    first_opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    first_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("first opened by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("bulletin recipient")
        verbose_name_plural = _("bulletin recipients")
        ordering = ["enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "enterprise"], name="bulletin_recipient_unique")
        ]
        indexes = [
            # How many opened a bulletin (selectors.bulletin_list): the few that did.
            models.Index(fields=["bulletin"], name="bulletin_recipient_opened_idx",
                         condition=models.Q(first_opened_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} → {self.enterprise}"
