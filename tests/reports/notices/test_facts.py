"""A notice's facts come from the record: counts and dates as done, never as planned."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from enterprises.models import Modality
from inspections.models import Inspection, InspectionService, SamplingRule
from inspections.services import inspections as inspection_services
from reports.models import Notice, NoticeStatus
from reports.notices import services
from tests.factories import (
    CampaignFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    IssueCodeFactory,
    SampledItemFactory,
    ServiceFactory,
)

TZ = timezone.get_current_timezone()


def _inspection(officers, *, status=Inspection.Status.COMPLETED):
    """An inspection planned for 2026-11-20 (n = 66) that ran 11-02 to 11-04 and sampled 3 items."""
    enterprise = EnterpriseFactory()
    inspection = InspectionFactory(
        enterprise=enterprise, campaign=CampaignFactory(), officers=list(officers), status=status,
        planned_date=datetime.date(2026, 11, 20),
        started_at=datetime.datetime(2026, 11, 2, 9, tzinfo=TZ),
        completed_at=datetime.datetime(2026, 11, 4, 17, tzinfo=TZ)
        if status == Inspection.Status.COMPLETED else None,
    )
    service = ServiceFactory(enterprise=enterprise, name="星河AI助手")
    InspectionService.objects.create(inspection=inspection, service=service, lot_size=5000,
                                     rule=SamplingRule.GB2828, code_letter="L", plan_letter="L",
                                     sample_size=66)
    captured = datetime.datetime(2026, 11, 3, 10, tzinfo=TZ)
    items = [
        SampledItemFactory(inspection=inspection, service=service, modality=Modality.IMAGE,
                           captured_at=captured, checks_completed_at=captured),
        SampledItemFactory(inspection=inspection, service=service, modality=Modality.IMAGE,
                           captured_at=captured, checks_completed_at=captured),
        SampledItemFactory(inspection=inspection, service=service, modality=Modality.VIDEO,
                           captured_at=captured, checks_completed_at=None),
    ]
    code = IssueCodeFactory(code="IMP-01", category="IMP", title_zh="未添加隐式标识",
                            legal_basis="《人工智能生成合成内容标识办法》第五条")
    finding = FindingFactory(inspection=inspection, issue_code=code, created_by=officers[0],
                             description="抽检的2个图片文件未添加隐式标识")
    finding.evidence_items.set(items[:2])
    return inspection, finding


def _draft(inspection, finding, actor):
    return services.notice_create(enterprise=inspection.enterprise, campaign=inspection.campaign,
                                  findings=[finding], actor=actor)


@pytest.mark.django_db
def test_facts_state_recorded_items_days_and_officers_not_the_plan(inspector):
    inspection, finding = _inspection([inspector])
    notice = _draft(inspection, finding, inspector)
    opening = notice.facts.splitlines()[0]
    assert "2026年11月2日至11月4日" in opening
    assert "抽取内容样本3条" in opening and "其中完成全部检查项的2条" in opening
    assert "“星河AI助手”：图片2条、视频1条（其中完成检查0条）" in opening
    assert "执法人员王检查" in opening
    # The planned sample size and date appear nowhere (evidence URLs carry ids, so look for the count).
    assert not re.search(r"(?<![\d/])66条", notice.facts) and "11月20日" not in notice.facts


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Inspection.Status.DUE, Inspection.Status.IN_PROGRESS])
def test_drafting_from_an_unfinished_inspection_is_refused_and_says_how(inspector, status):
    inspection, finding = _inspection([inspector], status=status)
    with pytest.raises(ApplicationError) as error:
        _draft(inspection, finding, inspector)
    assert "Completed" in error.value.message or "已完成" in error.value.message
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_drafting_page_refuses_an_unfinished_inspection_in_chinese(inspector, client_for):
    inspection, finding = _inspection([inspector], status=Inspection.Status.IN_PROGRESS)
    response = client_for(inspector).post(reverse("reports:notice_create"), {
        "campaign": inspection.campaign_id, "enterprise": inspection.enterprise_id,
        "findings": [finding.pk]}, follow=True)
    assert response.status_code == 200
    assert "尚未完成" in response.content.decode() or "不是已完成" in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("edit", [
    "经抽样检查66条内容样本，发现以下问题：",  # the planned sample size
    "我办于2026年11月20日开展了检查。",  # the planned date
    "经检查，抽取内容样本13条。",  # a number the record does not hold
])
def test_approval_is_refused_while_the_facts_contradict_the_record(inspector, supervisor, client_for, edit):
    inspection, finding = _inspection([inspector])
    notice = _draft(inspection, finding, inspector)
    lines = notice.facts.splitlines()
    services.notice_update(notice=notice, actor=inspector, data={"facts": "\n".join([edit, *lines[1:]])})
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=notice, actor=supervisor)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    # The draft page shows the recorded figures and what contradicts them.
    page = client_for(supervisor).get(reverse("reports:notice_detail", args=[notice.pk])).content.decode()
    assert 'data-testid="record-problems"' in page
    assert 'data-testid="record-sampled">3<' in page and 'data-testid="record-checked">2<' in page
    # Put back to the record's words: approval goes through.
    services.notice_update(notice=notice, actor=inspector, data={"facts": "\n".join(lines)})
    assert services.notice_approve(notice=notice, actor=supervisor).status == NoticeStatus.APPROVED


@pytest.mark.django_db
def test_edit_page_shows_the_record_beside_the_text(inspector, client_for):
    inspection, finding = _inspection([inspector])
    notice = _draft(inspection, finding, inspector)
    page = client_for(inspector).get(reverse("reports:notice_edit", args=[notice.pk])).content.decode()
    assert 'data-testid="notice-record"' in page and 'data-testid="record-agrees"' in page
    assert "2026-11-02 – 2026-11-04" in page


@pytest.mark.django_db
def test_approval_is_refused_when_the_inspection_was_reopened(inspector, supervisor):
    inspection, finding = _inspection([inspector])
    notice = _draft(inspection, finding, inspector)
    inspection_services.inspection_transition(inspection=inspection, to_status=Inspection.Status.IN_PROGRESS,
                                              actor=inspector)
    with pytest.raises(ApplicationError):
        services.notice_approve(notice=notice, actor=supervisor)
