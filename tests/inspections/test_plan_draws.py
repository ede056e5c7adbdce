"""
The draw anyone can redo (issue 18 item 5) with four eyes on it (issue 15
item 5) and plans people can work with (issue 14 item 4): system seeds,
recorded redraws, approval by another supervisor, verification from the
record alone, editable and deletable drafts, errors in people's words.
"""

import datetime
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from core.models import AuditEvent
from enterprises.models import Enterprise
from inspections import selection
from inspections.models import Inspection, OfficerConflict, PlanDraw, PlanEntry, SelectionPlan
from inspections.services import plans
from tests.factories import CampaignFactory, UserFactory
from tests.inspections.factories import draw, make_frame, make_plan


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese, whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def other_supervisor(db):
    return UserFactory(username="supervisor2", role="supervisor", first_name="黄主管")


@pytest.fixture
def officers(inspector, second_inspector, supervisor):
    return [inspector, second_inspector, supervisor, UserFactory(role="inspector", first_name="孙检查")]


def _on_team(plan, *users):
    plan.campaign.team.add(*users)
    return plan


def _rows(plan):
    return [[e.enterprise_id, e.stratum, sorted(e.officers.values_list("pk", flat=True)),
             e.planned_date.isoformat()] for e in plan.entries.order_by("position")]


# --- the seed: generated, never typed -------------------------------------------------


def test_a_typed_seed_is_refused_and_the_system_draws_one(supervisor, officers):
    make_frame(high=2, medium=6, low=3)
    with pytest.raises(plans.ApplicationError, match="随机种子"):
        make_plan(actor=supervisor, officers=officers, seed=12345)
    plan = make_plan(actor=supervisor, officers=officers)
    assert plan.seed is None
    plans.plan_draw(plan=plan, actor=supervisor)
    plan.refresh_from_db()
    first_seed = plan.seed
    assert first_seed is not None and plan.drawn_by == supervisor
    plans.plan_draw(plan=plan, actor=supervisor, reason="人员库调整后重抽")
    plan.refresh_from_db()
    assert plan.seed != first_seed  # each draw a new seed nobody chose


def test_the_wizard_ignores_a_typed_seed(supervisor, inspector, second_inspector, client_for):
    campaign = CampaignFactory()
    campaign.team.add(inspector, second_inspector)
    make_frame(high=1, medium=4, low=2)
    url = reverse("inspections:plan_create", args=[campaign.pk]) + "?risk_tiers=medium"
    response = client_for(inspector).get(url)
    assert b'name="seed"' not in response.content
    client_for(inspector).post(url, {
        "name": "计划", "high_risk_mode": "all", "high_risk_k": 0, "random_n": 2,
        "verification_n": 0, "officers_per_inspection": 2,
        "officer_pool": [inspector.pk, second_inspector.pk], "method": "remote",
        "first_date": "2026-11-02", "last_date": "2026-11-20", "seed": "7",
    })
    plan = campaign.plans.get()
    client_for(inspector).post(reverse("inspections:plan_draw", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "drawn" and plan.seed not in (None, 7)


# --- four eyes ------------------------------------------------------------------


def test_the_supervisor_who_drew_cannot_approve_another_can(supervisor, other_supervisor, officers,
                                                           client_for):
    make_frame(high=2, medium=4, low=2)
    plan = draw(make_plan(actor=supervisor, officers=officers), supervisor)
    with pytest.raises(plans.ApplicationError, match="另一名负责人"):
        plans.plan_approve(plan=plan, actor=supervisor)
    # Through the page too: no inspections, the reason shown instead of the button.
    page = client_for(supervisor).get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="approval-refusal"' in page and "plan_approve" not in page
    client_for(supervisor).post(reverse("inspections:plan_approve", args=[plan.pk]), {"confirm": "1"})
    assert not Inspection.objects.filter(plan_entry__plan=plan).exists()

    created = plans.plan_approve(plan=plan, actor=other_supervisor)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == other_supervisor
    assert len(created) == plan.entries.count()


def test_redraws_need_a_reason_and_every_draw_is_shown_on_the_plan(supervisor, inspector, officers,
                                                                    client_for):
    make_frame(high=2, medium=8, low=3)
    plan = _on_team(draw(make_plan(actor=supervisor, officers=officers), inspector), inspector)
    with pytest.raises(plans.ApplicationError, match="理由"):
        plans.plan_draw(plan=plan, actor=inspector)
    client = client_for(inspector)
    client.post(reverse("inspections:plan_draw", args=[plan.pk]))  # no reason: refused
    assert plan.draws.count() == 1
    client.post(reverse("inspections:plan_draw", args=[plan.pk]), {"reason": "抽取期间新增两名执法人员"})
    assert list(plan.draws.values_list("number", "drawn_by", "reason")) == [
        (2, inspector.pk, "抽取期间新增两名执法人员"), (1, inspector.pk, "")]
    page = client_for(supervisor).get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="redraws"' in page and "抽取期间新增两名执法人员" in page
    assert AuditEvent.objects.filter(action="plan.draw", object_id=str(plan.pk)).count() == 2


# --- reproducing a past draw ---------------------------------------------------------


def test_a_past_draw_reproduces_after_tiers_scores_and_conflicts_change(supervisor, inspector,
                                                                      other_supervisor, officers):
    enterprises = make_frame(high=3, medium=10, low=5)
    plan = draw(make_plan(actor=supervisor, officers=officers, random_n=4, verification_n=2),
                inspector)
    plans.plan_approve(plan=plan, actor=other_supervisor)
    plan.refresh_from_db()
    drawn = set(plan.entries.values_list("enterprise_id", flat=True))
    before = _rows(plan)

    # The world moves on: tiers, scores and conflicts all change.
    undrawn = [e for e in enterprises if e.pk not in drawn]
    Enterprise.objects.filter(pk__in=[e.pk for e in undrawn[:3]]).update(risk_tier="high", risk_score=99)
    Enterprise.objects.filter(pk__in=drawn).update(risk_tier="low", risk_score=1)
    for enterprise in enterprises[:6]:
        OfficerConflict.objects.get_or_create(officer=officers[1], enterprise=enterprise,
                                              defaults={"reason": "新增回避"})

    result = plans.plan_verification(plan=plan)
    assert result.ok and result.entries_match is True
    assert selection.entries_as_result(
        selection.draw_from_record(plan.draws.get().record).entries) == before
    out = io.StringIO()
    call_command("verify_plan", str(plan.pk), stdout=out)
    assert "1" in out.getvalue()

    # A drawn plan whose entries were altered afterwards is caught.
    entry = plan.entries.order_by("position").first()
    PlanEntry.objects.filter(pk=entry.pk).update(planned_date=entry.planned_date + datetime.timedelta(days=1))
    assert not plans.plan_verification(plan=plan).ok
    with pytest.raises(CommandError) as error:
        call_command("verify_plan", str(plan.pk), stdout=io.StringIO())
    assert error.value.returncode == 1


def test_the_record_holds_the_frame_as_it_was(supervisor, inspector, officers):
    enterprises = make_frame(high=2, medium=3, low=2)
    OfficerConflict.objects.create(officer=inspector, enterprise=enterprises[0], reason="回避")
    plan = draw(make_plan(actor=supervisor, officers=officers), supervisor, seed=11)
    record = plan.draws.get().record
    member = next(m for m in record["frame"] if m["id"] == enterprises[0].pk)
    assert member == {"id": enterprises[0].pk, "tier": "high", "score": 90, "stratum": "high_risk",
                      "conflicts": [inspector.pk]}
    assert record["officers"] == sorted(o.pk for o in officers)
    assert record["method"] == "hmac-sha256-v1" and record["seed"] == 11
    assert all(datetime.date.fromisoformat(d) for d in record["days"])


def test_the_method_is_fixed_a_known_record_gives_a_known_draw():
    """A golden record: the result must never change, whatever the Python version."""
    record = {
        "method": "hmac-sha256-v1", "seed": 20260430,
        "params": {"high_risk_mode": "all", "high_risk_k": 0, "random_n": 2, "verification_n": 1,
                   "per_inspection": 2},
        "frame": [
            {"id": 1, "tier": "high", "score": 80, "stratum": "high_risk", "conflicts": []},
            {"id": 2, "tier": "medium", "score": 50, "stratum": "random", "conflicts": [11]},
            {"id": 3, "tier": "medium", "score": 40, "stratum": "random", "conflicts": []},
            {"id": 4, "tier": "medium", "score": 45, "stratum": "random", "conflicts": []},
            {"id": 5, "tier": "low", "score": 10, "stratum": "verification", "conflicts": []},
            {"id": 6, "tier": "low", "score": 12, "stratum": "verification", "conflicts": []},
        ],
        "officers": [11, 12, 13],
        "days": ["2026-09-28", "2026-09-29", "2026-09-30"],
    }
    # Checked by hand: random {2: 89d8…, 3: 7eff…, 4: 6417…} → 4, 3; low {5: 01d3…, 6: 0677…}
    # → 5; four entries over three days → days 0, 0, 1, 2; officers of enterprise 1, all
    # equal: 13 (581e…) and 11 (7a43…) before 12 (7c1a…).
    assert selection.rank(20260430, "enterprise", 2) == (
        "89d86a51d0063b11b2bf68913e72a8090520eaf4cc27f4965753622988463774")
    assert selection.entries_as_result(selection.draw_from_record(record).entries) == [
        [1, "high_risk", [11, 13], "2026-09-28"], [4, "random", [12, 13], "2026-09-28"],
        [3, "random", [11, 12], "2026-09-29"], [5, "verification", [11, 13], "2026-09-30"]]


# --- legacy plans ------------------------------------------------------------------


def test_plans_drawn_before_records_are_marked_legacy_and_must_be_redrawn(
    supervisor, inspector, other_supervisor, officers, client_for
):
    make_frame(high=1, medium=3, low=1)
    plan = draw(make_plan(actor=supervisor, officers=officers), inspector)
    plan.draws.all().delete()
    SelectionPlan.objects.filter(pk=plan.pk).update(draw_method="")
    migration = importlib.import_module("inspections.migrations.0009_plan_draw_record")
    migration.mark_legacy(django_apps, None)
    plan.refresh_from_db()
    assert plan.draw_method == "legacy"
    assert plans.plan_verification(plan=plan).state == "legacy"
    with pytest.raises(plans.ApplicationError, match="重新抽取"):
        plans.plan_approve(plan=plan, actor=other_supervisor)
    response = client_for(other_supervisor).get(plan.get_absolute_url())
    assert response.status_code == 200
    with pytest.raises(CommandError) as error:
        call_command("verify_plan", str(plan.pk), stdout=io.StringIO())
    assert error.value.returncode == 2


# --- errors in people's words, sizes against the frame ---------------------------------


def test_too_few_officers_says_who_and_what_to_do(supervisor, inspector, second_inspector):
    enterprise = make_frame(high=1, medium=0, low=0)[0]
    Enterprise.objects.filter(pk=enterprise.pk).update(name="北京回避测试科技有限公司")
    OfficerConflict.objects.create(officer=inspector, enterprise=enterprise, reason="回避")
    plan = make_plan(actor=supervisor, officers=[inspector, second_inspector])
    with translation.override("zh-hans"), pytest.raises(plans.ApplicationError) as error:
        plans.plan_draw(plan=plan, actor=supervisor)
    text = error.value.message
    assert "北京回避测试科技有限公司" in text and "刘检查" in text and "王检查" in text
    assert "增加" in text and "回避" in text
    assert "只有 1 名" in text and " " not in text.replace(" 1 ", "").replace(" 2 ", "")
    assert not any(c.isascii() and c.isalpha() for c in text)  # no English, no ids


def test_a_draw_larger_than_the_frame_is_refused_with_the_numbers(inspector, second_inspector,
                                                                   client_for):
    campaign = CampaignFactory()
    campaign.team.add(inspector, second_inspector)
    make_frame(high=1, medium=5, low=2)
    url = reverse("inspections:plan_create", args=[campaign.pk]) + "?roles=generation_provider"
    data = {"name": "计划", "high_risk_mode": "all", "high_risk_k": 0, "random_n": 100,
            "verification_n": 0, "officers_per_inspection": 2,
            "officer_pool": [inspector.pk, second_inspector.pk], "method": "remote",
            "first_date": "2026-11-02", "last_date": "2026-11-20"}
    with translation.override("zh-hans"):
        response = client_for(inspector).post(url, data)
    assert response.status_code == 200 and not campaign.plans.exists()
    page = response.content.decode()
    assert "100" in page and "5" in page and 'value="100"' in page  # what was typed is kept
    assert "随机抽取" in page
    response = client_for(inspector).post(url, {**data, "random_n": 5, "verification_n": 3})
    assert response.status_code == 200 and not campaign.plans.exists()
    response = client_for(inspector).post(url, {**data, "random_n": 5, "verification_n": 2})
    assert response.status_code == 302 and campaign.plans.count() == 1


def test_the_plan_shows_its_frame_as_labels_with_its_real_size(supervisor, officers, client_for):
    make_frame(high=1, medium=4, low=2)
    plan = make_plan(actor=supervisor, officers=officers, frame_filters={"roles": ["generation_provider"]})
    with translation.override("zh-hans"):
        page = client_for(supervisor).get(plan.get_absolute_url()).content.decode()
    assert "generation_provider" not in page and "roles" not in page
    assert "生成" in page
    assert "7" in page.split('data-testid="frame-size">')[1][:40]


# --- drafts editable and deletable ------------------------------------------------------


def test_a_draft_is_changed_and_a_drawn_plan_goes_back_to_draft(supervisor, inspector, officers,
                                                                client_for):
    make_frame(high=1, medium=6, low=2)
    plan = _on_team(make_plan(actor=supervisor, officers=officers, random_n=2), inspector)
    url = reverse("inspections:plan_edit", args=[plan.pk])
    client = client_for(inspector)
    assert client.get(url).status_code == 200
    data = {"name": "改过的计划", "high_risk_mode": "all", "high_risk_k": 0, "random_n": 4,
            "verification_n": 1, "officers_per_inspection": 2,
            "officer_pool": [o.pk for o in officers], "method": "remote",
            "first_date": "2026-11-02", "last_date": "2026-11-20"}
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.random_n, plan.status) == ("改过的计划", 4, "draft")

    draw(plan, inspector)
    assert client.post(url, {**data, "random_n": 3}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "draft" and not plan.entries.exists() and plan.seed is None
    assert plan.draws.count() == 1  # the earlier draw stays on record
    assert AuditEvent.objects.filter(action="plan.update", object_id=str(plan.pk)).count() == 2


def test_only_a_never_drawn_draft_is_deleted_and_only_when_confirmed(supervisor, inspector, officers,
                                                                    client_for):
    make_frame(high=1, medium=4, low=1)
    plan = _on_team(make_plan(actor=supervisor, officers=officers), inspector)
    url = reverse("inspections:plan_delete", args=[plan.pk])
    client = client_for(inspector)
    client.post(url)
    assert SelectionPlan.objects.filter(pk=plan.pk).exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not SelectionPlan.objects.filter(pk=plan.pk).exists()
    assert AuditEvent.objects.filter(action="plan.delete", object_id=str(plan.pk)).exists()

    drawn = _on_team(draw(make_plan(actor=supervisor, officers=officers), inspector), inspector)
    client.post(reverse("inspections:plan_delete", args=[drawn.pk]), {"confirm": "1"})
    assert SelectionPlan.objects.filter(pk=drawn.pk).exists() and PlanDraw.objects.filter(plan=drawn).exists()


def test_the_verify_button_redoes_the_draw_and_puts_it_on_record(supervisor, analyst, officers,
                                                                 client_for):
    make_frame(high=1, medium=4, low=2)
    plan = draw(make_plan(actor=supervisor, officers=officers), supervisor)
    response = client_for(analyst).post(reverse("inspections:plan_verify", args=[plan.pk]), follow=True)
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="plan.verify", object_id=str(plan.pk))
    assert event.after["verification"] == "match"


# --- the plan page at scale ------------------------------------------------------------


def test_the_plan_page_reads_its_entries_in_a_fixed_number_of_queries(supervisor, other_supervisor, officers,
                                                                      client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_frame(high=2, medium=12, low=4)
    small = draw(make_plan(actor=supervisor, officers=officers, random_n=2, verification_n=1), supervisor)
    large = draw(make_plan(actor=supervisor, officers=officers, random_n=12, verification_n=4), supervisor)
    plans.plan_approve(plan=large, actor=other_supervisor)  # entries with their inspections
    client = client_for(other_supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(large.get_absolute_url()).content.decode()
    entry = large.entries.select_related("enterprise", "inspection").order_by("position").first()
    # What each row shows: enterprise, officers and the inspection created from it.
    assert entry.enterprise.name in page and entry.inspection.get_absolute_url() in page
    assert all((o.get_full_name() or o.username) in page for o in entry.officers.all())
