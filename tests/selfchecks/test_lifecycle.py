"""The self-inspection from launch to review: checklists, answers, evidence, submission, review."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Notification
from inspections.models import OfficerConflict
from selfchecks import services
from selfchecks.models import Answer, ReportStatus, Scope, SelfReport
from tests.factories import CampaignFactory, EnterpriseFactory, ServiceFactory
from tests.rectification.factories import pdf, upload

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def test_the_checklist_holds_the_codes_that_apply_to_the_roles_and_modalities(report):
    codes = set(report.items.values_list("issue_code_id", flat=True))
    # A generation provider offering images: explicit and implicit labels,
    # the image rule, but not text, audio or video rules, nor a platform's.
    assert {"EXP-01", "EXP-04", "IMP-01", "AGR-01"} <= codes
    assert not codes & {"EXP-03", "EXP-05", "EXP-06", "PLT-01", "APP-01"}


def test_a_filter_scope_takes_the_enterprises_the_filter_selects(campaign, supervisor):
    platform = EnterpriseFactory(is_generation_provider=False, is_dissemination_platform=True)
    ServiceFactory(enterprise=platform)
    EnterpriseFactory(is_generation_provider=True)
    launch = services.selfinspection_launch(
        campaign=campaign, actor=supervisor, title="平台自查", scope=Scope.FILTER,
        filters={"roles": ["dissemination_platform"]},
        due_date=timezone.localdate() + datetime.timedelta(days=5))
    report = launch.reports.get()
    assert report.enterprise == platform
    assert report.items.filter(issue_code_id="PLT-01").exists()
    assert AuditEvent.objects.filter(action="selfinspection.launch", object_id=str(launch.pk)).exists()


def test_only_a_supervisor_launches_and_the_due_date_lies_ahead(campaign, inspector, supervisor, generator):
    due = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(ApplicationError):
        services.selfinspection_launch(campaign=campaign, actor=inspector, title="自查",
                                       scope=Scope.FILTER, due_date=due)
    with pytest.raises(ApplicationError, match="after today"):
        services.selfinspection_launch(campaign=campaign, actor=supervisor, title="自查",
                                       scope=Scope.FILTER, due_date=timezone.localdate())
    with pytest.raises(ApplicationError, match="No active enterprise"):
        services.selfinspection_launch(campaign=CampaignFactory(), actor=supervisor, title="自查",
                                       scope=Scope.CAMPAIGN, due_date=due)


def test_the_enterprise_is_told_when_a_self_inspection_is_launched(report, enterprise_user):
    note = Notification.objects.get(recipient=enterprise_user, kind="selfcheck_launched")
    assert "标识合规自查" in note.subject
    assert note.url.endswith(f"/self-inspections/{report.pk}/edit/")


def test_submission_needs_every_answer_and_a_plan_for_what_is_not_compliant(report, enterprise_user):
    with pytest.raises(ApplicationError) as refused:
        services.report_submit(report=report, actor=enterprise_user)
    assert "EXP-01" in refused.value.message
    item = report.items.get(issue_code_id="IMP-01")
    answer_all(report, enterprise_user, overrides={item.pk: {"answer": Answer.NONCOMPLIANT}})
    with pytest.raises(ApplicationError, match="IMP-01 is not compliant"):
        services.report_submit(report=report, actor=enterprise_user)
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="before it starts"):
        answer_all(report, enterprise_user, overrides={item.pk: {
            "answer": Answer.NONCOMPLIANT, "plan_measures": "补写元数据",
            "plan_start": today, "plan_due": today - datetime.timedelta(days=1)}})
    answer_all(report, enterprise_user, overrides={item.pk: {
        "answer": Answer.NONCOMPLIANT, "plan_measures": "补写元数据", "plan_start": today,
        "plan_due": today + datetime.timedelta(days=20)}})
    services.report_submit(report=report, actor=enterprise_user)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == enterprise_user
    # Locked: no more changes, and a second submit does nothing twice.
    with pytest.raises(ApplicationError, match="locked"):
        answer_all(report, enterprise_user)
    services.report_submit(report=report, actor=enterprise_user)
    assert AuditEvent.objects.filter(action="selfreport.submitted", object_id=str(report.pk)).count() == 1
    assert Notification.objects.filter(kind="selfcheck_submitted", recipient=report.self_inspection.launched_by).count() == 1


def test_evidence_is_checked_by_its_content(report, enterprise_user):
    item = report.items.first()
    evidence = services.evidence_add(item=item, actor=enterprise_user, uploaded=pdf("自查记录.pdf"))
    assert evidence.content_type == "application/pdf" and len(evidence.sha256) == 64
    with pytest.raises(ApplicationError, match="not an accepted"):
        services.evidence_add(item=item, actor=enterprise_user,
                              uploaded=upload("截图.png", b"<html><script>alert(1)</script></html>"))
    services.evidence_remove(evidence=evidence, actor=enterprise_user)
    assert not item.evidence.exists()


def test_another_enterprise_cannot_answer(report, other_enterprise_user):
    with pytest.raises(ApplicationError):
        answer_all(report, other_enterprise_user)


def test_review_asks_for_changes_then_accepts_the_resubmission(report, enterprise_user, inspector):
    answer_all(report, enterprise_user)
    services.report_submit(report=report, actor=enterprise_user)
    item = report.items.get(issue_code_id="EXP-01")
    with pytest.raises(ApplicationError, match="must change"):
        services.report_review(report=report, actor=inspector, accept=False,
                               resubmit_by=timezone.localdate() + datetime.timedelta(days=5))
    resubmit_by = timezone.localdate() + datetime.timedelta(days=5)
    services.report_review(report=report, actor=inspector, accept=False, comment="请补充截图",
                           item_comments={item.pk: "缺少图片角标截图"}, resubmit_by=resubmit_by)
    report.refresh_from_db()
    item.refresh_from_db()
    assert report.status == ReportStatus.CHANGES_REQUESTED and report.due_date == resubmit_by
    assert item.reviewer_comment == "缺少图片角标截图"
    assert mail.outbox or Notification.objects.filter(recipient=enterprise_user, kind="selfcheck_reviewed").exists()
    answer_all(report, enterprise_user)  # editable again
    services.report_submit(report=report, actor=enterprise_user)
    services.report_review(report=report, actor=inspector, accept=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert list(AuditEvent.objects.filter(object_id=str(report.pk), object_type="selfchecks.selfreport")
                .order_by("pk").values_list("action", flat=True))[-4:] == [
        "selfreport.submitted", "selfreport.changes_requested", "selfreport.submitted",
        "selfreport.accepted"]


def test_an_inspector_off_the_campaign_and_an_analyst_do_not_review(report, enterprise_user, analyst,
                                                                    second_inspector):
    answer_all(report, enterprise_user)
    services.report_submit(report=report, actor=enterprise_user)
    for actor in (analyst, second_inspector):
        with pytest.raises(ApplicationError):
            services.report_review(report=report, actor=actor, accept=True)
    assert SelfReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_officer_who_must_stand_down_does_not_review(report, enterprise_user, inspector):
    answer_all(report, enterprise_user)
    services.report_submit(report=report, actor=enterprise_user)
    OfficerConflict.objects.create(officer=inspector, enterprise=report.enterprise, reason="近亲属在该企业任职")
    with pytest.raises(ApplicationError):
        services.report_review(report=report, actor=inspector, accept=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewed_by is None
