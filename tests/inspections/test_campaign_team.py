"""
DOMAIN §2: an inspector sees everything of the campaigns assigned (the
campaign's team) and nothing of the others; supervisors, analysts and admins
see every campaign. Officers drawn or named for a campaign join its team.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from inspections import selectors
from inspections.models import Campaign, Inspection
from inspections.services import campaigns as campaign_services
from inspections.services import plans
from rectification import services as rectification_services
from rectification.models import EscalationKind
from reports.analytics import selectors as analytics
from reports.analytics import services as services_analytics
from reports.exports import services as exports
from reports.notices.selectors import notice_list
from tests.factories import (
    CampaignFactory,
    FindingFactory,
    InspectionFactory,
    IssueCodeFactory,
    SampledItemFactory,
    UserFactory,
)
from tests.inspections.factories import make_frame, make_plan
from tests.rectification.factories import notified_finding, png
from tests.reports.factories import make_notice


def _submitted_report(enterprise_user, *findings):
    report = rectification_services.report_create(
        enterprise=enterprise_user.enterprise, actor=enterprise_user, findings=list(findings))
    for response in report.responses.all():
        rectification_services.evidence_add(response=response, actor=enterprise_user, uploaded=png())
        rectification_services.response_update(response=response, actor=enterprise_user, measures="已整改",
                                               long_term_measures="", completed_on=timezone.localdate())
    rectification_services.report_update(report=report, actor=enterprise_user,
                                         responsible_person="张总", declaration=True)
    return rectification_services.report_submit(report=report, actor=enterprise_user)


@pytest.fixture
def elsewhere(enterprise, enterprise_user, second_inspector, supervisor):
    """A campaign the `inspector` persona is not on, with one of everything."""
    campaign = CampaignFactory(team=[second_inspector])
    inspection = InspectionFactory(campaign=campaign, enterprise=enterprise,
                                   officers=[second_inspector, supervisor])
    item = SampledItemFactory(inspection=inspection, captured_by=second_inspector)
    finding = FindingFactory(inspection=inspection, status="notified", notified_at=timezone.now(),
                             created_by=second_inspector)
    extension = rectification_services.extension_request_create(
        finding=finding, actor=enterprise_user, reason="需要时间",
        requested_deadline=finding.deadline + datetime.timedelta(days=10))
    overdue = FindingFactory(inspection=inspection, status="overdue", notified_at=timezone.now(),
                             deadline=timezone.localdate() - datetime.timedelta(days=3))
    escalation = rectification_services.escalation_record(
        enterprise=enterprise, finding=overdue, actor=supervisor, kind=EscalationKind.INTERVIEW,
        occurred_on=timezone.localdate(), attendees="法人", notes="约谈记录")
    report = _submitted_report(enterprise_user, finding)
    make_frame(high=1, medium=1, low=1)
    plan = make_plan(actor=supervisor, campaign=campaign, officers=[second_inspector, supervisor])
    notice = make_notice(author=second_inspector, campaign=campaign, enterprise=enterprise)
    return {"campaign": campaign, "inspection": inspection, "item": item, "finding": finding,
            "report": report, "extension": extension, "escalation": escalation, "plan": plan,
            "notice": notice, "evidence": report.responses.get().evidence.get()}


def detail_urls(world) -> list[str]:
    return [
        reverse("inspections:campaign_detail", args=[world["campaign"].pk]),
        reverse("inspections:plan_detail", args=[world["plan"].pk]),
        reverse("inspections:inspection_detail", args=[world["inspection"].pk]),
        reverse("inspections:item_detail", args=[world["item"].pk]),
        reverse("inspections:finding_detail", args=[world["finding"].pk]),
        reverse("rectification:report_detail", args=[world["report"].pk]),
        reverse("rectification:evidence_download", args=[world["evidence"].pk]),
        reverse("rectification:extension_detail", args=[world["extension"].pk]),
        reverse("rectification:escalation_detail", args=[world["escalation"].pk]),
        reverse("rectification:finding", args=[world["finding"].pk]),
        reverse("reports:notice_detail", args=[world["notice"].pk]),
        reverse("reports:notice_preview", args=[world["notice"].pk]),
        reverse("reports:notice_batch", args=[world["campaign"].pk]),
        f"/api/findings/{world['finding'].pk}/",
    ]


def test_an_inspector_gets_404_for_everything_of_a_campaign_not_assigned(elsewhere, inspector, client_for):
    client = client_for(inspector)
    for url in detail_urls(elsewhere):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["second_inspector", "supervisor", "analyst", "admin_user"])
def test_the_team_and_every_other_staff_role_see_it(role, request, elsewhere, client_for):
    client = client_for(request.getfixturevalue(role))
    for url in detail_urls(elsewhere):
        assert client.get(url).status_code == 200, url


def test_lists_counts_and_analytics_leave_out_the_campaigns_not_assigned(
    elsewhere, inspector, enterprise, client_for
):
    mine = CampaignFactory(team=[inspector])
    own_inspection = InspectionFactory(campaign=mine, enterprise=enterprise, planned_date=datetime.date(2026, 11, 2))
    own_finding = FindingFactory(inspection=own_inspection)

    assert list(selectors.campaign_list(viewer=inspector)) == [mine]
    assert list(selectors.inspection_list(viewer=inspector)) == [own_inspection]
    assert list(selectors.finding_list(viewer=inspector)) == [own_finding]
    assert not notice_list(viewer=inspector).exists()
    assert not selectors.plan_list(viewer=inspector).exists()
    assert list(exports.findings_queryset(viewer=inspector)) == [own_finding]
    assert list(exports.findings_queryset(viewer=inspector, campaign_id=elsewhere["campaign"].pk)) == []
    november = selectors.calendar_month(viewer=inspector, year=2026, month=11)
    assert november["n_inspections"] == 1

    client = client_for(inspector)
    for name in ("rectification:report_list", "rectification:extension_list", "rectification:escalation_list"):
        assert not client.get(reverse(name)).context["page_obj"].object_list, name
    page = client.get(reverse("inspections:finding_list"))
    assert [f.pk for f in page.context["page_obj"]] == [own_finding.pk]
    # The filter's campaign choices do not even name the other campaign.
    assert elsewhere["campaign"].name not in page.content.decode()

    filters = analytics.AnalyticsFilters(start=datetime.date(2020, 1, 1), end=datetime.date(2030, 12, 1))
    assert set(analytics.campaigns(viewer=inspector)["campaign_id"]) == {mine.pk}
    assert set(analytics.campaign_findings(viewer=inspector, filters=filters)["campaign_id"]) == {mine.pk}
    services_analytics.analytics_rollups_refresh()
    assert set(analytics.rollup_campaign_inspections(viewer=inspector, filters=filters)["campaign_id"]) == {
        mine.pk}
    assert set(analytics.rollup_campaign_inspections(viewer=inspector.__class__.objects.get(
        role=Role.SUPERVISOR), filters=filters)["campaign_id"]) == {mine.pk, elsewhere["campaign"].pk}


def test_an_escalation_against_the_whole_enterprise_is_seen_by_every_inspector(
    enterprise, supervisor, inspector, client_for
):
    step = rectification_services.escalation_record(
        enterprise=enterprise, finding=None, actor=supervisor, kind=EscalationKind.INTERVIEW,
        occurred_on=timezone.localdate(), attendees="法人", notes="约谈")
    url = reverse("rectification:escalation_detail", args=[step.pk])
    assert client_for(inspector).get(url).status_code == 200


def test_approving_a_plan_puts_the_drawn_officers_on_the_team(supervisor, inspector, second_inspector):
    campaign = CampaignFactory()
    make_frame(high=2, medium=2, low=1)
    plan = make_plan(actor=supervisor, campaign=campaign, officers=[inspector, second_inspector])
    plans.plan_draw(plan=plan, actor=inspector)
    assert not selectors.campaign_list(viewer=inspector).exists()

    plans.plan_approve(plan=plan, actor=supervisor)

    assert set(campaign.team.all()) == {inspector, second_inspector}
    assert selectors.campaign_list(viewer=inspector).get() == campaign
    event = AuditEvent.objects.get(action="campaign.team_add")
    assert event.after["team"] == sorted([inspector.pk, second_inspector.pk])


def test_ordering_a_reverification_puts_its_officers_on_the_team(enterprise, enterprise_user, inspector,
                                                                   second_inspector):
    finding = notified_finding(enterprise, officers=[inspector, second_inspector])
    newcomer = UserFactory(username="inspector3", role=Role.INSPECTOR)
    report = _submitted_report(enterprise_user, finding)

    rectification_services.response_order_reverification(
        response=report.responses.get(), actor=inspector, method="remote",
        planned_date=timezone.localdate() + datetime.timedelta(days=7), officers=[inspector, newcomer])

    assert newcomer in finding.campaign.team.all()
    assert selectors.finding_get(viewer=newcomer, pk=finding.pk) == finding


def test_a_supervisor_assigns_the_team_on_the_campaign_form(supervisor, inspector, second_inspector, client_for):
    campaign = CampaignFactory(team=[second_inspector])
    data = {"name": campaign.name, "code": campaign.code, "agency": campaign.agency,
            "notice_prefix": campaign.notice_prefix, "starts_on": "2026-04-30", "ends_on": "2026-12-31",
            "status": "active", "team": [inspector.pk], "legal_basis": "", "sampling_rule": "gb2828",
            "aql": "1.0", "detection_rate": "0.05", "detection_confidence": "0.95"}
    client = client_for(supervisor)

    response = client.post(reverse("inspections:campaign_edit", args=[campaign.pk]), data)

    assert response.status_code == 302
    assert list(campaign.team.all()) == [inspector]
    event = AuditEvent.objects.filter(action="campaign.update").latest("pk")
    assert (event.before["team"], event.after["team"]) == ([second_inspector.pk], [inspector.pk])
    detail = client.get(reverse("inspections:campaign_detail", args=[campaign.pk]))
    assert inspector.get_full_name() in detail.content.decode()
    # Only inspectors can be put on a team.
    data["team"] = [supervisor.pk]
    response = client.post(reverse("inspections:campaign_edit", args=[campaign.pk]), data)
    assert response.status_code == 200 and "team" in response.context["form"].errors


def test_the_migration_puts_existing_officers_and_plan_pools_on_the_teams(supervisor, inspector, second_inspector):
    worked = InspectionFactory(officers=[inspector]).campaign
    planned = CampaignFactory()
    make_frame(high=1, medium=1, low=1)
    make_plan(actor=supervisor, campaign=planned, officers=[second_inspector, supervisor])
    author = UserFactory(username="inspector3", role=Role.INSPECTOR)
    written = FindingFactory(created_by=author).campaign
    Campaign.team.through.objects.all().delete()

    migration = importlib.import_module("inspections.migrations.0007_campaign_team")
    migration.assign_existing_officers(apps, None)

    assert list(worked.team.all()) == [inspector]
    assert set(planned.team.all()) == {second_inspector}  # supervisors see every campaign anyway
    assert list(written.team.all()) == [author]


def test_an_officer_of_an_inspection_not_closed_stays_on_the_team(supervisor, inspector, second_inspector,
                                                                   client_for):
    inspection = InspectionFactory(officers=[inspector, supervisor])
    campaign = inspection.campaign
    campaign.team.add(second_inspector)

    with pytest.raises(ValidationError) as refused:
        campaign_services.campaign_update(campaign=campaign, actor=supervisor, fields={}, team=[second_inspector])

    assert "王检查" in str(refused.value.message_dict["team"])
    assert set(campaign.team.all()) == {inspector, second_inspector}
    inspection.status = Inspection.Status.CLOSED
    inspection.save()
    campaign_services.campaign_update(campaign=campaign, actor=supervisor, fields={}, team=[second_inspector])
    assert list(campaign.team.all()) == [second_inspector]


def test_the_plan_wizard_offers_the_team_as_the_officer_pool(supervisor, inspector, second_inspector, client_for):
    campaign = CampaignFactory(team=[second_inspector])
    response = client_for(supervisor).get(reverse("inspections:plan_create", args=[campaign.pk]))
    assert list(response.context["form"].initial["officer_pool"]) == [second_inspector]
    # A campaign without a team offers every officer.
    response = client_for(supervisor).get(reverse("inspections:plan_create", args=[CampaignFactory().pk]))
    assert set(response.context["form"].initial["officer_pool"]) == {inspector, second_inspector, supervisor}


def test_an_inspector_without_a_campaign_is_told_why_the_list_is_empty(inspector, client_for):
    CampaignFactory()
    page = client_for(inspector).get(reverse("inspections:campaign_list")).content.decode()
    assert 'data-testid="no-campaign-assigned"' in page


def test_a_report_answering_two_campaigns_shows_each_inspector_their_own_answers(
    enterprise, enterprise_user, inspector, second_inspector, supervisor, client_for, mailoutbox,
    django_capture_on_commit_callbacks,
):
    ours = notified_finding(enterprise, officers=[inspector], description="本组问题",
                            issue_code=IssueCodeFactory(code="TST-81"))
    theirs = notified_finding(enterprise, officers=[second_inspector], description="他组问题-不可见",
                              issue_code=IssueCodeFactory(code="TST-82"))
    with django_capture_on_commit_callbacks(execute=True):
        report = _submitted_report(enterprise_user, ours, theirs)

    page = client_for(inspector).get(reverse("rectification:report_detail", args=[report.pk]))
    assert "本组问题" in page.content.decode() and "他组问题-不可见" not in page.content.decode()
    listed = client_for(inspector).get(reverse("rectification:report_list")).context["page_obj"]
    assert [r.n_responses for r in listed] == [1]
    # Supervisors see both answers.
    assert "他组问题-不可见" in client_for(supervisor).get(
        reverse("rectification:report_detail", args=[report.pk])).content.decode()
    # Each officer's e-mail names the findings of their own campaign only.
    to_inspector = next(m for m in mailoutbox if inspector.email in m.to)
    assert "TST-81" in to_inspector.body and "TST-82" not in to_inspector.body
    to_second = next(m for m in mailoutbox if second_inspector.email in m.to)
    assert "TST-82" in to_second.body and "TST-81" not in to_second.body


def test_a_deactivated_officer_does_not_lock_the_campaign_form(supervisor, inspector, second_inspector):
    campaign = InspectionFactory(officers=[inspector]).campaign
    inspector.is_active = False
    inspector.save()
    campaign_services.campaign_update(campaign=campaign, actor=supervisor, fields={"name": "改名"},
                             team=[second_inspector])
    campaign.refresh_from_db()
    assert campaign.name == "改名" and list(campaign.team.all()) == [second_inspector]


TEAM_TABLE = Campaign.team.through._meta.db_table


def _team_reads(queries) -> int:
    return sum(1 for q in queries if f'FROM "{TEAM_TABLE}"' in q["sql"])


def test_a_page_reads_the_inspectors_team_once_however_many_scoped_reads(
    elsewhere, second_inspector, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(second_inspector)
    url = reverse("enterprises:detail", args=[elsewhere["inspection"].enterprise_id])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # The enterprise page scopes its inspections, findings, escalations, reports,
    # extensions and notices by the team; each used to read it again.
    assert _team_reads(ctx.captured_queries) == 1
    assert elsewhere["finding"].issue_code_id in response.content.decode()


def test_a_team_changed_during_a_request_is_read_afresh(inspector):
    campaign = CampaignFactory()
    token = selectors.team_memo_open()
    try:
        assert selectors.assigned_campaign_ids(inspector) == []
        campaign.team.add(inspector)
        assert selectors.assigned_campaign_ids(inspector) == [campaign.pk]
    finally:
        selectors.team_memo_close(token)


def test_outside_a_request_every_call_reads_the_team(inspector, django_assert_num_queries):
    campaign = CampaignFactory(team=[inspector])
    with django_assert_num_queries(2):
        assert selectors.assigned_campaign_ids(inspector) == [campaign.pk]
        assert selectors.assigned_campaign_ids(inspector) == [campaign.pk]
