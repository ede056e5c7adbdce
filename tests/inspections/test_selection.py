"""The 双随机 plan: reproducible draw, strata, officers, approval."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from inspections.models import Inspection, InspectionService, OfficerConflict, SelectionPlan
from inspections.services import plans
from tests.factories import UserFactory
from tests.inspections.factories import draw, make_frame, make_plan


@pytest.fixture
def officers(inspector, second_inspector, supervisor):
    return [inspector, second_inspector, supervisor, UserFactory(role="inspector")]


def _drawn(plan):
    return [(e.enterprise_id, e.stratum, tuple(sorted(e.officers.values_list("pk", flat=True))),
             e.planned_date) for e in plan.entries.order_by("position")]


def test_same_seed_gives_the_same_plan_and_another_seed_another(supervisor, officers):
    make_frame(high=2, medium=12, low=6)
    first = draw(make_plan(actor=supervisor, officers=officers, random_n=5), supervisor, seed=7)
    again = draw(first, supervisor, seed=7, reason="复核")  # drawing again
    twin = draw(make_plan(actor=supervisor, officers=officers, random_n=5), supervisor, seed=7)
    other = draw(make_plan(actor=supervisor, officers=officers, random_n=5), supervisor, seed=8)
    assert _drawn(first) == _drawn(again) == _drawn(twin)
    assert _drawn(other) != _drawn(first)
    assert first.frame_enterprise_ids == sorted(first.frame_enterprise_ids)


def test_it_draws_the_three_strata(supervisor, officers):
    enterprises = make_frame(high=3, medium=6, low=4)
    plan = plans.plan_draw(plan=make_plan(actor=supervisor, officers=officers, random_n=4,
                                             verification_n=2), actor=supervisor)
    strata = Counter(plan.entries.values_list("stratum", flat=True))
    assert strata == {"high_risk": 3, "random": 4, "verification": 2}
    by_id = {e.pk: e for e in enterprises}
    for entry in plan.entries.all():
        tier = by_id[entry.enterprise_id].risk_tier
        assert {"high_risk": "high", "random": "medium", "verification": "low"}[entry.stratum] == tier
    assert plan.strata["high_risk"] == {"eligible": 3, "drawn": 3}
    assert plan.strata["verification"] == {"eligible": 4, "drawn": 2}
    assert plan.strata["frame"] == 13


def test_top_k_takes_the_highest_risk_scores(supervisor, officers):
    enterprises = make_frame(high=4, medium=2, low=0)
    plan = plans.plan_draw(plan=make_plan(actor=supervisor, officers=officers,
                                             high_risk_mode="top_k", high_risk_k=2, random_n=0,
                                             verification_n=0), actor=supervisor)
    top = sorted((e for e in enterprises if e.risk_tier == "high"), key=lambda e: -e.risk_score)[:2]
    assert set(plan.entries.values_list("enterprise_id", flat=True)) == {e.pk for e in top}


def test_frame_filters_restrict_the_frame(supervisor, officers):
    make_frame(high=2, medium=2, low=2, district="110105")
    make_frame(high=1, medium=1, low=1, district="110108")
    plan = plans.plan_draw(plan=make_plan(actor=supervisor, officers=officers, random_n=1,
                                          verification_n=1, frame_filters={"districts": ["110108"]}),
                              actor=supervisor)
    assert len(plan.frame_enterprise_ids) == 3


def test_never_a_conflicted_officer_and_at_least_two_balanced(supervisor, officers, inspector):
    enterprises = make_frame(high=4, medium=10, low=4)
    for enterprise in enterprises[::2]:
        OfficerConflict.objects.create(officer=inspector, enterprise=enterprise, reason="回避")
    plan = plans.plan_draw(plan=make_plan(actor=supervisor, officers=officers, random_n=10,
                                             verification_n=4), actor=supervisor)
    load = Counter()
    for entry in plan.entries.prefetch_related("officers"):
        team = [o.pk for o in entry.officers.all()]
        assert len(team) == 2
        assert not (inspector.pk in team and OfficerConflict.objects.filter(
            officer=inspector, enterprise_id=entry.enterprise_id).exists())
        load.update(team)
    # 18 inspections × 2 officers over 4 officers: balanced within one.
    assert max(load.values()) - min(load.values()) <= 2


def test_too_few_unconflicted_officers_refuse_the_draw(supervisor, inspector, second_inspector):
    enterprise = make_frame(high=1, medium=0, low=0)[0]
    OfficerConflict.objects.create(officer=inspector, enterprise=enterprise, reason="回避")
    plan = make_plan(actor=supervisor, officers=[inspector, second_inspector], random_n=0,
                     verification_n=0)
    with pytest.raises(plans.ApplicationError):
        plans.plan_draw(plan=plan, actor=supervisor)


def test_only_a_supervisor_approves_and_approval_creates_inspections(supervisor, inspector, officers):
    make_frame(high=2, medium=3, low=2)
    plan = plans.plan_draw(plan=make_plan(actor=inspector, officers=officers, random_n=3,
                                             verification_n=1), actor=inspector)
    with pytest.raises(PermissionDenied):
        plans.plan_approve(plan=plan, actor=inspector)
    inspections = plans.plan_approve(plan=plan, actor=supervisor)
    plan.refresh_from_db()
    assert plan.status == SelectionPlan.Status.APPROVED and plan.approved_by == supervisor
    assert len(inspections) == 6 == Inspection.objects.filter(plan_entry__plan=plan).count()
    inspection = Inspection.objects.filter(plan_entry__plan=plan).first()
    assert inspection.officers.count() == 2
    assert inspection.planned_date == inspection.plan_entry.planned_date
    sampled = InspectionService.objects.get(inspection=inspection)
    # Campaign 2026-04-30..2026-12-31 is 8 months: lot = monthly volume × 8.
    assert sampled.lot_size == sampled.service.monthly_aigc_volume * 8
    assert sampled.rule == "gb2828" and sampled.sample_size > 0
    assert AuditEvent.objects.filter(action="plan.approve", object_id=str(plan.pk)).exists()
    with pytest.raises(plans.ApplicationError):
        plans.plan_draw(plan=plan, actor=supervisor)


def test_planned_dates_are_working_days_in_the_window(supervisor, officers):
    make_frame(high=3, medium=8, low=3)
    plan = plans.plan_draw(plan=make_plan(actor=supervisor, officers=officers, random_n=8),
                              actor=supervisor)
    dates = list(plan.entries.values_list("planned_date", flat=True))
    from inspections.workdays import is_working_day
    assert all(is_working_day(d) for d in dates)
    assert min(dates) >= plan.first_date and max(dates) <= plan.last_date
    # National Day week 2026-10-01..07 is no working day.
    assert not any(d.month == 10 and 1 <= d.day <= 7 for d in dates)
