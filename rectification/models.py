"""
The rectification loop after a finding reaches the enterprise: versioned
rectification reports (整改报告) with a response and evidence per finding,
extension requests, and the escalation ladder (reminder → 约谈 interview →
warning or penalty referral).

Lifecycles are transition tables in `rectification/lifecycle.py`; every
write goes through `rectification/services.py`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from enterprises.models import Enterprise
from inspections.models import Finding, Inspection


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


class RectificationReport(TimeStampedModel):
    """
    One version of an enterprise's written rectification report. A submitted
    version is locked for good; after "changes requested" the enterprise
    starts the next version, which links back to this one.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="rectification_reports",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="next_version",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # 整改报告 front matter (reference/notice-sample.md §4).
    responsible_person = models.CharField(_("responsible person"), max_length=60, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    summary = models.TextField(_("overall summary"), blank=True)
    declaration = models.BooleanField(
        _("declaration"), default=False,
        help_text=_("The enterprise declares that the contents of this report are true."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Review queue: submitted reports, oldest first.
            models.Index(fields=["status", "submitted_at"]),
            # Portal and enterprise timeline.
            models.Index(fields=["enterprise", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:report_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status != ReportStatus.DRAFT


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class ReportResponse(TimeStampedModel):
    """What the enterprise did about one finding, and the reviewer's decision."""

    report = models.ForeignKey(
        RectificationReport, verbose_name=_("report"), on_delete=models.CASCADE,
        related_name="responses",
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT,
        related_name="report_responses",
    )
    measures = models.TextField(_("measures taken"), blank=True)
    long_term_measures = models.TextField(
        _("long-term measures"), blank=True,
        help_text=_("How recurrence is prevented (长效机制)."),
    )
    completed_on = models.DateField(_("date completed"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    # Shown to the enterprise.
    reviewer_comment = models.TextField(_("comment to the enterprise"), blank=True)
    # Staff only: never rendered on portal pages.
    internal_note = models.TextField(_("internal note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reverification = models.ForeignKey(
        Inspection, verbose_name=_("re-verification inspection"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="reverified_responses",
    )

    class Meta:
        verbose_name = _("report response")
        verbose_name_plural = _("report responses")
        ordering = ["report", "finding__issue_code_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "finding"], name="response_once_per_finding")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.finding.issue_code_id}"


def evidence_upload_to(instance, filename: str) -> str:
    # Never trust the uploaded name for the path; it is kept for display only.
    return f"rectification/{timezone.now():%Y/%m}/{instance.stored_stem}.{instance.extension}"


class ReportEvidence(models.Model):
    """An evidence file attached to one response, checked by its content."""

    response = models.ForeignKey(
        ReportResponse, verbose_name=_("response"), on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    stored_stem = models.CharField(max_length=40, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(_("detected type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExtensionRequest(TimeStampedModel):
    """An enterprise's request for more time on one finding."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    # Denormalised from the finding for access scoping without joins.
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reason = models.TextField(_("reason"))
    requested_deadline = models.DateField(_("requested new deadline"))
    previous_deadline = models.DateField(_("deadline when requested"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Shown to the enterprise with the decision.
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding"], condition=models.Q(status="pending"),
                name="extension_one_pending_per_finding",
            )
        ]
        indexes = [
            # Supervisors' queue of pending requests.
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.finding} → {self.requested_deadline}"


class EscalationKind(models.TextChoices):
    REMINDER = "reminder", _("Overdue reminder")
    INTERVIEW = "interview", _("Interview (约谈)")
    WARNING = "warning", _("Warning")
    PENALTY_REFERRAL = "penalty_referral", _("Penalty referral")


# The rungs of the ladder, lowest first.
LADDER = [EscalationKind.REMINDER, EscalationKind.INTERVIEW,
          EscalationKind.WARNING, EscalationKind.PENALTY_REFERRAL]


def minutes_upload_to(instance, filename: str) -> str:
    return f"escalations/{timezone.now():%Y/%m}/{instance.minutes_stem}.{instance.minutes_extension}"


class Escalation(models.Model):
    """One step up the escalation ladder, for a finding or a whole enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="escalations",
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="escalations",
    )
    kind = models.CharField(_("step"), max_length=20, choices=EscalationKind.choices)
    occurred_on = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to=minutes_upload_to, blank=True, max_length=200)
    minutes_name = models.CharField(_("minutes file name"), max_length=255, blank=True)
    minutes_stem = models.CharField(max_length=40, blank=True, editable=False)
    minutes_extension = models.CharField(max_length=10, blank=True, editable=False)
    minutes_content_type = models.CharField(max_length=100, blank=True, editable=False)
    minutes_sha256 = models.CharField(_("minutes SHA-256"), max_length=64, blank=True)
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    # Staff only: never rendered on portal pages.
    notes = models.TextField(_("internal notes"), blank=True)
    automatic = models.BooleanField(_("automatic"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # The automatic reminder is recorded once per finding.
            models.UniqueConstraint(
                fields=["finding", "kind"], condition=models.Q(kind="reminder"),
                name="escalation_one_reminder_per_finding",
            ),
            models.CheckConstraint(
                name="escalation_referral_has_case_number",
                condition=~models.Q(kind="penalty_referral") | ~models.Q(case_number=""),
            ),
        ]
        indexes = [
            # Enterprise timeline.
            models.Index(fields=["enterprise", "-occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise} · {self.occurred_on}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:escalation_detail", args=[self.pk])
