"""Targeted inspections: opened with a reason, drawn rules apply, counted apart, never published as 双随机."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from core.exceptions import ApplicationError
from core.models import AuditEvent
from inspections.models import Inspection, InspectionService, OfficerConflict
from inspections.services import targeted
from reports.publication import services as services_publication
from tests.factories import (
    CampaignFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    ServiceFactory,
)


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese, whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield

TODAY = timezone.localdate


def _open(actor, officers, enterprise, campaign=None, **kwargs):
    data = {"campaign": campaign or CampaignFactory(), "enterprise": enterprise, "basis": "decision",
            "reason": "媒体报道该企业AI换脸功能未标识", "officers": officers, "planned_date": TODAY(),
            "method": "remote", "actor": actor}
    data.update(kwargs)
    return targeted.targeted_open(**data)


def test_a_supervisor_opens_a_targeted_inspection_with_its_reason_and_samples(
    supervisor, inspector, second_inspector, enterprise
):
    ServiceFactory(enterprise=enterprise, monthly_aigc_volume=1000)
    inspection = _open(supervisor, [inspector, second_inspector], enterprise)
    assert inspection.origin == "targeted" and inspection.target_basis == "decision"
    assert inspection.target_reason == "媒体报道该企业AI换脸功能未标识"
    assert set(inspection.officers.all()) == {inspector, second_inspector}
    sampled = InspectionService.objects.get(inspection=inspection)
    assert sampled.sample_size > 0 and sampled.lot_size == 1000 * 8
    assert AuditEvent.objects.get(action="inspection.create", object_id=str(inspection.pk)).note


def test_the_drawn_inspections_rules_apply(supervisor, inspector, second_inspector, enterprise):
    with pytest.raises(PermissionDenied):
        _open(inspector, [inspector, second_inspector], enterprise)
    with pytest.raises(ApplicationError):
        _open(supervisor, [inspector], enterprise)
    with pytest.raises(ApplicationError):
        _open(supervisor, [inspector, second_inspector], enterprise, reason="  ")
    with pytest.raises(ApplicationError):
        _open(supervisor, [inspector, second_inspector], enterprise,
              planned_date=TODAY() - datetime.timedelta(days=1))
    OfficerConflict.objects.create(officer=inspector, enterprise=enterprise, reason="回避")
    with pytest.raises(ApplicationError, match="王检查"):
        _open(supervisor, [inspector, second_inspector], enterprise)
    assert not Inspection.objects.exists()


def test_the_page_opens_one_and_shows_why(supervisor, inspector, second_inspector, enterprise, client_for):
    campaign = CampaignFactory()
    url = reverse("inspections:targeted_create", args=[campaign.pk])
    client = client_for(supervisor)
    assert client.get(url).status_code == 200
    data = {"enterprise": enterprise.uscc, "basis": "referral", "reason": "公安机关移送线索",
            "officers": [inspector.pk, second_inspector.pk], "planned_date": TODAY().isoformat(),
            "method": "remote"}
    response = client.post(url, {**data, "enterprise": "无此企业"})
    assert response.status_code == 200 and "公安机关移送线索" in response.content.decode()
    response = client.post(url, data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "定向检查" in page and "公安机关移送线索" in page
    assert client_for(inspector).get(url).status_code == 403


def test_targeted_inspections_are_counted_apart_and_never_published_as_random(
    supervisor, inspector, second_inspector, client_for
):
    campaign = CampaignFactory()
    drawn = InspectionFactory(campaign=campaign, status=Inspection.Status.COMPLETED,
                              enterprise=EnterpriseFactory(name="随机抽中公司"))
    aimed = _open(supervisor, [inspector, second_inspector], EnterpriseFactory(name="被举报公司"),
                  campaign=campaign)
    Inspection.objects.filter(pk=aimed.pk).update(status=Inspection.Status.COMPLETED)
    FindingFactory(inspection=aimed, status="accepted")
    publication = services_publication.campaign_results_publish(campaign=campaign, actor=supervisor)
    assert [r.enterprise_name for r in publication.results.all()] == ["随机抽中公司"]
    assert drawn.origin == "random"

    page = client_for(supervisor).get(campaign.get_absolute_url()).content.decode()
    table = page.split('data-testid="by-origin"')[1].split("</table>")[0]
    random_row = table.split('data-origin="random"')[1].split("</tr>")[0]
    targeted_row = table.split('data-origin="targeted"')[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in random_row.split('class="num">')[1:]] == ["1", "1", "0"]
    assert [c.split("<")[0] for c in targeted_row.split('class="num">')[1:]] == ["1", "1", "1"]
