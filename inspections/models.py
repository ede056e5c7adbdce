"""
Inspections: the issue taxonomy, the working-day calendar, campaigns,
selection plans (双随机), inspections with their sampled content and checks,
and findings with their lifecycle.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from enterprises.models import Enterprise, Modality, Service


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# Raising a repeat finding one level (DOMAIN.md §6), from the stored value.
SEVERITY_RAISED: dict[str, Severity] = {Severity.LOW: Severity.MEDIUM, Severity.MEDIUM: Severity.HIGH,
                   Severity.HIGH: Severity.HIGH}


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    HOURS = "hours", _("clock hours")


class IssueCategory(models.TextChoices):
    EXP = "EXP", _("Explicit labels")
    IMP = "IMP", _("Implicit labels")
    PLT = "PLT", _("Dissemination platforms")
    APP = "APP", _("App stores")
    AGR = "AGR", _("User agreements")
    LOG = "LOG", _("Logs and unlabeled supply")
    TMP = "TMP", _("Label tampering")
    FIL = "FIL", _("Filings")
    CNT = "CNT", _("Qinglang content categories")
    GOV = "GOV", _("Governance")


class IssueCode(models.Model):
    """
    One typical issue of the taxonomy (labeling-rules.md §6.2). Shipped by a
    data migration, editable in the admin; `code` never changes once used.
    """

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    category = models.CharField(_("category"), max_length=3, choices=IssueCategory.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    # Enterprise roles (EnterpriseRole values) the code applies to; empty = all.
    roles = models.JSONField(_("applicable roles"), default=list, blank=True)
    # Content modalities (Modality values) the code applies to; empty = all.
    modalities = models.JSONField(_("applicable modalities"), default=list, blank=True)
    # Checks that make sense on one sampled content item (as opposed to
    # enterprise-level checks such as filings or user agreements).
    item_level = models.BooleanField(_("checked per content item"), default=True)
    default_severity = models.CharField(
        _("default severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    default_period = models.PositiveSmallIntegerField(_("default rectification period"), default=15)
    period_unit = models.CharField(
        _("period unit"), max_length=15, choices=PeriodUnit.choices,
        default=PeriodUnit.WORKING_DAYS,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("issue code")
        verbose_name_plural = _("issue codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


class CalendarYear(models.Model):
    """A year whose official holiday schedule is loaded into `CalendarDay`."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """
    An exception to the Monday–Friday week: a statutory holiday on a weekday,
    or a make-up working day (调休) on a weekend. Days not listed follow the
    ordinary week.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SamplingRule(models.TextChoices):
    GB2828 = "gb2828", _("GB/T 2828.1 single sampling, normal, level II")
    ZERO_ACCEPTANCE = "zero_acceptance", _("Zero-acceptance detection")


class Campaign(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("campaign status", "Active")
        CLOSED = "closed", pgettext_lazy("campaign status", "Closed")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("e.g. QL2026-AIAPP"))
    agency = models.CharField(_("issuing agency"), max_length=120)
    notice_prefix = models.CharField(
        _("notice number prefix"), max_length=20, help_text=_("e.g. 京网信改")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    focus_codes = models.ManyToManyField(
        IssueCode, verbose_name=_("focus issue codes"), blank=True, related_name="campaigns"
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    sampling_rule = models.CharField(
        _("default sampling rule"), max_length=20, choices=SamplingRule.choices,
        default=SamplingRule.GB2828,
    )
    aql = models.DecimalField(_("AQL (%)"), max_digits=5, decimal_places=3, default=1)
    detection_rate = models.DecimalField(
        _("violation rate to detect"), max_digits=5, decimal_places=4, default="0.05"
    )
    detection_confidence = models.DecimalField(
        _("detection confidence"), max_digits=5, decimal_places=4, default="0.95"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # DOMAIN §2: an inspector sees everything of the campaigns assigned, and
    # nothing of the others. Officers drawn or set on an inspection join the
    # team by themselves (inspections.services.campaigns.campaign_team_add).
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspection team"), blank=True,
        related_name="assigned_campaigns",
        help_text=_("The inspectors assigned to this campaign: only they, among inspectors, see its "
                    "plans, inspections, findings, notices and reports. Supervisors, analysts and "
                    "admins see every campaign."),
    )
    # Not a column: the cached counts that selectors.campaign_list_with_progress
    # attaches to the campaigns it lists.
    counts: dict[str, int]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:campaign_detail", args=[self.pk])

    @property
    def months(self) -> int:
        """The campaign's length in whole months (at least one): the lot period."""
        days = (self.ends_on - self.starts_on).days + 1
        return max(1, round(days / 30.4375))


class OfficerConflict(TimeStampedModel):
    """An officer who must never be drawn to inspect an enterprise (回避)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.CASCADE,
        related_name="conflicts",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
        related_name="officer_conflicts",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("officer conflict")
        verbose_name_plural = _("officer conflicts")
        constraints = [
            models.UniqueConstraint(fields=["officer", "enterprise"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.enterprise}"


class Stratum(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk")
    RANDOM = "random", _("Random draw")
    VERIFICATION = "verification", _("Low-risk verification")


class DrawMethod(models.TextChoices):
    HMAC = "hmac-sha256-v1", _("Ordering by a keyed hash (HMAC-SHA256) of seed and id")
    LEGACY = "legacy", _("Drawn before draws were recorded whole: cannot be redone from the record")


class SelectionPlan(TimeStampedModel):
    """
    A 双随机 draw: which enterprises of a frame are inspected, and by which
    officers. Each draw is recorded whole (PlanDraw: the frame as it was, the
    officer pool, the conflicts, the days and the system's seed), so anyone
    can redo it from the record alone (`selection.draw_from_record`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DRAWN = "drawn", _("Drawn")
        APPROVED = "approved", _("Approved")

    class HighRiskMode(models.TextChoices):
        ALL = "all", _("All high-risk enterprises")
        TOP_K = "top_k", _("Top K by risk score")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="plans"
    )
    name = models.CharField(_("name"), max_length=200)
    # Frame filters as submitted: {"roles": [...], "districts": [...],
    # "risk_tiers": [...], "modalities": [...]}.
    frame_filters = models.JSONField(_("frame filters"), default=dict, blank=True)
    # The enterprise ids that were eligible when the plan was drawn.
    frame_enterprise_ids = models.JSONField(_("frame"), default=list, blank=True)
    high_risk_mode = models.CharField(
        _("high-risk stratum"), max_length=10, choices=HighRiskMode.choices, default=HighRiskMode.ALL
    )
    high_risk_k = models.PositiveIntegerField(_("K (top high-risk)"), default=0)
    random_n = models.PositiveIntegerField(_("random draw size"), default=0)
    verification_n = models.PositiveIntegerField(_("low-risk verification draw size"), default=0)
    officers_per_inspection = models.PositiveSmallIntegerField(_("officers per inspection"), default=2)
    officer_pool = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officer pool"), blank=True, related_name="+"
    )
    # Generated by the system at each draw (never typed); the current draw's.
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    # selection.METHOD, or "legacy" for plans drawn before draws were
    # recorded whole (they cannot be redone from their record).
    draw_method = models.CharField(_("draw method"), max_length=20, choices=DrawMethod.choices,
                                   blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    method = models.CharField(_("inspection method"), max_length=10, default="remote")
    first_date = models.DateField(_("first inspection date"))
    last_date = models.DateField(_("last inspection date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Per stratum as drawn: {"high_risk": {"eligible": 12, "drawn": 12}, ...}.
    strata = models.JSONField(_("strata"), default=dict, blank=True)

    class Meta:
        verbose_name = _("selection plan")
        verbose_name_plural = _("selection plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.pk])


class PlanDraw(models.Model):
    """
    One draw of a plan, kept for good: the first and every redraw, with who
    drew it and why, the inputs (`record`, see selection.make_record) and
    the outcome (`result`, see selection.entries_as_result).
    """

    plan = models.ForeignKey(
        SelectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="draws"
    )
    number = models.PositiveIntegerField(_("draw number"))
    seed = models.BigIntegerField(_("random seed"))
    method = models.CharField(_("draw method"), max_length=20, choices=DrawMethod.choices)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    reason = models.CharField(_("reason for drawing again"), max_length=300, blank=True)
    record = models.JSONField(_("draw record"))
    result = models.JSONField(_("draw result"))

    class Meta:
        verbose_name = _("plan draw")
        verbose_name_plural = _("plan draws")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_draw_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class PlanEntry(models.Model):
    """One drawn enterprise of a plan, its stratum, officers and planned date."""

    plan = models.ForeignKey(
        SelectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="entries"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.CharField(_("stratum"), max_length=15, choices=Stratum.choices)
    position = models.PositiveIntegerField(_("position"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers"), related_name="+"
    )
    planned_date = models.DateField(_("planned date"))

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "enterprise"], name="plan_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.position} {self.enterprise}"


class InspectionMethod(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On-site")


class InspectionOrigin(models.TextChoices):
    """Why an inspection exists. Only drawn ones are 双随机 and published as such."""

    RANDOM = "random", _("Random draw (双随机)")
    TARGETED = "targeted", _("Targeted inspection")
    FOLLOW_UP = "follow_up", _("Re-verification")


class TargetBasis(models.TextChoices):
    TIP_OFF = "tip_off", _("A tip-off")
    REFERRAL = "referral", _("A referral from another authority")
    DECISION = "decision", _("A supervisor's decision")


class Inspection(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DUE = "due", _("Due")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", pgettext_lazy("inspection status", "Closed")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="inspections"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="inspections",
    )
    plan_entry = models.OneToOneField(
        PlanEntry, verbose_name=_("plan entry"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="inspection",
    )
    # A re-verification ordered during review of a rectification report.
    follow_up_of = models.ForeignKey(
        "self", verbose_name=_("follow-up of"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="follow_ups",
    )
    planned_date = models.DateField(_("planned date"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers"), related_name="inspections"
    )
    method = models.CharField(
        _("method"), max_length=10, choices=InspectionMethod.choices, default=InspectionMethod.REMOTE
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=InspectionOrigin.choices,
                              default=InspectionOrigin.RANDOM)
    # Targeted inspections: on what basis and why (recorded when opened).
    target_basis = models.CharField(_("basis"), max_length=10, choices=TargetBasis.choices, blank=True)
    target_reason = models.TextField(_("reason for the targeted inspection"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_date", "-id"]
        indexes = [
            # make_inspections_due: planned inspections whose date has come.
            models.Index(fields=["status", "planned_date"]),
            # Enterprise history and scorecard.
            models.Index(fields=["enterprise", "-planned_date"]),
            models.Index(fields=["campaign", "status"]),
            # Inspection list (selectors.inspection_filtered): ORDER BY
            # planned_date DESC, id DESC LIMIT 50 read straight off this index.
            models.Index(fields=["-planned_date", "-id"], name="inspection_list_order_idx"),
            # Findings by origin (selectors.findings_by_origin) join only the
            # inspections not drawn (targeted, re-verifications): few.
            models.Index(fields=["origin", "target_basis"], name="inspection_not_drawn_idx",
                         condition=~models.Q(origin="random")),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.planned_date}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])

    @property
    def accepts_evidence(self) -> bool:
        """Items, files and check answers are recorded while the inspection is due or in progress."""
        return self.status in (Inspection.Status.DUE, Inspection.Status.IN_PROGRESS)


class InspectionService(models.Model):
    """
    The content sample of one service in one inspection: the lot (AIGC items
    in the period), the rule that set n, and the GB/T 2828.1 plan values.
    """

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
        related_name="sampled_services",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    lot_size = models.PositiveIntegerField(_("lot size"))
    rule = models.CharField(_("sampling rule"), max_length=20, choices=SamplingRule.choices)
    aql = models.DecimalField(_("AQL (%)"), max_digits=5, decimal_places=3, null=True, blank=True)
    code_letter = models.CharField(_("code letter"), max_length=1, blank=True)
    plan_letter = models.CharField(
        _("plan letter used"), max_length=1, blank=True,
        help_text=_("Differs from the code letter when the table's arrow moved the plan."),
    )
    sample_size = models.PositiveIntegerField(_("sample size"))
    accept_number = models.PositiveIntegerField(_("Ac"), default=0)
    reject_number = models.PositiveIntegerField(_("Re"), default=1)
    detection_rate = models.DecimalField(
        _("violation rate to detect"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    detection_confidence = models.DecimalField(
        _("detection confidence"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("sampled service")
        verbose_name_plural = _("sampled services")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "service"], name="inspection_service_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} n={self.sample_size}"


class Channel(models.TextChoices):
    DOWNLOAD = "download", _("Download")
    EXPORT = "export", _("Export")
    PLATFORM = "platform", _("Platform-served copy")
    # A file the office already holds: the attachment of a public tip-off.
    TIP_OFF = "tip_off", _("Supplied with a tip-off")


class LabelVerdict(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NONCOMPLIANT = "noncompliant", _("Non-compliant")
    NOT_FOUND = "not_found", _("No label found")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


def sampled_item_upload_to(instance, filename: str) -> str:
    # Never trust the uploaded name for the path; keep it only for display.
    return f"samples/{instance.inspection_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class SampledItem(TimeStampedModel):
    """One content item captured as evidence during an inspection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="items"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    modality = models.CharField(_("modality"), max_length=15, choices=Modality.choices)
    content_ref = models.CharField(_("URL or content id"), max_length=500)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    captured_at = models.DateTimeField(_("captured at"))
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("captured by"), on_delete=models.PROTECT,
        related_name="+",
    )
    text_sample = models.TextField(_("text sample"), blank=True)
    file = models.FileField(_("file"), upload_to=sampled_item_upload_to, blank=True)
    file_name = models.CharField(_("original file name"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    file_type = models.CharField(_("detected type"), max_length=60, blank=True)
    screenshot = models.FileField(_("screenshot"), upload_to=sampled_item_upload_to, blank=True)
    screenshot_sha256 = models.CharField(_("screenshot SHA-256"), max_length=64, blank=True)
    screenshot_type = models.CharField(_("screenshot type"), max_length=60, blank=True)
    # Set when an inspector has answered every applicable check of the item;
    # the sample's verdict counts only such items.
    checks_completed_at = models.DateTimeField(_("checks completed at"), null=True, blank=True)
    # Filled by the automatic label checker (inspections/labels).
    label_verdict = models.CharField(
        _("label verdict"), max_length=15, choices=LabelVerdict.choices, blank=True
    )
    label_result = models.JSONField(_("label check result"), null=True, blank=True)
    checker_version = models.CharField(_("checker version"), max_length=20, blank=True)
    label_checked_at = models.DateTimeField(_("label checked at"), null=True, blank=True)
    # Filled by the explicit-label checker (inspections/labels/explicit):
    # found, missing, inconclusive or not_applicable, its record (marks,
    # findings, reason, evidence names) and version; evidence files are
    # ExplicitEvidence rows.
    explicit_status = models.CharField(_("explicit label"), max_length=15, blank=True)
    explicit_result = models.JSONField(_("explicit label check result"), null=True, blank=True)
    explicit_checker_version = models.CharField(_("explicit checker version"), max_length=20,
                                                blank=True)
    explicit_checked_at = models.DateTimeField(_("explicit label checked at"), null=True,
                                               blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("sampled item")
        verbose_name_plural = _("sampled items")
        ordering = ["inspection", "captured_at", "id"]
        indexes = [
            # Violation rates by month and modality (analytics).
            models.Index(fields=["captured_at", "modality"]),
        ]

    def __str__(self) -> str:
        return self.content_ref[:80]


def explicit_evidence_upload_to(instance, filename: str) -> str:
    # Generated by the checker; the name is ours, never the uploader's.
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return (f"explicit/{instance.item.inspection_id}/{instance.item_id}/"
            f"{timezone.now():%Y%m%d%H%M%S%f}.{suffix}")


class ExplicitEvidence(models.Model):
    """A file the explicit-label checker made from a sample: a crop, a frame, a waveform or an excerpt."""

    item = models.ForeignKey(SampledItem, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="explicit_evidence")
    name = models.CharField(_("name"), max_length=80)
    media_type = models.CharField(_("media type"), max_length=40)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=explicit_evidence_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("explicit-label evidence")
        verbose_name_plural = _("explicit-label evidence")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.name


class CheckResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class ItemCheck(models.Model):
    """One taxonomy check applied to one sampled item."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Inspector")
        AUTOMATIC = "automatic", _("Label checker")

    item = models.ForeignKey(
        SampledItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="checks"
    )
    issue_code = models.ForeignKey(
        IssueCode, verbose_name=_("issue code"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("result"), max_length=4, choices=CheckResult.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("item check")
        verbose_name_plural = _("item checks")
        constraints = [
            models.UniqueConstraint(fields=["item", "issue_code"], name="item_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issue_code_id}: {self.result}"


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding status", "Open")
    NOTIFIED = "notified", _("Notified")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted (closed)")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which the enterprise still owes a rectification.
OPEN_STATUSES = frozenset({
    FindingStatus.OPEN, FindingStatus.NOTIFIED, FindingStatus.REPORT_SUBMITTED,
    FindingStatus.CHANGES_REQUESTED, FindingStatus.OVERDUE, FindingStatus.ESCALATED,
})
CLOSED_STATUSES = frozenset({FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN})


class Finding(TimeStampedModel):
    """A typical issue found at one enterprise, with its rectification deadline."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    # Denormalised from the inspection: access scoping and analytics filter
    # on them without joins.
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="findings"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="findings"
    )
    issue_code = models.ForeignKey(
        IssueCode, verbose_name=_("issue code"), on_delete=models.PROTECT, related_name="findings"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    legal_basis = models.TextField(_("legal basis"))
    description = models.TextField(_("description"))
    evidence_items = models.ManyToManyField(
        SampledItem, verbose_name=_("evidence"), blank=True, related_name="findings"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    # The deadline: a date for working-day periods; for periods counted in
    # clock hours `deadline_at` is the exact moment and `deadline` its date.
    period = models.PositiveSmallIntegerField(_("rectification period"))
    period_unit = models.CharField(_("period unit"), max_length=15, choices=PeriodUnit.choices)
    deadline = models.DateField(_("deadline"))
    deadline_at = models.DateTimeField(_("deadline (exact time)"), null=True, blank=True)
    deadline_change_reason = models.CharField(_("reason for a non-default period"), max_length=300, blank=True)
    # True when the deadline was counted past the calendar's known years
    # (weekends only); the UI says so.
    deadline_estimated = models.BooleanField(_("deadline estimated (calendar unknown)"), default=False)
    # When the period started running (the notice's service); kept so a
    # deadline estimated past the calendar's known years can be recounted
    # when an administrator adds the official schedule of that year.
    deadline_from = models.DateTimeField(_("period counted from"), null=True, blank=True)
    is_repeat = models.BooleanField(_("repeat"), default=False)
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("repeat of"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="repeats",
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]
        indexes = [
            # mark_findings_overdue / deadline reminders scan open findings by deadline.
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["enterprise", "status"]),
            # A campaign's findings by status; with the inspection, the
            # results-publication page reads them from the index alone.
            models.Index(fields=["campaign", "status", "inspection", "id"], name="finding_campaign_status_idx"),
            # An inspector's scope through findings (a report answers findings of the
            # campaigns assigned: rectification.selectors): each finding's campaign
            # read from the index alone, row by row (report list 500 -> 50 ms).
            models.Index(fields=["id", "campaign"], name="finding_id_campaign_idx"),
            # The campaign board's findings by issue code (selectors.campaign_board), from the index alone.
            models.Index(fields=["campaign", "issue_code", "status", "id"], name="finding_campaign_code_idx"),
            # Repeat detection: same enterprise and code in earlier campaigns.
            models.Index(fields=["enterprise", "issue_code"]),
            # Analytics by month; with the status, counts of a period's
            # findings (withdrawn ones excluded) are read from the index alone.
            # (The campaign too: an inspector's counts are scoped by it.)
            models.Index(fields=["created_at", "status", "campaign"], name="finding_created_status_idx"),
            # Finding list (selectors.finding_filtered): ORDER BY deadline,
            # id DESC LIMIT 50; also every deadline range (calendar, analytics
            # on-time rate) - it is the Finding(deadline) index.
            models.Index(fields=["deadline", "-id"], name="finding_deadline_idx"),
            # Analytics time to rectify / closures by month.
            models.Index(fields=["closed_at"], name="finding_closed_at_idx"),
            # Analytics repeat offenders: repeat findings by month.
            models.Index(fields=["is_repeat", "created_at"], name="finding_repeat_created_idx"),
            # Escalation ladder (rectification.selectors.overdue_findings):
            # overdue and escalated findings by deadline.
            models.Index(fields=["deadline", "id"], name="finding_overdue_ladder_idx",
                         condition=models.Q(status__in=["overdue", "escalated"])),
        ]

    def __str__(self) -> str:
        return f"{self.issue_code_id} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:finding_detail", args=[self.pk])

    def is_past_deadline(self, now) -> bool:
        """Overdue from the working day after the deadline; hours-based at deadline_at."""
        from . import workdays

        if self.period_unit == PeriodUnit.HOURS and self.deadline_at:
            return now > self.deadline_at
        return workdays.next_working_day(self.deadline) <= timezone.localdate(now)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
