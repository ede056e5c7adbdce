"""Factories and helpers for inspections tests."""

import datetime

from inspections.models import SelectionPlan
from inspections.services import campaigns as campaign_services
from tests.factories import CampaignFactory, EnterpriseFactory, ServiceFactory


def make_frame(*, high: int = 3, medium: int = 6, low: int = 4, **kwargs) -> list:
    enterprises = []
    for tier, count, score in (("high", high, 90), ("medium", medium, 50), ("low", low, 10)):
        for k in range(count):
            enterprise = EnterpriseFactory(risk_tier=tier, risk_score=score - k, **kwargs)
            ServiceFactory(enterprise=enterprise, monthly_aigc_volume=100 * (k + 1))
            enterprises.append(enterprise)
    return enterprises


def make_plan(*, actor, officers, campaign=None, seed: int = 42, **fields) -> SelectionPlan:
    campaign = campaign or CampaignFactory()
    defaults = {
        "name": "抽查计划", "frame_filters": {}, "high_risk_mode": "all", "high_risk_k": 0,
        "random_n": 3, "verification_n": 2, "officers_per_inspection": 2, "seed": seed,
        "method": "remote", "first_date": datetime.date(2026, 9, 28),
        "last_date": datetime.date(2026, 10, 16),
    }
    defaults.update(fields)
    return campaign_services.plan_create(campaign=campaign, actor=actor, fields=defaults,
                                officer_pool=officers)
