"""Reads of the risk ranking."""

from django.db.models import QuerySet

from .models import RiskScore
from .scoring import FACTOR_LABELS, FACTORS


def latest_score(*, enterprise_id: int) -> RiskScore | None:
    return RiskScore.objects.filter(enterprise_id=enterprise_id).order_by("-computed_at", "-id").first()


def score_history(*, enterprise_id: int, limit: int = 12) -> QuerySet[RiskScore]:
    return (RiskScore.objects.filter(enterprise_id=enterprise_id).order_by("-computed_at", "-id")
            .only("computed_at", "score", "tier")[:limit])


def factor_rows(score: RiskScore) -> list[dict]:
    """The factors of a score in a fixed order, for the enterprise page."""
    return [{"name": name, "label": FACTOR_LABELS[name], **score.factors.get(name, {})} for name in FACTORS]
