"""
Campaign self-inspections (自查): a supervisor launches one for the
enterprises of a campaign (or a filter) with a due date; each enterprise
answers a checklist built from the taxonomy codes that apply to its roles and
modalities, with evidence and a rectification plan for what is not
compliant; staff review it. A contradiction is an inspection finding on an
item the enterprise had declared compliant.

Lifecycle in `selfchecks/lifecycle.py`; every write in `selfchecks/services.py`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from enterprises.models import Enterprise
from inspections.models import Campaign, Finding, IssueCode


class Scope(models.TextChoices):
    CAMPAIGN = "campaign", _("The enterprises of the campaign (inspected or drawn)")
    FILTER = "filter", _("Enterprises chosen by a filter")


class SelfInspection(TimeStampedModel):
    """One self-inspection a supervisor launched within a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="self_inspections")
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions to the enterprises"), blank=True)
    due_date = models.DateField(_("due date"))
    remind_days = models.PositiveSmallIntegerField(
        _("remind this many days before"), default=3,
        help_text=_("Enterprises that have not submitted are reminded once, this many days before "
                    "the due date."))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    # The frame filters used when scope is "filter" (same keys as a plan's frame).
    scope_filters = models.JSONField(_("scope filters"), default=dict, blank=True)
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("launched by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("selfchecks:detail", args=[self.pk])


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


# The enterprise may edit its answers in these statuses.
EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED})
# Submitted at least once, so its declarations count.
DECLARED = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.CHANGES_REQUESTED})


class SelfReport(TimeStampedModel):
    """One enterprise's self-inspection report (自查报告) in one self-inspection."""

    self_inspection = models.ForeignKey(SelfInspection, verbose_name=_("self-inspection"),
                                        on_delete=models.CASCADE, related_name="reports")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="self_reports")
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    # The launch's due date; a request for changes sets the date to resubmit by.
    due_date = models.DateField(_("due date"))
    responsible_person = models.CharField(_("responsible person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    summary = models.TextField(_("overall summary"), blank=True)
    declaration = models.BooleanField(_("declaration"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Shown to the enterprise.
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    # Set once by the reminder and overdue task (idempotent per due date).
    reminded_for = models.DateField(_("reminded for due date"), null=True, blank=True)
    overdue_for = models.DateField(_("overdue on due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-inspection report")
        verbose_name_plural = _("self-inspection reports")
        ordering = ["enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["self_inspection", "enterprise"],
                                    name="selfreport_once_per_enterprise"),
        ]
        indexes = [
            # Campaign view counts and the reminder task: reports by status and due date.
            models.Index(fields=["self_inspection", "status"]),
            models.Index(fields=["status", "due_date"]),
            # Portal list.
            models.Index(fields=["enterprise", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.self_inspection} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("selfchecks:report_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Not (re)submitted and past its due date."""
        return self.status in EDITABLE and (today or timezone.localdate()) > self.due_date


class Answer(models.TextChoices):
    COMPLIANT = "compliant", pgettext_lazy("self-inspection answer", "Compliant")
    NONCOMPLIANT = "noncompliant", pgettext_lazy("self-inspection answer", "Not compliant")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("self-inspection answer", "Not applicable")


class SelfReportItem(models.Model):
    """One checklist item (a taxonomy code) and the enterprise's answer to it."""

    report = models.ForeignKey(SelfReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="items")
    issue_code = models.ForeignKey(IssueCode, verbose_name=_("issue code"), on_delete=models.PROTECT,
                                   related_name="+")
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    note = models.TextField(_("how it was checked"), blank=True)
    plan_measures = models.TextField(_("rectification measures planned"), blank=True)
    plan_start = models.DateField(_("rectification starts on"), null=True, blank=True)
    plan_due = models.DateField(_("rectification completed by"), null=True, blank=True)
    # Shown to the enterprise.
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["report", "issue_code_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "issue_code"], name="selfitem_once_per_code"),
        ]
        indexes = [
            # Contradictions: items declared compliant for a code.
            models.Index(fields=["issue_code", "answer"]),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.issue_code_id}"


def selfcheck_evidence_upload_to(instance, filename: str) -> str:
    # Never the uploaded name on disk; it is kept for display only.
    return f"selfchecks/{timezone.now():%Y/%m}/{instance.stored_stem}.{instance.extension}"


class SelfReportEvidence(models.Model):
    """An evidence file of one checklist item, checked by its content."""

    item = models.ForeignKey(SelfReportItem, verbose_name=_("checklist item"),
                             on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=selfcheck_evidence_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    stored_stem = models.CharField(max_length=40, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(_("detected type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-inspection evidence file")
        verbose_name_plural = _("self-inspection evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Contradiction(models.Model):
    """An inspection finding on an item the enterprise had declared compliant."""

    item = models.ForeignKey(SelfReportItem, verbose_name=_("checklist item"),
                             on_delete=models.CASCADE, related_name="contradictions")
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE,
                                related_name="selfcheck_contradictions")
    # Denormalised: the enterprise page and the risk factor count by enterprise.
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"),
                                   on_delete=models.CASCADE, related_name="selfcheck_contradictions")
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)

    class Meta:
        verbose_name = _("self-inspection contradiction")
        verbose_name_plural = _("self-inspection contradictions")
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "finding"], name="contradiction_once"),
        ]
        indexes = [
            # Enterprise flag and the risk factor.
            models.Index(fields=["enterprise", "-detected_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} ↔ {self.finding_id}"
