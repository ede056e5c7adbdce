"""Risk ranking: the weights and thresholds (data an admin changes) and every score computed (history)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, RiskTier


def weight(label, default: int) -> models.DecimalField:
    return models.DecimalField(label, max_digits=5, decimal_places=2, default=default,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])


class RiskSettings(models.Model):
    """One row: the weights of the factors, the tier thresholds and the windows."""

    w_violation_rate = weight(_("weight: violation rate"), 30)
    w_repeats = weight(_("weight: repeat findings"), 15)
    w_overdue = weight(_("weight: overdue or escalated findings"), 15)
    w_tipoffs = weight(_("weight: substantiated tip-offs"), 10)
    w_contradictions = weight(_("weight: self-inspection declarations contradicted by findings"), 10)
    w_scale = weight(_("weight: monthly AI-generated volume"), 10)
    w_modalities = weight(_("weight: content modalities"), 5)
    w_not_inspected = weight(_("weight: time since the last inspection"), 15)
    high_from = models.PositiveSmallIntegerField(
        _("high tier from score"), default=50, validators=[MaxValueValidator(100)])
    low_below = models.PositiveSmallIntegerField(
        _("low tier below score"), default=25, validators=[MaxValueValidator(100)])
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"), default=730, validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_("Inspections, findings and tip-offs older than this do not count."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("risk ranking settings")
        verbose_name_plural = _("risk ranking settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def weights(self) -> dict[str, float]:
        return {name[2:]: float(getattr(self, name)) for name in (
            "w_violation_rate", "w_repeats", "w_overdue", "w_tipoffs", "w_contradictions", "w_scale",
            "w_modalities", "w_not_inspected")}

    @classmethod
    def current(cls) -> "RiskSettings":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class RiskScore(models.Model):
    """One computed score of one enterprise, with its factors and the weights that made it."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
                                   related_name="risk_scores")
    computed_at = models.DateTimeField(_("computed at"), db_index=True)
    score = models.PositiveSmallIntegerField(_("risk score"))
    tier = models.CharField(_("risk tier"), max_length=10, choices=RiskTier.choices)
    factors = models.JSONField(_("factors"))
    weights = models.JSONField(_("effective weights"))
    thresholds = models.JSONField(_("tier thresholds"))

    class Meta:
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.score}"
