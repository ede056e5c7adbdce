"""Risk ranking: measured factors, weights as data, nightly recompute, history, the plan's stratum."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent
from inspections.models import Inspection
from risk import scoring, services
from risk.models import RiskScore, RiskSettings
from tests.factories import (
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    SampledItemFactory,
    ServiceFactory,
)
from tipoffs import services as tipoff_services

WEIGHTS = {"violation_rate": 30, "repeats": 15, "overdue": 15, "tipoffs": 10, "scale": 10,
           "modalities": 5, "not_inspected": 15}


def test_the_violation_rate_counts_by_its_wilson_lower_bound():
    few = scoring.factor_values(scoring.Measurements(items_checked=2, items_failed=2))["violation_rate"]
    many = scoring.factor_values(scoring.Measurements(items_checked=50, items_failed=3))["violation_rate"]
    # sampling.md: 3 of 50 → 0.0206 to 0.1622.
    assert round(many["low"], 4) == 0.0206 and round(many["high"], 4) == 0.1622
    assert many["value"] == many["low"]
    # Two of two is a 100 % rate but proves less than 3 of 50 would suggest... and the bound says so.
    assert few["rate"] == 1.0 and few["value"] < 0.35


def test_the_score_is_the_weighted_mean_and_the_tier_follows_the_thresholds():
    worst = scoring.Measurements(items_checked=200, items_failed=200, repeats=5, overdue=4, tipoffs=9,
                                 monthly_volume=10**8, modalities=5, days_since_inspection=None)
    best = scoring.Measurements(items_checked=200, items_failed=0, monthly_volume=0, modalities=0,
                                days_since_inspection=0)
    high = scoring.score(worst, weights=WEIGHTS, high_from=50, low_below=25)
    low = scoring.score(best, weights=WEIGHTS, high_from=50, low_below=25)
    assert high.tier == "high" and high.score >= 97
    assert low.tier == "low" and low.score == 0
    assert sum(f["points"] for f in high.factors.values()) == pytest.approx(high.score, abs=0.6)
    only_tipoffs = scoring.score(worst, weights={"tipoffs": 1}, high_from=50, low_below=25)
    assert only_tipoffs.score == 100


@pytest.fixture
def world(inspector, supervisor):
    # The weights this world was built for (before the self-inspection
    # factor): a factor nobody here scores on only dilutes the others.
    RiskSettings.objects.update_or_create(pk=RiskSettings.current().pk, defaults={"w_contradictions": 0})
    risky = EnterpriseFactory(name="高风险科技公司", risk_tier="low", risk_score=0)
    ServiceFactory(enterprise=risky, monthly_aigc_volume=2_000_000, has_audio=True, has_video=True)
    inspection = InspectionFactory(enterprise=risky, status=Inspection.Status.COMPLETED,
                                   planned_date=timezone.localdate() - datetime.timedelta(days=400))
    for n in range(10):
        item = SampledItemFactory(inspection=inspection, captured_by=inspector,
                                  checks_completed_at=timezone.now())
        item.checks.create(issue_code_id="EXP-01", result="fail" if n < 6 else "pass")
    FindingFactory(inspection=inspection, status="overdue", is_repeat=True)
    FindingFactory(inspection=inspection, status="escalated")
    tipoff = tipoff_services.tipoff_submit(fields={"category": "EXP", "service_name": "x", "description": "y"})
    tipoff_services.tipoff_transition(tipoff=tipoff, to_status="under_review", actor=supervisor)
    tipoff_services.tipoff_link_enterprise(tipoff=tipoff, enterprise=risky, actor=supervisor)
    tipoff_services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=supervisor, reason="属实")
    quiet = EnterpriseFactory(name="低风险公司", risk_tier="high", risk_score=90)
    ServiceFactory(enterprise=quiet, monthly_aigc_volume=10, has_image=False)
    InspectionFactory(enterprise=quiet, status=Inspection.Status.COMPLETED, planned_date=timezone.localdate())
    return {"risky": risky, "quiet": quiet}


def test_recompute_measures_scores_keeps_history_and_sets_the_tier(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        assert services.risk_recompute() == 2
    risky, quiet = world["risky"], world["quiet"]
    risky.refresh_from_db(), quiet.refresh_from_db()
    assert risky.risk_tier == "high" and quiet.risk_tier == "low"
    score = RiskScore.objects.get(enterprise=risky)
    assert score.factors["violation_rate"]["x"] == 6 and score.factors["violation_rate"]["n"] == 10
    assert score.factors["overdue"]["count"] == 2 and score.factors["repeats"]["count"] == 1
    assert score.factors["tipoffs"]["count"] == 1 and score.factors["modalities"]["count"] == 4
    assert score.factors["not_inspected"]["count"] == 400
    assert score.weights == RiskSettings.current().weights() and score.score == risky.risk_score
    event = AuditEvent.objects.get(action="enterprise.risk", object_id=str(risky.pk))
    assert event.before == {"risk_tier": "low", "risk_score": 0}

    # Weights are data: change them and the next run records the new ones, keeping the old score.
    settings = RiskSettings.current()
    settings.w_violation_rate = 0
    settings.high_from = 90
    settings.save()
    services.risk_recompute()
    assert RiskScore.objects.filter(enterprise=risky).count() == 2
    latest = RiskScore.objects.filter(enterprise=risky).first()
    assert latest.weights["violation_rate"] == 0 and latest.thresholds["high_from"] == 90
    risky.refresh_from_db()
    assert risky.risk_tier != "high"


def test_the_query_count_stays_flat_in_the_number_of_enterprises(world, django_assert_max_num_queries):
    for _n in range(30):
        ServiceFactory(enterprise=EnterpriseFactory())
    with django_assert_max_num_queries(40):
        assert services.risk_recompute() == 32


def test_the_enterprise_page_shows_the_factors(world, supervisor, client_for):
    services.risk_recompute()
    page = client_for(supervisor).get(world["risky"].get_absolute_url()).content.decode()
    panel = page.split('data-testid="risk-panel"')[1].split("</section>")[0]
    assert "威尔逊区间" in panel and "按下限计分" in panel
    assert 'data-factor="tipoffs"' in panel and "6" in panel


def test_the_nightly_task_is_scheduled_and_runs(world, settings):
    assert any(entry["task"] == "risk.recompute" for entry in settings.CELERY_BEAT_SCHEDULE.values())
    from risk.tasks import risk_recompute_task

    assert risk_recompute_task.delay().get() == 2


def test_the_plans_high_risk_stratum_uses_the_ranking(world, supervisor, inspector, second_inspector):
    from tests.inspections.factories import draw, make_plan

    services.risk_recompute()
    plan = draw(make_plan(actor=supervisor, officers=[inspector, second_inspector, supervisor],
                          random_n=0, verification_n=0), inspector)
    assert list(plan.entries.values_list("enterprise_id", "stratum")) == [(world["risky"].pk, "high_risk")]
    world["risky"].refresh_from_db()
    member = next(m for m in plan.draws.get().record["frame"] if m["id"] == world["risky"].pk)
    assert (member["tier"], member["score"]) == ("high", world["risky"].risk_score)


def test_a_self_inspection_contradiction_counts_with_its_weight(supervisor, inspector):
    """A finding on an item the enterprise declared compliant raises its score by the factor's weight."""
    from selfchecks import services as selfcheck_services
    from selfchecks.models import Scope
    from tests.factories import CampaignFactory, EnterpriseUserFactory, IssueCodeFactory

    enterprise = EnterpriseFactory(name="自报合规公司")
    ServiceFactory(enterprise=enterprise)
    user = EnterpriseUserFactory(enterprise=enterprise)
    campaign = CampaignFactory(team=[inspector])
    InspectionFactory(campaign=campaign, enterprise=enterprise)
    launch = selfcheck_services.selfinspection_launch(
        campaign=campaign, actor=supervisor, title="自查", scope=Scope.CAMPAIGN,
        due_date=timezone.localdate() + datetime.timedelta(days=9))
    report = launch.reports.get()
    selfcheck_services.report_save(
        report=report, actor=user, front={"responsible_person": "张", "declaration": True},
        answers={item.pk: {"answer": "compliant"} for item in report.items.all()})
    selfcheck_services.report_submit(report=report, actor=user)
    services.risk_recompute(enterprise_ids=[enterprise.pk])
    before = RiskScore.objects.filter(enterprise=enterprise).latest("computed_at")
    assert before.factors["contradictions"]["count"] == 0
    FindingFactory(inspection=InspectionFactory(campaign=campaign, enterprise=enterprise),
                   issue_code=IssueCodeFactory(code="IMP-01"))
    assert selfcheck_services.contradictions_detect() == 1
    settings = RiskSettings.current()
    settings.w_contradictions = 20
    settings.save()
    services.risk_recompute(enterprise_ids=[enterprise.pk])
    after = RiskScore.objects.filter(enterprise=enterprise).order_by("-pk").first()
    assert after.factors["contradictions"]["count"] == 1
    assert after.factors["contradictions"]["value"] == 0.5
    assert after.weights["contradictions"] == 20.0
    assert after.factors["contradictions"]["points"] > 0 and after.score > before.score
