"""
Analytics roll-ups: monthly counts pre-aggregated from the sampled-item
checks, so the violation-rate dashboards read a few thousand rows instead of
millions of checks. `reports.analytics.services.analytics_rollups_refresh`
rebuilds them; a Celery beat task runs it (and seed commands call it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ViolationRollup", "RollupState", "FindingCube", "FindingRollup", "FindingDueRollup",
           "RectificationRollup", "RepeatRollup", "InspectionRollup", "RollupChange"]


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
    # What the figures were computed against beyond the rows (the working-day
    # calendar's fingerprint): when it differs, the next refresh is a full one.
    basis = models.CharField(_("basis"), max_length=64, blank=True, default="")
    incremental = models.BooleanField(_("incremental"), default=False)

    class Meta:
        verbose_name = _("roll-up state")
        verbose_name_plural = _("roll-up states")

    def __str__(self) -> str:
        return f"{self.name} @ {self.refreshed_at:%Y-%m-%d %H:%M}"


# --- findings roll-ups ---------------------------------------------------------
# The finding dashboards (trend, top codes, on-time, time to rectify, repeat
# offenders, campaign versus campaign) read these instead of aggregating the
# findings table live. Rebuilt with the violation roll-up by
# `reports.analytics.services.analytics_rollups_refresh`. Withdrawn findings
# are left out, as on the live queries. `modality` is "" on the rows that
# count every finding once, or a modality on the rows counting the findings
# with at least one evidence item of it (so a finding with image and text
# evidence is in the "", "image" and "text" rows) — the modality filter
# picks its rows, no filter picks "".

class FindingCube(models.Model):
    """The dimensions every finding roll-up shares (the chart filters)."""

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
    modality = models.CharField(_("modality"), max_length=15, blank=True)

    class Meta:
        abstract = True


class FindingRollup(FindingCube):
    """Findings and repeat findings per month recorded, issue code and severity."""

    issue_code = models.CharField(_("issue code"), max_length=10)
    severity = models.CharField(_("severity"), max_length=10)
    findings = models.PositiveIntegerField(_("findings"))
    repeats = models.PositiveIntegerField(_("repeat findings"))

    class Meta:
        verbose_name = _("findings roll-up")
        verbose_name_plural = _("findings roll-ups")
        indexes = [
            # Trend and top codes: one modality slice ("" or the filter) in a month range.
            models.Index(fields=["modality", "month"], name="findroll_mod_month"),
            # Campaign versus campaign: whole campaigns, any month.
            models.Index(fields=["modality", "campaign"], name="findroll_mod_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.issue_code} {self.findings}"


class FindingDueRollup(FindingCube):
    """
    Findings due and closed on time per deadline month (`month`) and
    severity. "Due" is judged on the day of the refresh: closed, or past the
    deadline while still open.
    """

    severity = models.CharField(_("severity"), max_length=10)
    due = models.PositiveIntegerField(_("findings due"))
    on_time = models.PositiveIntegerField(_("closed on time"))

    class Meta:
        verbose_name = _("on-time roll-up")
        verbose_name_plural = _("on-time roll-ups")
        indexes = [
            # On-time dashboard: one modality slice, deadline months in the period.
            models.Index(fields=["modality", "month"], name="dueroll_mod_month"),
            # Campaign versus campaign: due and on time per whole campaign.
            models.Index(fields=["modality", "campaign"], name="dueroll_mod_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.on_time}/{self.due}"


class RectificationRollup(FindingCube):
    """
    A histogram of time to rectify: accepted findings per month closed
    (`month`), severity and working days from notification (or recording)
    to acceptance, on the official calendar. Medians and p90 are exact
    quantiles of this histogram.
    """

    severity = models.CharField(_("severity"), max_length=10)
    working_days = models.IntegerField(_("working days"))
    findings = models.PositiveIntegerField(_("findings"))

    class Meta:
        verbose_name = _("time-to-rectify roll-up")
        verbose_name_plural = _("time-to-rectify roll-ups")
        indexes = [
            # Time to rectify: one modality slice, closing months in the period.
            models.Index(fields=["modality", "month"], name="rectroll_mod_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.severity} {self.working_days}d x{self.findings}"


class RepeatRollup(FindingCube):
    """Repeat findings per month recorded, enterprise and issue code."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE,
        related_name="+",
    )
    issue_code = models.CharField(_("issue code"), max_length=10)
    repeats = models.PositiveIntegerField(_("repeat findings"))
    last_at = models.DateTimeField(_("latest repeat"))

    class Meta:
        verbose_name = _("repeat-offender roll-up")
        verbose_name_plural = _("repeat-offender roll-ups")
        indexes = [
            # Repeat offenders: one modality slice, months in the period.
            models.Index(fields=["modality", "month"], name="reproll_mod_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.enterprise_id} {self.issue_code} x{self.repeats}"


class InspectionRollup(models.Model):
    """
    Inspections and enterprises inspected per campaign, district and role
    combination. An enterprise has one district and one role combination,
    so distinct enterprises add up across rows.
    """

    campaign = models.ForeignKey(
        "inspections.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE,
        related_name="+",
    )
    district = models.CharField(_("district"), max_length=6)
    is_generation_provider = models.BooleanField(default=False)
    is_dissemination_platform = models.BooleanField(default=False)
    is_app_store = models.BooleanField(default=False)
    is_technical_supporter = models.BooleanField(default=False)
    inspections = models.PositiveIntegerField(_("inspections"))
    enterprises = models.PositiveIntegerField(_("enterprises inspected"))

    class Meta:
        verbose_name = _("inspections roll-up")
        verbose_name_plural = _("inspections roll-ups")
        # Campaign versus campaign reads the whole table (campaigns x districts x
        # role combinations: a few hundred rows); the FK index serves one campaign.

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.district} {self.inspections}"


class RollupChange(models.Model):
    """
    Roll-up rows whose source rows changed since the last refresh: a cell (a
    campaign and an enterprise district and role combination) and a month
    in it, named by an item's capture (`captured_at`: the violation
    roll-up's month), or by a finding's recording or closing (`at`) or
    deadline (`day`: the finding roll-ups' months). None of them: the
    cell's inspection count only; no district: a full rebuild. Database
    triggers on the source tables (item checks, items, findings and their
    evidence, inspections, enterprises' districts and roles, issue codes'
    categories) write these rows in the writer's own transaction, so no
    write path (a queryset update, a bulk insert, a raw statement) is
    missed; the incremental refresh recomputes only these (cell, month)
    rows and deletes the change rows it read. Migration 0016 creates the
    triggers.
    """

    campaign_id = models.IntegerField(null=True)
    district = models.CharField(max_length=6, null=True)
    is_generation_provider = models.BooleanField(null=True)
    is_dissemination_platform = models.BooleanField(null=True)
    is_app_store = models.BooleanField(null=True)
    is_technical_supporter = models.BooleanField(null=True)
    captured_at = models.DateTimeField(null=True)
    at = models.DateTimeField(null=True)
    day = models.DateField(null=True)

    class Meta:
        verbose_name = _("roll-up change")
        verbose_name_plural = _("roll-up changes")

    def __str__(self) -> str:
        return f"{self.campaign_id or '*'} {self.district or '*'} {self.day or self.at or self.captured_at or ''}"
