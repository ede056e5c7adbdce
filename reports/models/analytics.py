"""
Analytics roll-ups: monthly counts pre-aggregated from the sampled-item
checks, so the violation-rate dashboards read a few thousand rows instead of
millions of checks. `reports.services_analytics.analytics_rollups_refresh`
rebuilds them; a Celery beat task runs it (and seed commands call it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ViolationRollup(models.Model):
    """
    Sampled items checked and failing, per capture month, campaign, district,
    enterprise roles and modality. `category` is an issue category, or "" for
    the row that counts an item once whatever categories it failed (an item
    failing two categories is one failing item overall).
    """

    month = models.DateField(_("month"))
    campaign = models.ForeignKey(
        "inspections.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE,
        related_name="+",
    )
    district = models.CharField(_("district"), max_length=6)
    is_generation_provider = models.BooleanField(default=False)
    is_dissemination_platform = models.BooleanField(default=False)
    is_app_store = models.BooleanField(default=False)
    is_technical_supporter = models.BooleanField(default=False)
    modality = models.CharField(_("modality"), max_length=15)
    category = models.CharField(_("category"), max_length=3, blank=True)
    checked = models.PositiveIntegerField(_("items checked"))
    failed = models.PositiveIntegerField(_("items failing"))

    class Meta:
        verbose_name = _("violation roll-up")
        verbose_name_plural = _("violation roll-ups")
        indexes = [
            # Every dashboard query: overall ("") or per-category rows in a
            # month range.
            models.Index(fields=["category", "month"], name="violroll_cat_month"),
            models.Index(fields=["campaign", "category"], name="violroll_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category or '*'} {self.failed}/{self.checked}"


class RollupState(models.Model):
    """When each roll-up was last rebuilt (shown as "data as of")."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    seconds = models.FloatField(_("duration (s)"), default=0)

    class Meta:
        verbose_name = _("roll-up state")
        verbose_name_plural = _("roll-up states")

    def __str__(self) -> str:
        return f"{self.name} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
