"""
Administrative penalty cases (行政处罚案件) under the Administrative Penalty
Law (行政处罚法, 2021) and the CAC's procedural rules (网信部门行政执法程序规定,
2023): proposal, filing (立案) approved by a supervisor, investigation with
on-the-spot records confirmed by two certified officers, prior notice (告知),
statement and defence or hearing, decision, service, performance, closing;
or transfer of a suspected crime to public security.

The lifecycle is a transition table in `cases/lifecycle.py`; statutory time
limits are rows of `TimeLimit` (admin-editable, each with its citation);
every write goes through `cases/services.py`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from enterprises.models import Enterprise
from inspections.models import Finding, Inspection, IssueCode, SampledItem
from legal.models import ServiceMethod, ServiceRecord


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("days")
    MONTHS = "months", _("months")


class LimitCode(models.TextChoices):
    FILING = "filing", _("Decision on filing")
    HANDLING = "handling", _("Handling period")
    HANDLING_EXTENSION = "handling_extension", _("Extension of the handling period")
    STATEMENT = "statement", _("Statement and defence")
    HEARING_REQUEST = "hearing_request", _("Hearing request")
    HEARING_NOTICE = "hearing_notice", _("Notice of the hearing")
    SERVICE = "service", _("Service of the decision")
    PRESERVATION = "preservation", _("Decision on preserved evidence")
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    LITIGATION = "litigation", _("Administrative litigation")


class TimeLimit(models.Model):
    """
    One statutory time limit of the case procedure, as data: its length, how
    it is counted, the provision that sets it, and whether that provision was
    verified against a public source (unverified limits are configurable
    assumptions; the admin shows which).
    """

    code = models.CharField(_("code"), max_length=30, choices=LimitCode.choices, unique=True)
    length = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("counted in"), max_length=15, choices=LimitUnit.choices)
    citation = models.CharField(_("provision"), max_length=300)
    verified = models.BooleanField(
        _("verified"), default=False,
        help_text=_("The length was checked against the published text of the provision."),
    )
    source_note = models.TextField(_("source note"), blank=True)
    warn_days_before = models.PositiveSmallIntegerField(
        _("warn this many days before"), default=2,
    )

    class Meta:
        verbose_name = _("statutory time limit")
        verbose_name_plural = _("statutory time limits")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.length} {self.get_unit_display()}"


class CaseStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    FILED = "filed", _("Filed (立案)")
    INVESTIGATING = "investigating", _("Investigating")
    PRIOR_NOTICE = "prior_notice", _("Prior notice issued")
    DEFENCE = "defence", _("Statement, defence or hearing")
    DECIDED = "decided", _("Decided")
    SERVED = "served", _("Decision served")
    PERFORMED = "performed", _("Performed")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CaseSource(models.TextChoices):
    OVERDUE = "overdue", _("Findings not rectified by the deadline")
    SERIOUS = "serious", _("Serious findings (harmful content, label removal, repeats)")
    TIP_OFF = "tip_off", _("Tip-off")
    TARGETED = "targeted", _("Targeted inspection")
    OTHER = "other", _("Other clue")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")
    NO_PENALTY = "no_penalty", _("No penalty")
    TRANSFERRED = "transferred", _("Transferred to public security")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("Warning (警告)")
    FINE = "fine", _("Fine (罚款)")
    CONFISCATION = "confiscation", _("Confiscation of illegal gains (没收违法所得)")
    SUSPENSION = "suspension", _("Suspension of business (责令停业整顿)")


class Case(TimeStampedModel):
    """One administrative penalty case against one enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("party"), on_delete=models.PROTECT, related_name="cases",
    )
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings"), blank=True, related_name="cases",
    )
    source = models.CharField(_("source of the clue"), max_length=15, choices=CaseSource.choices)
    cause = models.CharField(_("cause of action (案由)"), max_length=200)
    facts = models.TextField(_("facts as found so far"))
    clue_found_on = models.DateField(_("clue discovered on"))
    number = models.CharField(_("case number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=CaseStatus.choices, default=CaseStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filing approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Suspension (中止) and the days spent suspended, which the handling
    # period does not count.
    suspended_from = models.CharField(_("suspended from"), max_length=15, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspended_days = models.PositiveIntegerField(_("days suspended"), default=0)
    reason = models.TextField(_("reason for withdrawal or suspension"), blank=True)
    handling_extended = models.BooleanField(_("handling period extended"), default=False)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # What the prior notice announces (告知): the intended decision.
    intended_penalty = models.CharField(
        _("intended penalty"), max_length=15, choices=PenaltyKind.choices, blank=True,
    )
    intended_amount = models.DecimalField(
        _("intended fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
    )
    grounds = models.TextField(_("provisions and grounds"), blank=True)
    # The conduct a case without findings (a tip-off, a targeted inspection)
    # rests on, named when the prior notice is issued: which issue codes, on
    # which day. The provisions violated are resolved at that day
    # (legal.law), as a finding's are at its capture date.
    conduct_codes = models.ManyToManyField(
        IssueCode, verbose_name=_("conduct (issue codes)"), blank=True, related_name="+",
    )
    conduct_on = models.DateField(_("date of the conduct"), null=True, blank=True)
    hearing_right = models.BooleanField(
        _("the party has the right to a hearing"), default=False,
        help_text=_("行政处罚法 Art. 63: large fines, confiscation of large amounts, "
                    "suspension of business and other heavy penalties."),
    )
    prior_notice_served_on = models.DateField(_("prior notice served on"), null=True, blank=True)
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    penalty = models.CharField(
        _("penalty"), max_length=15, choices=PenaltyKind.choices, blank=True,
    )
    amount = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
    )
    decision_text = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=120, blank=True)
    served_on = models.DateField(_("decision served on"), null=True, blank=True)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    performance_note = models.TextField(_("how the decision was performed"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative case")
        verbose_name_plural = _("administrative cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="case_number_unique",
            ),
        ]
        indexes = [
            # Deadline warnings and the case list scan cases by status.
            models.Index(fields=["status", "-created_at"]),
            # Enterprise timeline and the portal.
            models.Index(fields=["enterprise", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.enterprise} · {self.cause}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead officer")
    MEMBER = "member", _("Officer")


class CaseOfficer(models.Model):
    """An officer on a case team (at least two, each certified, none recused)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")
        ordering = ["-role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.officer}"


class RecordKind(models.TextChoices):
    INSPECTION = "inspection", _("On-site inspection record (现场检查笔录)")
    QUESTIONING = "questioning", _("Questioning record (询问笔录)")
    INTERVIEW = "interview", _("Interview minutes (约谈笔录)")
    HEARING = "hearing", _("Hearing record (听证笔录)")


class PartyConfirmation(models.TextChoices):
    PENDING = "pending", _("Not yet shown to the party")
    SIGNED = "signed", _("Signed by the party")
    REFUSED = "refused", _("The party refused to sign (recorded)")
    ABSENT = "absent", _("No party present")


# Records the party (or the person questioned) must check and sign, or whose
# refusal the officers note (行政处罚法 Arts. 55 and 64(8)).
PARTY_SIGNED_RECORDS = frozenset({RecordKind.INSPECTION, RecordKind.QUESTIONING,
                                  RecordKind.INTERVIEW, RecordKind.HEARING})


class CaseRecord(models.Model):
    """
    A written record made on the spot (笔录). The time it was made is the
    server's, never typed; it is final once every officer on it has confirmed
    it and the party has signed or its refusal is noted.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("kind"), max_length=15, choices=RecordKind.choices)
    place = models.CharField(_("place"), max_length=200)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    person = models.CharField(_("person questioned or present"), max_length=120, blank=True)
    person_position = models.CharField(_("position"), max_length=120, blank=True)
    content = models.TextField(_("content"))
    party_confirmation = models.CharField(
        _("party's confirmation"), max_length=10, choices=PartyConfirmation.choices,
        default=PartyConfirmation.PENDING,
    )
    refusal_note = models.TextField(_("note of the refusal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
        related_name="+",
    )
    # Server time at creation: the attested moment the record was made.
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case record")
        verbose_name_plural = _("case records")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case}"

    @property
    def is_final(self) -> bool:
        return self.confirmed_at is not None


class RecordOfficer(models.Model):
    """An officer on a record and the moment they confirmed it."""

    record = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="officers")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied at the time of the record: a certificate renewed later must not
    # change what the record says.
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "officer"], name="record_officer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.record} · {self.officer}"


class DocumentKind(models.TextChoices):
    FILING_APPROVAL = "filing_approval", _("Case filing approval form (立案审批表)")
    INSPECTION_RECORD = "inspection_record", _("On-site inspection record (现场检查笔录)")
    QUESTIONING_RECORD = "questioning_record", _("Questioning record (询问笔录)")
    INTERVIEW_NOTICE = "interview_notice", _("Interview notice (约谈通知书)")
    INTERVIEW_RECORD = "interview_record", _("Interview minutes (约谈笔录)")
    PRESERVATION_NOTICE = "preservation_notice", _("Notice of evidence preservation (证据先行登记保存通知书)")
    PRIOR_NOTICE = "prior_notice", _("Prior notice of an administrative penalty (行政处罚事先告知书)")
    HEARING_NOTICE = "hearing_notice", _("Hearing notice (听证通知书)")
    HEARING_RECORD = "hearing_record", _("Hearing record (听证笔录)")
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision (行政处罚决定书)")
    NO_PENALTY_DECISION = "no_penalty_decision", _("Decision not to impose a penalty (不予行政处罚决定书)")
    TRANSFER = "transfer", _("Letter transferring a suspected crime (涉嫌犯罪案件移送书)")
    CLOSING_REPORT = "closing_report", _("Case closing report (结案报告)")


def document_upload_to(instance, filename: str) -> str:
    return f"cases/{timezone.now():%Y/%m}/{instance.kind}-{instance.case_id}-{instance.pk or 'new'}.pdf"


def proof_upload_to(instance, filename: str) -> str:
    return f"cases/proofs/{timezone.now():%Y/%m}/{instance.kind}-{instance.case_id}-{instance.pk}.pdf"


class CaseDocument(models.Model):
    """An issued case document: numbered, rendered once, then served."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=25, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=60)
    record = models.OneToOneField(
        CaseRecord, verbose_name=_("record"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="document",
    )
    pdf = models.FileField(_("PDF"), upload_to=document_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # SHA-256 of the certificate that signed the PDF (reports.signing): the
    # public verification page checks the signature against it.
    signer_sha256 = models.CharField(_("signing certificate SHA-256"), max_length=64, blank=True)
    # The facts the document states, as they stood at issuance.
    facts = models.JSONField(_("facts at issuance"), default=dict)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
        related_name="+",
    )
    # Whether the party receives it (internal forms such as the filing
    # approval and the closing report are not served).
    to_party = models.BooleanField(_("served on the party"), default=True)
    # Service (送达) is a legal.ServiceRecord, the notices' own: electronic
    # service only under the party's consent, otherwise every element of
    # the proof of service (送达回证), which `proof` renders.
    service_record = models.OneToOneField(
        ServiceRecord, verbose_name=_("service record"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    service_method = models.CharField(
        _("service method"), max_length=12, choices=ServiceMethod.choices, blank=True,
    )
    served_on = models.DateField(_("served on"), null=True, blank=True)
    service_note = models.TextField(_("service note"), blank=True)
    proof = models.FileField(_("proof of service"), upload_to=proof_upload_to, blank=True,
                             max_length=200)
    proof_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    proof_signer_sha256 = models.CharField(_("proof signing certificate SHA-256"), max_length=64, blank=True)
    service_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("service recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_document_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class SubmissionKind(models.TextChoices):
    STATEMENT = "statement", _("Statement and defence (陈述申辩)")
    HEARING_REQUEST = "hearing_request", _("Hearing request (听证申请)")
    RECUSAL = "recusal", _("Application for recusal (回避申请)")


class PartySubmission(models.Model):
    """What the party submits through the portal, with the server's time."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    text = models.TextField(_("text"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party submission")
        verbose_name_plural = _("party submissions")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case}"


def attachment_upload_to(instance, filename: str) -> str:
    return f"cases/submissions/{timezone.now():%Y/%m}/{instance.stored_stem}.{instance.extension}"


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(PartySubmission, on_delete=models.CASCADE,
                                   related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    stored_stem = models.CharField(max_length=40, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    content_type = models.CharField(_("detected type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class RecusalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted: the officer stands down")
    REFUSED = "refused", _("Refused")


class RecusalApplication(TimeStampedModel):
    """
    A request that an officer stand down (回避, 行政处罚法 Art. 43), by the
    party or declared by the officer; decided by a supervisor. Granted, the
    officer leaves the case team and is never chosen for the enterprise
    again (draw, re-verification, review, case team).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusals")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT,
        related_name="+",
    )
    submission = models.OneToOneField(
        PartySubmission, null=True, blank=True, on_delete=models.PROTECT, related_name="recusal",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=RecusalStatus.choices,
                              default=RecusalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("recusal application")
        verbose_name_plural = _("recusal applications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.case}"


class PreservedEvidence(models.Model):
    """
    A sampled item taken into a case's evidence (证据先行登记保存, 行政处罚法
    Art. 56): the server's time, the capture environment, both officers'
    confirmations. It protects the item: an inspection holding preserved
    evidence cannot be deleted.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    item = models.ForeignKey(
        SampledItem, verbose_name=_("sampled item"), on_delete=models.PROTECT,
        related_name="preservations",
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="+",
    )
    # Server-attested moment the item entered the case file.
    preserved_at = models.DateTimeField(_("preserved at"), auto_now_add=True)
    device = models.CharField(_("capture device"), max_length=200, blank=True)
    network = models.CharField(_("capture network"), max_length=200, blank=True)
    browser = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    file_sha256 = models.CharField(_("SHA-256 at preservation"), max_length=64, blank=True)
    preserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("preserved by"), on_delete=models.PROTECT,
        related_name="+",
    )
    second_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("second officer"), on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed by the second officer at"), null=True,
                                        blank=True)
    # The preservation notice starts the period for the decision on the item
    # (行政处罚法 Art. 56: within seven days, working days under Art. 85).
    noticed_on = models.DateField(_("preservation notice issued on"), null=True, blank=True)
    decided_on = models.DateField(_("decision on the preserved item on"), null=True, blank=True)
    decision = models.TextField(_("decision on the preserved item"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("preserved evidence")
        verbose_name_plural = _("preserved evidence")
        ordering = ["preserved_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "item"], name="preserved_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.item_id}"


class DocumentCounter(models.Model):
    """Gapless serials per document prefix and year (see cases.documents)."""

    prefix = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="case_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_serial}"
