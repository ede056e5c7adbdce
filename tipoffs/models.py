"""
Public tip-offs (举报线索): what anyone reports, how staff triage it, and
the reply times that apply, as data.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from enterprises.models import Enterprise


class TipCategory(models.TextChoices):
    """Issue categories of the taxonomy a member of the public can see, and the four Qinglang content categories."""

    EXP = "EXP", _("AI content without a visible label (text, mark or voice prompt)")
    IMP = "IMP", _("AI-generated file without implicit labels (metadata)")
    PLT = "PLT", _("A platform does not detect or show AI labels")
    APP = "APP", _("An app store lists an AI app that does not label")
    AGR = "AGR", _("A user agreement says nothing about AI labels")
    TMP = "TMP", _("AI labels removed, forged or tampered with")
    FIL = "FIL", _("An AI service without filing")
    CNT_01 = "CNT-01", _("Fake news, forged documents or data made with AI")
    CNT_02 = "CNT-02", _("Face swap or voice imitation infringing someone's rights")
    CNT_03 = "CNT-03", _("Rumours made with AI")
    CNT_04 = "CNT-04", _("Obscene, violent or terrorist AI content")
    OTHER = "other", _("Other")


class TipStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("tip-off status", "Received")
    UNDER_REVIEW = "under_review", _("Under review")
    MERGED = "merged", _("Merged into another")
    VALID = "valid", _("Substantiated")
    INVALID = "invalid", _("Not substantiated")
    CONVERTED = "converted", _("Converted into an inspection or finding")
    CLOSED = "closed", pgettext_lazy("tip-off status", "Closed")


class PublicState(models.TextChoices):
    """What the reporter sees: nothing internal."""

    RECEIVED = "received", _("Received, waiting to be handled")
    IN_PROGRESS = "in_progress", _("Being handled")
    CONCLUDED = "concluded", _("Handling concluded")


PUBLIC_STATE: dict[str, PublicState] = {
    TipStatus.RECEIVED: PublicState.RECEIVED,
    TipStatus.UNDER_REVIEW: PublicState.IN_PROGRESS,
    TipStatus.MERGED: PublicState.IN_PROGRESS,
    TipStatus.VALID: PublicState.IN_PROGRESS,
    TipStatus.CONVERTED: PublicState.IN_PROGRESS,
    TipStatus.INVALID: PublicState.CONCLUDED,
    TipStatus.CLOSED: PublicState.CONCLUDED,
}


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class ReplyRule(models.Model):
    """A time within which a tip-off must be answered, and the provision that sets it."""

    class Step(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Tell the reporter whether the report is taken up")
        CONCLUDE = "conclude", _("Conclude the handling")

    step = models.CharField(_("reply step"), max_length=20, choices=Step.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days"))
    day_kind = models.CharField(_("counted in"), max_length=10, choices=DayKind.choices,
                                default=DayKind.CALENDAR)
    basis = models.CharField(_("legal basis"), max_length=300,
                             help_text=_("The binding provision that sets this time, as cited to people."))
    remind_days = models.PositiveSmallIntegerField(
        _("remind this many days before"), default=2, validators=[MaxValueValidator(30)],
        help_text=_("The officer handling the tip-off (or, if nobody is assigned, the supervisors) "
                    "is reminded once, this many days before the time runs out."))

    class Meta:
        verbose_name = _("reply time")
        verbose_name_plural = _("reply times")
        ordering = ["step"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} · {self.days}"


def tipoff_upload_to(instance, filename: str) -> str:
    # Never the reporter's file name on disk: the tracking code and the detected type.
    return f"tipoffs/{instance.tracking_code}.{instance.file_kind or 'bin'}"


class TipOff(TimeStampedModel):
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    status = models.CharField(_("status"), max_length=15, choices=TipStatus.choices,
                              default=TipStatus.RECEIVED)
    category = models.CharField(_("category"), max_length=10, choices=TipCategory.choices)
    service_name = models.CharField(_("service, app or account concerned"), max_length=200)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    description = models.TextField(_("what was seen"))
    seen_on = models.DateField(_("seen on"), null=True, blank=True)
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("reporter's phone or e-mail"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=tipoff_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_kind = models.CharField(_("file type"), max_length=20, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    label_verdict = models.CharField(_("label check verdict"), max_length=20, blank=True)
    label_result = models.JSONField(_("label check result"), null=True, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tipoffs",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_tipoffs",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="duplicates",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("inspection"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="tipoffs",
    )
    finding = models.ForeignKey(
        "inspections.Finding", verbose_name=_("finding"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="tipoffs",
    )
    # Set when staff decide: True (substantiated), False (not); None before.
    substantiated = models.BooleanField(_("substantiated"), null=True, blank=True)
    reason = models.TextField(_("reason of the last decision"), blank=True)
    acknowledge_due = models.DateField(_("acknowledge by"), null=True, blank=True)
    conclude_due = models.DateField(_("conclude by"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    # The due date each reply reminder went out for (once per due date).
    acknowledge_reminded_for = models.DateField(_("acknowledgement reminder sent for"), null=True,
                                                blank=True)
    conclude_reminded_for = models.DateField(_("conclusion reminder sent for"), null=True, blank=True)

    class Meta:
        verbose_name = _("tip-off")
        verbose_name_plural = _("tip-offs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["category"]),
            models.Index(fields=["assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def get_absolute_url(self) -> str:
        return reverse("tipoffs:detail", args=[self.pk])

