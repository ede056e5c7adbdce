"""
The risk score: plain Python, no Django. Each factor is a measurement of an
enterprise turned into a value between 0 and 1; the score is the weighted
mean times 100; the tier follows from thresholds. Weights and thresholds
are data (risk.models.RiskSettings) and are recorded with every score.

Factors (all measured, none typed):
- violation_rate: sampled items with a failed check / items checked, over
  the window; the value is the lower bound of the 95 % Wilson interval, so
  a high rate from few items counts for little (sampling.md);
- repeats: findings marked repeat in the window, 3 or more count fully;
- overdue: findings overdue or escalated now, 2 or more count fully;
- tipoffs: substantiated tip-offs about the enterprise in the window,
  3 or more count fully;
- contradictions: findings in the window on items the enterprise had
  declared compliant in a submitted self-inspection, 2 or more count fully;
- scale: monthly AI-generated volume across its services, log10(1 + v) / 7
  (ten million a month counts fully);
- modalities: distinct content modalities offered / 5;
- not_inspected: days since the last completed inspection / 730 (never
  inspected counts fully).
"""

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from inspections.sampling import wilson_interval

FACTORS = ("violation_rate", "repeats", "overdue", "tipoffs", "contradictions", "scale", "modalities",
           "not_inspected")
# What each factor is called wherever a person reads it (the enterprise's risk
# panel, the audit trail of the ranking settings' weights).
FACTOR_LABELS = {
    "violation_rate": _("Violation rate of sampled items"),
    "repeats": _("Repeat findings"),
    "overdue": _("Findings overdue or escalated now"),
    "tipoffs": _("Substantiated tip-offs"),
    "contradictions": _("Self-inspection declarations contradicted by findings"),
    "scale": _("Monthly AI-generated volume"),
    "modalities": _("Content modalities"),
    "not_inspected": _("Time since the last inspection"),
}
HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass
class Measurements:
    """What was measured for one enterprise."""

    items_checked: int = 0
    items_failed: int = 0
    repeats: int = 0
    overdue: int = 0
    tipoffs: int = 0
    contradictions: int = 0
    monthly_volume: int = 0
    modalities: int = 0
    days_since_inspection: int | None = None  # None: never inspected


@dataclass
class Scored:
    score: int
    tier: str
    factors: dict = field(default_factory=dict)


def _capped(count: int, full_at: int) -> float:
    return min(count / full_at, 1.0) if full_at > 0 else 0.0


def factor_values(m: Measurements) -> dict[str, dict]:
    """Each factor's value (0..1) with the measurement it came from."""
    violation: dict[str, Any]
    if m.items_checked:
        interval = wilson_interval(m.items_failed, m.items_checked)
        violation = {"value": interval.low, "x": m.items_failed, "n": m.items_checked,
                     "rate": interval.rate, "low": interval.low, "high": interval.high}
    else:
        violation = {"value": 0.0, "x": 0, "n": 0, "rate": None, "low": None, "high": None}
    days = m.days_since_inspection
    return {
        "violation_rate": violation,
        "repeats": {"value": _capped(m.repeats, 3), "count": m.repeats},
        "overdue": {"value": _capped(m.overdue, 2), "count": m.overdue},
        "tipoffs": {"value": _capped(m.tipoffs, 3), "count": m.tipoffs},
        "contradictions": {"value": _capped(m.contradictions, 2), "count": m.contradictions},
        "scale": {"value": min(math.log10(1 + max(m.monthly_volume, 0)) / 7, 1.0),
                  "count": m.monthly_volume},
        "modalities": {"value": _capped(m.modalities, 5), "count": m.modalities},
        "not_inspected": {"value": 1.0 if days is None else min(max(days, 0) / 730, 1.0),
                          "count": days},
    }


def score(m: Measurements, *, weights: dict[str, float], high_from: int, low_below: int) -> Scored:
    """The weighted score (0..100, rounded) and tier, with each factor's contribution."""
    values = factor_values(m)
    total_weight = sum(max(float(weights.get(f, 0)), 0.0) for f in FACTORS)
    points = 0.0
    for name in FACTORS:
        weight = max(float(weights.get(name, 0)), 0.0)
        contribution = 100 * weight * values[name]["value"] / total_weight if total_weight else 0.0
        values[name].update({"weight": weight, "points": round(contribution, 2)})
        points += contribution
    result = round(points)
    tier = HIGH if result >= high_from else LOW if result < low_below else MEDIUM
    return Scored(score=result, tier=tier, factors=values)
