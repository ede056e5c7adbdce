"""
One error path for pages (`core.pages.refusals`, `core.access.require_*`):
a refused step is the user's message, in Chinese, on the page it came from;
a refused form comes back with what was typed; a page or action a role may
not use at all answers 403 naming the rule, alike in every app.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Campaign, Inspection
from rectification import services as rectification_services
from rectification.models import ExtensionStatus
from reports.notices.models import BatchIssue
from selfchecks.models import SelfInspection
from tests.factories import CampaignFactory, InspectionFactory, SampledItemFactory
from tests.rectification.factories import notified_finding, png
from tipoffs import services as tipoff_services
from tipoffs.models import TipStatus

pytestmark = pytest.mark.django_db

SUPERVISORS_ONLY = "只有负责人可以执行此操作。"
EDITORS_ONLY = "只有执法人员和负责人可以执行此操作。"


def _errors(page) -> list[str]:
    """The error messages shown on a page the client followed to."""
    return [str(m) for m in page.context["messages"] if m.level_tag == "error"]


# --- a role may not use the page or action at all: 403 naming the rule ---------------


@pytest.fixture
def extension(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    return rectification_services.extension_request_create(
        finding=finding, actor=enterprise_user, reason="需要时间",
        requested_deadline=finding.deadline + datetime.timedelta(days=10))


def test_a_supervisors_step_is_refused_alike_in_inspections_reports_and_rectification(
    analyst, client_for, extension
):
    campaign = CampaignFactory()
    campaigns = Campaign.objects.count()
    client = client_for(analyst)
    posts = {
        "inspections": (reverse("inspections:campaign_create"), {"name": "分析人员的专项"}),
        "reports": (reverse("reports:notice_batch", args=[campaign.pk]), {}),
        "rectification": (reverse("rectification:extension_detail", args=[extension.pk]),
                          {"approve": "1", "note": "同意"}),
    }
    for app, (url, data) in posts.items():
        response = client.post(url, data)
        assert response.status_code == 403, app
        assert SUPERVISORS_ONLY in response.content.decode(), app
    assert Campaign.objects.count() == campaigns and not BatchIssue.objects.exists()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_an_editors_step_names_its_rule_too(analyst, client_for):
    item = SampledItemFactory()
    response = client_for(analyst).post(reverse("inspections:item_detail", args=[item.pk]),
                                        {"result_EXP-01": "pass"})
    assert response.status_code == 403 and EDITORS_ONLY in response.content.decode()
    assert not item.checks.exists()


def test_a_bulletin_draft_refuses_non_supervisors_as_every_supervisors_page_does(
    inspector, supervisor, client_for
):
    from reports.bulletins.models import Bulletin

    campaign = CampaignFactory(team=[inspector])
    bulletin = Bulletin.objects.create(campaign=campaign, title="典型问题通报", introduction="导语",
                                       closing="要求", agency=campaign.agency, created_by=supervisor)
    response = client_for(inspector).post(reverse("reports:bulletin_detail", args=[bulletin.pk]),
                                          {"title": "改了标题"})
    assert response.status_code == 403 and SUPERVISORS_ONLY in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.title == "典型问题通报"


# --- a step refused while acting: the message, back on the page it came from ---------


def test_a_step_the_role_may_not_take_is_the_message_on_the_inspection(inspector, client_for):
    inspection = InspectionFactory(status=Inspection.Status.COMPLETED, officers=[inspector])
    response = client_for(inspector).post(
        reverse("inspections:inspection_transition", args=[inspection.pk]), {"to": "closed"},
        follow=True)
    assert response.redirect_chain[-1][0] == inspection.get_absolute_url()
    assert _errors(response) == ["只有负责人可以结案。"]
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.COMPLETED


def test_a_refused_batch_is_the_message_on_the_batch_page(supervisor, client_for):
    campaign = CampaignFactory()
    url = reverse("reports:notice_batch", args=[campaign.pk])
    response = client_for(supervisor).post(url, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert _errors(response) == ["该专项行动没有待签发的已审批通知书。"]
    assert not BatchIssue.objects.exists()


def test_a_refused_triage_step_is_the_message_on_the_tip_off(supervisor, client_for):
    tipoff = tipoff_services.tipoff_submit(fields={
        "category": "IMP", "service_name": "某App", "description": "生成图片没有标识"})
    response = client_for(supervisor).post(reverse("tipoffs:decide", args=[tipoff.pk]),
                                           {"to": TipStatus.VALID, "reason": "看着属实"}, follow=True)
    assert response.redirect_chain[-1][0] == tipoff.get_absolute_url()
    errors = _errors(response)
    assert len(errors) == 1 and errors[0].isascii() is False
    tipoff.refresh_from_db()
    assert tipoff.status == TipStatus.RECEIVED


# --- a refused form comes back as typed ------------------------------------------------


def test_a_refused_finding_comes_back_as_typed_with_the_rule(inspector, client_for):
    inspection = InspectionFactory(officers=[inspector])
    response = client_for(inspector).post(
        reverse("inspections:finding_create", args=[inspection.pk]), {
            "issue_code": "EXP-01", "severity": "medium", "description": "我刚写下的问题描述",
            "legal_basis": "", "period": "99", "change_reason": "情节较轻"})
    assert response.status_code == 200
    page = response.content.decode()
    rule = "只有负责人可以设置非默认整改期限。"
    assert "我刚写下的问题描述" in page and "情节较轻" in page and rule in page
    assert _errors(response) == [rule]  # a page of several forms says it at the top too
    assert not inspection.findings.exists()


def test_a_refused_escalation_comes_back_as_typed(supervisor, enterprise, client_for):
    not_yet_due = notified_finding(enterprise)  # an interview waits for the deadline
    response = client_for(supervisor).post(reverse("rectification:escalation_create"), {
        "finding": not_yet_due.pk, "kind": "interview",
        "occurred_on": timezone.localdate().isoformat(), "attendees": "法定代表人",
        "notes": "我写的约谈记录"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "我写的约谈记录" in page and 'class="errors"' in page
    assert not not_yet_due.escalations.exists()


def test_a_refused_launch_comes_back_as_typed(supervisor, client_for):
    campaign = CampaignFactory()
    response = client_for(supervisor).post(
        reverse("selfchecks:launch", args=[campaign.pk]), {
            "title": "我拟定的自查标题", "instructions": "", "remind_days": 3, "scope": "campaign",
            "due_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "我拟定的自查标题" in page and "该范围内没有在营企业。" in page
    assert not SelfInspection.objects.exists()


def test_a_refused_step_on_the_case_page_keeps_the_reason_typed(enterprise, client_for):
    from tests.cases.factories import officer, proposed_case

    team = [officer("王执法"), officer("李执法")]
    case = proposed_case(enterprise, team=team)
    response = client_for(team[0]).post(reverse("cases:case_step", args=[case.pk, "withdraw"]),
                                        {"reason": "我写的不予立案理由"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "我写的不予立案理由" in page and SUPERVISORS_ONLY in page
    assert _errors(response) == [SUPERVISORS_ONLY]
    case.refresh_from_db()
    assert case.status == "proposed"


def test_a_draft_refused_while_saving_comes_back_as_typed(enterprise, enterprise_user, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    finding = notified_finding(enterprise)
    report = rectification_services.report_create(enterprise=enterprise, actor=enterprise_user,
                                                  findings=[finding])
    answer = report.responses.get()
    svg = SimpleUploadedFile("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>'
                             b"alert(1)</script></svg>", content_type="image/png")
    response = client_for(enterprise_user).post(reverse("portal:report_edit", args=[report.pk]), {
        f"r{answer.pk}-measures": "我们已经整改的措施", f"r{answer.pk}-files": [svg, png()],
        "responsible_person": "张总", "contact_person": "", "contact_phone": "",
        "summary": "还没保存的总结", "save": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "我们已经整改的措施" in page and "还没保存的总结" in page
    assert len(_errors(response)) == 1
    assert answer.evidence.count() == 0
