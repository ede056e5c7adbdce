"""
Notices (责令限期改正通知书), their numbering counters, versioned legal
citations and batch issuance runs.

An issued notice is a legal record: its PDF is rendered once, stored with
its SHA-256 and never rendered again; a correction is a new notice.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from enterprises.models import Enterprise
from inspections.models import Campaign, Finding

# How notices are served: the methods shared by every document kind.
from legal.models import ServiceMethod

__all__ = [
    "LegalCitation", "CitationUse", "NoticeCounter", "NoticeStatus", "ServiceMethod",
    "Notice", "BatchIssue", "EVIDENCE_MARK", "NOTICE_TITLE", "PROOF_TITLE",
]

# Marks a line of a notice's facts as an evidence reference.
EVIDENCE_MARK = "[E] "
# The documents' own titles, printed in Chinese whatever the reader's language.
NOTICE_TITLE = "责令限期改正通知书"
PROOF_TITLE = "送达回证"


class CitationUse(models.TextChoices):
    VIOLATED = "violated", _("Provision violated")
    ORDER_BASIS = "order_basis", _("Legal basis of the order")
    PROCEDURE = "procedure", _("Procedure")
    PENALTY = "penalty", _("Consequence (penalty provision)")
    REMEDY = "remedy", _("Remedy")


class LegalCitation(models.Model):
    """
    One version of one cited provision. A change of law is a new version
    (same key, next version number); old versions stay as they were so that
    notices issued under them keep citing the text in force at the time.
    """

    key = models.SlugField(_("key"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    use = models.CharField(_("used as"), max_length=15, choices=CitationUse.choices)
    law = models.CharField(_("law or standard"), max_length=120, help_text=_("e.g. 《中华人民共和国行政处罚法》"))
    article = models.CharField(_("article or clause"), max_length=60, blank=True)
    summary = models.TextField(_("summary of the provision"), blank=True)
    issuer = models.CharField(_("issued by / document"), max_length=200, blank=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    # Issue-code categories (IssueCategory values) this provision is cited
    # for as a violated provision; empty = not tied to a category.
    categories = models.JSONField(_("issue categories"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal citation")
        verbose_name_plural = _("legal citations")
        ordering = ["use", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="citation_key_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.text} (v{self.version})"

    @property
    def text(self) -> str:
        return f"{self.law}{self.article}"

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class NoticeCounter(models.Model):
    """
    The last serial used for one number prefix in one year. Issuance locks
    this row (SELECT … FOR UPDATE), so two notices never take one number and
    a rolled-back issuance gives its number back.
    """

    prefix = models.CharField(_("prefix"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("notice number counter")
        verbose_name_plural = _("notice number counters")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="notice_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_serial}号"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    SERVED = "served", _("Served (acknowledged)")


def notice_upload_to(instance, filename: str) -> str:
    return f"notices/{instance.year or 'draft'}/{filename}"


class Notice(TimeStampedModel):
    """A rectification notice to one enterprise, covering some of its findings."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="notices"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="notices"
    )
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings"), related_name="notices"
    )
    citations = models.ManyToManyField(
        LegalCitation, verbose_name=_("citation versions used"), blank=True, related_name="notices"
    )
    # The provisions the facts were found to violate (or referred to), as
    # resolved at the date of the conduct when the notice was drafted.
    provisions = models.ManyToManyField(
        "legal.Provision", verbose_name=_("provisions cited"), blank=True, related_name="notices"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    supersedes = models.ForeignKey(
        "self", verbose_name=_("corrects notice"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="corrections",
    )
    # Party (当事人), prefilled from the registry and editable.
    party_name = models.CharField(_("party"), max_length=200)
    party_uscc = models.CharField(_("unified social credit code"), max_length=18)
    party_address = models.CharField(_("address"), max_length=255, blank=True)
    party_legal_rep = models.CharField(_("legal representative"), max_length=60, blank=True)
    # Body sections; each is prefilled and editable while the notice is a draft.
    facts = models.TextField(_("facts and evidence"))
    violations = models.TextField(_("provisions violated"))
    order_basis = models.TextField(_("legal basis of the order"))
    measures = models.TextField(_("measures required"))
    submission = models.TextField(_("how and where to submit the rectification report"))
    consequences = models.TextField(_("consequences of not complying"))
    remedies = models.TextField(_("remedies"))
    agency = models.CharField(_("issuing agency"), max_length=120)
    prefix = models.CharField(_("number prefix"), max_length=20)
    # Numbering, taken only at issuance.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("deadline (exact time)"), null=True, blank=True)
    verification_code = models.CharField(_("verification code"), max_length=20, null=True, blank=True, unique=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=notice_upload_to, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, db_index=True)
    pdf_size = models.PositiveIntegerField(_("PDF size"), null=True, blank=True)
    # SHA-256 of the certificate that signed the PDF: it still verifies after the agency's key changes.
    signer_sha256 = models.CharField(_("signing certificate SHA-256"), max_length=64, blank=True)
    proof_pdf = models.FileField(_("proof of service"), upload_to=notice_upload_to, blank=True)
    # The proof of service is signed like the notice (at issuance, and again
    # when service fills it in): the public page verifies it by these.
    proof_sha256 = models.CharField(_("proof of service SHA-256"), max_length=64, blank=True, db_index=True)
    proof_signer_sha256 = models.CharField(_("proof signing certificate SHA-256"), max_length=64, blank=True)
    # Service (送达).
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    service_method = models.CharField(_("service method"), max_length=12, choices=ServiceMethod.choices, blank=True)
    service_note = models.CharField(_("service note"), max_length=300, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    acknowledged_ip = models.GenericIPAddressField(_("acknowledged from IP"), null=True, blank=True)
    service_record = models.OneToOneField(
        "legal.ServiceRecord", verbose_name=_("service record"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT,
        related_name="+",
    )
    # When the draft was last handed to the supervisors (None once returned).
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Not a column: the number of the issued notice that corrects this one,
    # attached by the public look-ups in selectors (None when none does).
    corrected_by_number: str | None

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Gapless numbering rests on the counter; this makes a duplicate impossible.
            models.UniqueConstraint(
                fields=["prefix", "year", "serial"], name="notice_number_unique",
                condition=models.Q(serial__isnull=False),
            ),
            models.CheckConstraint(
                name="notice_issued_has_number",
                condition=models.Q(status__in=["draft", "submitted", "approved"])
                | (models.Q(serial__isnull=False) & models.Q(year__isnull=False)),
            ),
        ]
        indexes = [
            # The notice list's order (selectors.notice_list): drafts first
            # (PostgreSQL puts nulls first in a descending index), then newest issued.
            models.Index(fields=["-issued_at", "-serial", "-created_at", "-id"], name="notice_list_order_idx"),
            # Batch issuance: approved notices of a campaign.
            models.Index(fields=["campaign", "status"]),
            # Portal: an enterprise's notices.
            models.Index(fields=["enterprise", "status"]),
        ]

    def __str__(self) -> str:
        """The number once issued; before that, whom it is addressed to and its state."""
        if self.number:
            return self.number
        return _("Notice to %(party)s (%(status)s)") % {
            "party": self.party_name, "status": self.get_status_display()}

    def get_absolute_url(self) -> str:
        return reverse("reports:notice_detail", args=[self.pk])

    def fact_paragraphs(self) -> list[dict]:
        """The facts, a paragraph per line; lines marked "[E] " are evidence references."""
        paragraphs = []
        for line in (line.strip() for line in self.facts.splitlines()):
            if line:
                evidence = line.startswith(EVIDENCE_MARK)
                paragraphs.append({"text": line[len(EVIDENCE_MARK):] if evidence else line, "evidence": evidence})
        return paragraphs

    @property
    def is_issued(self) -> bool:
        return self.status in (NoticeStatus.ISSUED, NoticeStatus.SERVED)


class BatchIssue(TimeStampedModel):
    """One run of 'issue every approved notice of a campaign', with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Interrupted")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="batch_issues"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("notices to issue"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    skipped = models.PositiveIntegerField(_("already issued"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    notice_ids = models.JSONField(_("notices"), default=list)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch issuance")
        verbose_name_plural = _("batch issuances")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def done_count(self) -> int:
        return self.issued + self.skipped + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done_count / self.total))
