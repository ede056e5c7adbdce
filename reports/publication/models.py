"""
Published inspection results (双随机、一公开): what the public may read about
a campaign's random inspections. A publication is a snapshot taken by a
supervisor, so the public pages read these two tables and never the
internal ones (findings, notes, evidence).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspections.models import Campaign

__all__ = ["PublishedOutcome", "PublishedResult", "ResultPublication"]


class PublishedOutcome(models.TextChoices):
    NO_PROBLEMS = "no_problems", _("No problems found")
    RECTIFIED = "rectified", _("Problems found, rectified")
    RECTIFYING = "rectifying", _("Problems found, rectification under way")
    OVERDUE = "overdue", _("Problems found, not rectified by the deadline")


class ResultPublication(models.Model):
    """One campaign's published results; published again, it is replaced whole."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="publication",
    )
    # The campaign as the public sees it, copied at publication.
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    agency = models.CharField(_("issuing agency"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    inspections = models.PositiveIntegerField(_("inspections published"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("result publication")
        verbose_name_plural = _("result publications")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:public_result_detail", args=[self.campaign_id])


class PublishedResult(models.Model):
    """One inspected enterprise's result, as published."""

    publication = models.ForeignKey(
        ResultPublication, verbose_name=_("publication"), on_delete=models.CASCADE,
        related_name="results",
    )
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    uscc = models.CharField(_("USCC"), max_length=18)
    inspected_on = models.DateField(_("inspected on"))
    problems = models.PositiveIntegerField(_("problems found"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=PublishedOutcome.choices)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["enterprise_name", "id"]
        indexes = [
            models.Index(fields=["publication", "enterprise_name", "id"]),
            models.Index(fields=["publication", "uscc"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name}: {self.get_outcome_display()}"
