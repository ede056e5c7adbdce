"""
Published inspection results (双随机、一公开): a supervisor publishes a
snapshot of a campaign's finished inspections; anyone reads it without
logging in, and it carries nothing internal.
"""

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent
from inspections.models import FindingStatus, Inspection
from reports.models import PublishedResult, ResultPublication
from reports.publication import selectors, services
from tests.factories import CampaignFactory, EnterpriseFactory, FindingFactory, InspectionFactory

DONE = Inspection.Status.COMPLETED


@pytest.fixture
def campaign(db):
    """Four finished inspections, one per outcome, and two that are not published."""
    campaign = CampaignFactory(name="2026年“清朗·整治AI应用乱象”专项行动")

    def inspected(name, *statuses, status=DONE, **kwargs):
        inspection = InspectionFactory(campaign=campaign, status=status, internal_notes="内部备注-不公开",
                                       enterprise=EnterpriseFactory(name=name), **kwargs)
        for finding_status in statuses:
            FindingFactory(inspection=inspection, status=finding_status, description="内部描述-不公开")
        return inspection

    clean = inspected("甲公司", FindingStatus.WITHDRAWN)  # a withdrawn finding is no problem
    inspected("乙公司", FindingStatus.ACCEPTED, FindingStatus.ACCEPTED)
    inspected("丙公司", FindingStatus.ACCEPTED, FindingStatus.NOTIFIED)
    inspected("丁公司", FindingStatus.ESCALATED, FindingStatus.ACCEPTED, status=Inspection.Status.CLOSED)
    inspected("戊公司", FindingStatus.OPEN, status=Inspection.Status.IN_PROGRESS)  # not finished
    InspectionFactory(campaign=campaign, status=DONE, enterprise=clean.enterprise, follow_up_of=clean)
    return campaign


def outcomes(publication) -> dict[str, tuple[int, str]]:
    return {r.enterprise_name: (r.problems, r.outcome) for r in publication.results.all()}


def test_publishing_snapshots_each_finished_inspection_with_its_outcome(campaign, supervisor):
    assert selectors.campaign_results_summary(campaign=campaign) == {
        "no_problems": 1, "rectified": 1, "rectifying": 1, "overdue": 1}

    publication = services.campaign_results_publish(campaign=campaign, actor=supervisor)

    assert outcomes(publication) == {
        "甲公司": (0, "no_problems"), "乙公司": (2, "rectified"),
        "丙公司": (2, "rectifying"), "丁公司": (2, "overdue")}
    assert publication.inspections == 4 and publication.title == campaign.name
    event = AuditEvent.objects.get(action="campaign.results_publish")
    assert event.after["outcomes"] == {"no_problems": 1, "rectified": 1, "rectifying": 1, "overdue": 1}


def test_publishing_again_replaces_the_snapshot_and_withdrawing_removes_it(campaign, supervisor, client):
    services.campaign_results_publish(campaign=campaign, actor=supervisor)
    campaign.findings.filter(status=FindingStatus.NOTIFIED).update(status=FindingStatus.ACCEPTED)

    publication = services.campaign_results_publish(campaign=campaign, actor=supervisor)

    assert outcomes(publication)["丙公司"] == (2, "rectified")
    assert PublishedResult.objects.count() == 4
    event = AuditEvent.objects.filter(action="campaign.results_publish").latest("pk")
    assert (event.before["outcomes"]["rectifying"], event.after["outcomes"]["rectified"]) == (1, 2)

    services.campaign_results_withdraw(campaign=campaign, actor=supervisor)

    assert not ResultPublication.objects.exists() and not PublishedResult.objects.exists()
    assert client.get(reverse("reports:public_result_detail", args=[campaign.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="campaign.results_withdraw").exists()


def test_only_a_supervisor_publishes_and_only_finished_inspections(campaign, inspector, analyst, supervisor,
                                                                    client_for):
    for user in (inspector, analyst):
        with pytest.raises(ApplicationError):
            services.campaign_results_publish(campaign=campaign, actor=user)
    campaign.team.add(inspector)
    response = client_for(inspector).post(reverse("reports:campaign_publication_publish", args=[campaign.pk]))
    assert response.status_code == 403 and not ResultPublication.objects.exists()
    with pytest.raises(ApplicationError):
        services.campaign_results_publish(campaign=CampaignFactory(), actor=supervisor)


def test_anyone_reads_the_published_results_and_nothing_internal(campaign, supervisor, client,
                                                                 django_assert_max_num_queries):
    services.campaign_results_publish(campaign=campaign, actor=supervisor)

    listing = client.get(reverse("reports:public_results")).content.decode()
    assert campaign.name in listing
    with django_assert_max_num_queries(4):
        response = client.get(reverse("reports:public_result_detail", args=[campaign.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "甲公司" in page and "丁公司" in page and "戊公司" not in page
    assert "内部" not in page
    ding = campaign.inspections.get(enterprise__name="丁公司").enterprise
    found = client.get(reverse("reports:public_result_detail", args=[campaign.pk]), {"q": ding.uscc.lower()})
    assert [r.enterprise_name for r in found.context["page_obj"]] == ["丁公司"]
    overdue = client.get(reverse("reports:public_result_detail", args=[campaign.pk]), {"outcome": "overdue"})
    assert [r.enterprise_name for r in overdue.context["page_obj"]] == ["丁公司"]


def test_an_unpublished_campaign_is_404_in_public_and_its_staff_page_shows_what_would_go_out(
    campaign, supervisor, client, client_for
):
    assert client.get(reverse("reports:public_result_detail", args=[campaign.pk])).status_code == 404
    page = client_for(supervisor).get(reverse("reports:campaign_publication", args=[campaign.pk]))
    assert page.status_code == 200 and page.context["publication"] is None
    assert [n for _value, _label, n in page.context["pending"]] == [1, 1, 1, 1]

    client_for(supervisor).post(reverse("reports:campaign_publication_publish", args=[campaign.pk]))
    assert ResultPublication.objects.get().inspections == 4


def test_the_staff_page_follows_the_campaign_scope(campaign, inspector, enterprise_user, client_for):
    url = reverse("reports:campaign_publication", args=[campaign.pk])
    assert client_for(inspector).get(url).status_code == 404  # not on the campaign's team
    assert client_for(enterprise_user).get(url).status_code == 404
    campaign.team.add(inspector)
    assert client_for(inspector).get(url).status_code == 200


def test_an_inspection_with_a_finding_not_notified_yet_waits(campaign, supervisor, client_for):
    # Finished, but one finding is still an internal draft the enterprise has not seen.
    waiting = InspectionFactory(campaign=campaign, status=DONE, enterprise=EnterpriseFactory(name="己公司"))
    FindingFactory(inspection=waiting, status=FindingStatus.OPEN)

    publication = services.campaign_results_publish(campaign=campaign, actor=supervisor)

    assert "己公司" not in outcomes(publication)
    page = client_for(supervisor).get(reverse("reports:campaign_publication", args=[campaign.pk]))
    assert page.context["held_back"] == 1 and 'data-testid="held-back"' in page.content.decode()
