"""Factories and helpers for inspections tests."""

import datetime

from inspections import selectors
from inspections.models import SelectionPlan
from inspections.services import plans
from tests.factories import CampaignFactory, EnterpriseFactory, ServiceFactory


def make_frame(*, high: int = 3, medium: int = 6, low: int = 4, **kwargs) -> list:
    enterprises = []
    for tier, count, score in (("high", high, 90), ("medium", medium, 50), ("low", low, 10)):
        for k in range(count):
            enterprise = EnterpriseFactory(risk_tier=tier, risk_score=score - k, **kwargs)
            ServiceFactory(enterprise=enterprise, monthly_aigc_volume=100 * (k + 1))
            enterprises.append(enterprise)
    return enterprises


def make_plan(*, actor, officers, campaign=None, **fields) -> SelectionPlan:
    campaign = campaign or CampaignFactory()
    # Sizes default to at most 3 random and 2 low-risk, never more than the frame holds.
    tiers = selectors.frame_tiers(filters=fields.get("frame_filters") or {})
    defaults = {
        "name": "抽查计划", "frame_filters": {}, "high_risk_mode": "all", "high_risk_k": 0,
        "random_n": min(3, tiers["medium"]), "verification_n": min(2, tiers["low"]),
        "officers_per_inspection": 2,
        "method": "remote", "first_date": datetime.date(2026, 9, 28),
        "last_date": datetime.date(2026, 10, 16),
    }
    defaults.update(fields)
    return plans.plan_create(campaign=campaign, actor=actor, fields=defaults,
                                officer_pool=officers)


def draw(plan, actor, *, seed: int | None = None, reason: str = ""):
    """Draw a plan; `seed` stands in for the system's generator (tests only)."""
    if seed is None:
        return plans.plan_draw(plan=plan, actor=actor, reason=reason)
    return plans.plan_draw(plan=plan, actor=actor, reason=reason, seed_source=lambda: seed)
