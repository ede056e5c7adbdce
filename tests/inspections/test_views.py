"""Every page for every role; writes refused to analysts; query counts stay flat."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from inspections.models import Campaign, Inspection, IssueCode
from inspections.services import inspections as inspection_services
from tests.factories import CampaignFactory, FindingFactory, InspectionFactory, SampledItemFactory
from tests.inspections.factories import draw, make_frame, make_plan


@pytest.fixture
def world(inspector, second_inspector, supervisor, enterprise):
    campaign = CampaignFactory()
    inspection = InspectionFactory(campaign=campaign, enterprise=enterprise,
                                   officers=[inspector, second_inspector])
    item = SampledItemFactory(inspection=inspection, captured_by=inspector)
    inspection_services.item_checks_save(item=item, actor=inspector, results={"EXP-01": ("fail", "无标识")})
    finding = FindingFactory(inspection=inspection, issue_code=IssueCode.objects.get(pk="EXP-01"))
    make_frame(high=1, medium=2, low=1)
    # Drawn by an inspector, so the supervisor may approve it (four eyes).
    plan = draw(make_plan(actor=supervisor, campaign=campaign,
                          officers=[inspector, second_inspector, supervisor]), inspector)
    return {"campaign": campaign, "inspection": inspection, "item": item, "finding": finding,
            "plan": plan, "check": item.checks.get(), "enterprise": enterprise}


PAGES = [
    ("inspections:campaign_list", None), ("inspections:campaign_detail", "campaign"),
    ("inspections:plan_detail", "plan"), ("inspections:inspection_list", None),
    ("inspections:inspection_detail", "inspection"), ("inspections:item_detail", "item"),
    ("inspections:finding_list", None), ("inspections:finding_detail", "finding"),
    ("inspections:calendar", None),
]
EDIT_PAGES = [("inspections:plan_create", "campaign"), ("inspections:check_finding_create", "check")]
SUPERVISOR_PAGES = [("inspections:campaign_create", None), ("inspections:campaign_edit", "campaign")]


def _url(name, key, world):
    return reverse(name, args=[world[key].pk]) if key else reverse(name)


@pytest.mark.parametrize("role", ["inspector", "supervisor", "analyst", "admin_user",
                                  "enterprise_user", "other_enterprise_user"])
def test_every_page_for_every_role(role, request, world, client_for):
    user = request.getfixturevalue(role)
    client = client_for(user)
    staff = role not in ("enterprise_user", "other_enterprise_user")
    for name, key in PAGES:
        assert client.get(_url(name, key, world)).status_code == (200 if staff else 404), name
    for name, key in EDIT_PAGES:
        expected = 404 if not staff else 403 if role == "analyst" else 200
        assert client.get(_url(name, key, world)).status_code == expected, name
    for name, key in SUPERVISOR_PAGES:
        expected = 404 if not staff else 200 if role in ("supervisor", "admin_user") else 403
        assert client.get(_url(name, key, world)).status_code == expected, name


def test_analysts_cannot_write(world, analyst, client_for):
    client = client_for(analyst)
    inspection = world["inspection"]
    posts = [
        (reverse("inspections:inspection_transition", args=[inspection.pk]), {"to": "completed"}),
        (reverse("inspections:item_create", args=[inspection.pk]), {}),
        (reverse("inspections:finding_create", args=[inspection.pk]), {}),
        (reverse("inspections:plan_draw", args=[world["plan"].pk]), {}),
        (reverse("inspections:plan_approve", args=[world["plan"].pk]), {}),
        (reverse("inspections:item_detail", args=[world["item"].pk]), {"result_EXP-01": "pass"}),
        (reverse("inspections:finding_deadline", args=[world["finding"].pk]), {"period": 3, "reason": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS


def test_enterprise_users_get_404_on_downloads_and_writes(world, enterprise_user, client_for):
    client = client_for(enterprise_user)
    assert client.get(reverse("inspections:item_file", args=[world["item"].pk, "file"])).status_code == 404
    assert client.post(reverse("inspections:plan_approve", args=[world["plan"].pk])).status_code == 404


def test_the_enterprise_page_shows_the_history(world, inspector, client_for):
    response = client_for(inspector).get(reverse("enterprises:detail", args=[world["enterprise"].pk]))
    assert response.status_code == 200
    assert b"inspection-history" in response.content
    assert world["inspection"].get_absolute_url().encode() in response.content


def test_a_supervisor_approves_a_plan_through_the_page(world, supervisor, client_for):
    url = reverse("inspections:plan_approve", args=[world["plan"].pk])
    client = client_for(supervisor)
    assert client.post(url).status_code == 302  # without the confirmation: nothing happens
    assert not Inspection.objects.filter(plan_entry__plan=world["plan"]).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert Inspection.objects.filter(plan_entry__plan=world["plan"]).count() == world["plan"].entries.count()


def test_the_wizard_records_a_plan(world, inspector, second_inspector, client_for):
    url = reverse("inspections:plan_create", args=[world["campaign"].pk]) + "?risk_tiers=high&risk_tiers=medium"
    response = client_for(inspector).post(url, {
        "name": "计划", "high_risk_mode": "all", "high_risk_k": 0, "random_n": 2,
        "verification_n": 0, "officers_per_inspection": 2,
        "officer_pool": [inspector.pk, second_inspector.pk], "method": "remote",
        "first_date": "2026-11-02", "last_date": "2026-11-20", "seed": 99,
    })
    assert response.status_code == 302
    plan = world["campaign"].plans.get(name="计划")
    # A typed seed is ignored: the system generates one when the plan is drawn.
    assert plan.frame_filters == {"risk_tiers": ["high", "medium"]} and plan.seed is None


def test_a_supervisor_changes_a_deadline_with_a_reason(world, supervisor, client_for):
    finding = world["finding"]
    response = client_for(supervisor).post(reverse("inspections:finding_deadline", args=[finding.pk]),
                                           {"deadline": "2026-12-31", "reason": "企业申请延期，经批准"},
                                           follow=True)
    assert response.status_code == 200
    finding.refresh_from_db()
    assert finding.deadline == dt.date(2026, 12, 31)
    assert finding.deadline_change_reason == "企业申请延期，经批准"


def _bulk(campaign, enterprise, officers, n):
    for _ in range(n):
        inspection = InspectionFactory(campaign=campaign, enterprise=enterprise, officers=officers)
        FindingFactory(inspection=inspection, issue_code=IssueCode.objects.get(pk="IMP-01"))


@pytest.mark.parametrize("name", ["inspections:campaign_list", "inspections:inspection_list",
                                  "inspections:finding_list", "inspections:calendar"])
def test_list_pages_keep_a_flat_query_count(name, world, inspector, second_inspector, client_for,
                                            django_assert_max_num_queries):
    client = client_for(inspector)
    _bulk(world["campaign"], world["enterprise"], [inspector, second_inspector], 3)
    with django_assert_max_num_queries(25) as small:
        client.get(reverse(name))
    _bulk(world["campaign"], world["enterprise"], [inspector, second_inspector], 25)
    CampaignFactory.create_batch(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200
    assert Campaign.objects.count() >= 6


def test_the_campaign_form_shows_what_is_stored(supervisor, client_for):
    # Saving the form untouched must not blank the dates or move the AQL column.
    campaign = CampaignFactory(aql=Decimal("2.5"))
    html = client_for(supervisor).get(reverse("inspections:campaign_edit", args=[campaign.pk])).content.decode()
    assert 'value="2026-04-30"' in html and 'value="2026-12-31"' in html
    assert '<option value="2.5" selected>' in html
