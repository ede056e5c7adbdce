import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from core.exceptions import ApplicationError, IllegalTransition
from core.models import AuditEvent, Notification
from inspections import sampling
from inspections.models import Finding, FindingStatus, Inspection
from inspections.services.findings import finding_transition
from rectification import selectors, services
from rectification.models import (
    Decision,
    Escalation,
    EscalationKind,
    ExtensionStatus,
    ReportStatus,
)
from tests.factories import ServiceFactory
from tests.rectification.factories import notified_finding, pdf, png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(enterprise, inspector, second_inspector):
    return notified_finding(enterprise, officers=[inspector, second_inspector])


def _complete(report, user, finding_or_response=None):
    services.report_update(report=report, actor=user, responsible_person="张总",
                           declaration=True)
    for response in report.responses.all():
        services.response_update(response=response, actor=user, measures="已为全部图片添加显式标识",
                                 long_term_measures="上线前自动检测", completed_on=timezone.localdate())
    return report


def _submitted_report(enterprise_user, findings):
    report = services.report_create(enterprise=enterprise_user.enterprise, actor=enterprise_user,
                                    findings=findings)
    _complete(report, enterprise_user)
    return services.report_submit(report=report, actor=enterprise_user)


class TestReportLifecycle:
    def test_it_creates_a_draft_with_one_response_per_finding(self, enterprise_user, finding):
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        assert report.status == ReportStatus.DRAFT
        assert report.version == 1
        assert list(report.responses.values_list("finding_id", flat=True)) == [finding.pk]
        assert AuditEvent.objects.filter(action="report.create", object_id=str(report.pk)).exists()

    def test_it_refuses_findings_of_another_enterprise_or_not_notified(
        self, enterprise_user, other_enterprise, enterprise
    ):
        foreign = notified_finding(other_enterprise)
        internal = notified_finding(enterprise, status=FindingStatus.OPEN)
        for findings in ([foreign], [internal]):
            with pytest.raises(ApplicationError):
                services.report_create(enterprise=enterprise_user.enterprise,
                                       actor=enterprise_user, findings=findings)

    def test_a_finding_is_in_one_active_report_only(self, enterprise_user, finding):
        services.report_create(enterprise=enterprise_user.enterprise, actor=enterprise_user,
                               findings=[finding])
        with pytest.raises(ApplicationError):
            services.report_create(enterprise=enterprise_user.enterprise, actor=enterprise_user,
                                   findings=[finding])

    def test_submit_requires_complete_answers_and_declaration(self, enterprise_user, finding):
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        with pytest.raises(ApplicationError) as exc:
            services.report_submit(report=report, actor=enterprise_user)
        assert len(exc.value.extra["problems"]) == 3
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT

    def test_submit_locks_the_report_and_moves_findings(
        self, enterprise_user, finding, inspector, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            report = _submitted_report(enterprise_user, [finding])
        finding.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED and report.is_locked
        assert report.submitted_by == enterprise_user
        assert finding.status == FindingStatus.REPORT_SUBMITTED
        response = report.responses.get()
        with pytest.raises(ApplicationError):
            services.report_update(report=report, actor=enterprise_user, summary="改")
        with pytest.raises(ApplicationError):
            services.response_update(response=response, actor=enterprise_user, measures="改",
                                     long_term_measures="", completed_on=None)
        with pytest.raises(ApplicationError):
            services.evidence_add(response=response, actor=enterprise_user, uploaded=png())
        with pytest.raises(IllegalTransition):
            services.report_submit(report=report, actor=enterprise_user)
        # The officers of the inspection are told, once.
        assert Notification.objects.filter(kind="report_submitted", recipient=inspector).count() == 1
        assert any(inspector.email in m.to for m in mail.outbox)

    def test_review_of_a_draft_is_refused(self, enterprise_user, finding, inspector):
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        with pytest.raises(ApplicationError):
            services.response_decide(response=report.responses.get(), actor=inspector,
                                     decision=Decision.ACCEPTED)

    def test_enterprise_and_analyst_cannot_decide(self, enterprise_user, finding, analyst):
        report = _submitted_report(enterprise_user, [finding])
        for actor in (enterprise_user, analyst):
            with pytest.raises(ApplicationError):
                services.response_decide(response=report.responses.get(), actor=actor,
                                         decision=Decision.ACCEPTED)

    def test_changes_requested_then_new_version_then_accepted(
        self, enterprise_user, enterprise, finding, inspector, django_capture_on_commit_callbacks
    ):
        other = notified_finding(enterprise, officers=[inspector])
        v1 = _submitted_report(enterprise_user, [finding, other])
        response = v1.responses.get(finding=finding)
        with pytest.raises(ApplicationError):  # a comment is required
            services.response_decide(response=response, actor=inspector,
                                     decision=Decision.CHANGES_REQUESTED)
        with django_capture_on_commit_callbacks(execute=True):
            services.response_decide(response=response, actor=inspector,
                                     decision=Decision.CHANGES_REQUESTED,
                                     comment="请补充整改后的截图", internal_note="企业态度一般")
            services.response_decide(response=v1.responses.get(finding=other), actor=inspector,
                                     decision=Decision.ACCEPTED)
        v1.refresh_from_db()
        finding.refresh_from_db()
        other.refresh_from_db()
        assert v1.status == ReportStatus.CHANGES_REQUESTED
        assert finding.status == FindingStatus.CHANGES_REQUESTED
        assert other.status == FindingStatus.ACCEPTED and other.closed_at is not None
        assert Notification.objects.filter(kind="changes_requested",
                                           recipient=enterprise_user).count() == 1
        changes_mail = [m for m in mail.outbox if enterprise_user.email in m.to]
        assert len(changes_mail) == 1 and "请补充整改后的截图" in changes_mail[0].body
        # A decided response cannot be decided again; a returned report cannot be reviewed.
        with pytest.raises(ApplicationError):
            services.response_decide(response=response, actor=inspector,
                                     decision=Decision.ACCEPTED)

        v2 = services.report_start_next_version(report=v1, actor=enterprise_user)
        assert v2.version == 2 and v2.previous == v1 and v2.status == ReportStatus.DRAFT
        # Only the response to revise is copied, with its answers.
        copied = v2.responses.get()
        assert copied.finding == finding and copied.measures == "已为全部图片添加显式标识"
        with pytest.raises(ApplicationError):  # only one next version
            services.report_start_next_version(report=v1, actor=enterprise_user)
        services.evidence_add(response=copied, actor=enterprise_user, uploaded=png())
        with pytest.raises(ApplicationError):  # each version is declared anew
            services.report_submit(report=v2, actor=enterprise_user)
        services.report_update(report=v2, actor=enterprise_user, declaration=True)
        services.report_submit(report=v2, actor=enterprise_user)
        finding.refresh_from_db()
        assert finding.status == FindingStatus.REPORT_SUBMITTED
        with django_capture_on_commit_callbacks(execute=True):
            services.response_decide(response=copied, actor=inspector, decision=Decision.ACCEPTED)
        v2.refresh_from_db()
        finding.refresh_from_db()
        assert v2.status == ReportStatus.ACCEPTED
        assert finding.status == FindingStatus.ACCEPTED
        # Every version is kept and viewable.
        assert [r.version for r in selectors.report_versions(report=v2)] == [1, 2]
        assert [r.version for r in selectors.report_versions(report=v1)] == [1, 2]
        v1.refresh_from_db()
        assert v1.status == ReportStatus.CHANGES_REQUESTED
        with pytest.raises(ApplicationError):
            services.report_start_next_version(report=v2, actor=enterprise_user)

    def test_next_version_only_after_changes_requested(self, enterprise_user, finding):
        report = _submitted_report(enterprise_user, [finding])
        with pytest.raises(ApplicationError):
            services.report_start_next_version(report=report, actor=enterprise_user)


class TestEvidence:
    def test_it_stores_under_a_generated_name_with_hash(self, enterprise_user, finding):
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        evidence = services.evidence_add(response=report.responses.get(), actor=enterprise_user,
                                         uploaded=pdf("../../etc/整改说明.pdf"))
        assert evidence.original_name == "整改说明.pdf"
        assert evidence.file.name.startswith("rectification/")
        assert "整改" not in evidence.file.name and evidence.file.name.endswith(".pdf")
        assert len(evidence.sha256) == 64 and evidence.content_type == "application/pdf"

    def test_it_refuses_hostile_uploads(self, enterprise_user, finding, settings):
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        response = report.responses.get()
        hostile = [
            upload("evidence.pdf", b"<html><script>alert(document.cookie)</script></html>"),
            upload("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'),
            upload("photo.png", b"MZ\x90\x00\x03\x00\x00\x00"),
        ]
        for uploaded in hostile:
            with pytest.raises(ApplicationError):
                services.evidence_add(response=response, actor=enterprise_user, uploaded=uploaded)
        settings.UPLOAD_MAX_BYTES = 50
        with pytest.raises(ApplicationError, match="50"):
            services.evidence_add(response=response, actor=enterprise_user, uploaded=png())
        assert response.evidence.count() == 0

    def test_it_limits_the_number_of_files(self, enterprise_user, finding, settings):
        settings.UPLOAD_MAX_FILES = 2
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        response = report.responses.get()
        for _ in range(2):
            services.evidence_add(response=response, actor=enterprise_user, uploaded=png())
        with pytest.raises(ApplicationError):
            services.evidence_add(response=response, actor=enterprise_user, uploaded=png())

    def test_removing_from_a_draft_keeps_files_used_by_earlier_versions(
        self, enterprise_user, finding, inspector, django_capture_on_commit_callbacks
    ):
        report = services.report_create(enterprise=enterprise_user.enterprise,
                                        actor=enterprise_user, findings=[finding])
        evidence = services.evidence_add(response=report.responses.get(), actor=enterprise_user,
                                         uploaded=png())
        _complete(report, enterprise_user)
        services.report_submit(report=report, actor=enterprise_user)
        services.response_decide(response=report.responses.get(), actor=inspector,
                                 decision=Decision.CHANGES_REQUESTED, comment="补充")
        v2 = services.report_start_next_version(report=report, actor=enterprise_user)
        copy = v2.responses.get().evidence.get()
        with django_capture_on_commit_callbacks(execute=True):
            services.evidence_remove(evidence=copy, actor=enterprise_user)
        assert evidence.file.storage.exists(evidence.file.name)


class TestReverification:
    def test_it_plans_a_follow_up_with_fresh_samples(
        self, enterprise_user, enterprise, finding, inspector, second_inspector
    ):
        service = ServiceFactory(enterprise=enterprise, monthly_aigc_volume=5000)
        finding.inspection.sampled_services.create(
            service=service, lot_size=100, rule="gb2828", sample_size=20)
        report = _submitted_report(enterprise_user, [finding])
        response = report.responses.get()
        planned = timezone.localdate() + datetime.timedelta(days=7)
        with pytest.raises(ApplicationError):  # two officers at least
            services.response_order_reverification(response=response, actor=inspector,
                                                    planned_date=planned, officers=[inspector],
                                                    method="remote")
        follow_up = services.response_order_reverification(
            response=response, actor=inspector, planned_date=planned,
            officers=[inspector, second_inspector], method="remote")
        assert follow_up.follow_up_of == finding.inspection
        assert follow_up.status == Inspection.Status.PLANNED
        sampled = follow_up.sampled_services.get()
        # The same lot as the plan's: the monthly volume over the campaign's months.
        campaign = finding.inspection.campaign
        assert sampled.lot_size == 5000 * campaign.months
        plan = sampling.gb2828_plan(5000 * campaign.months, campaign.aql)
        assert (sampled.code_letter, sampled.sample_size) == (plan.code_letter, plan.sample_size)
        assert (sampled.accept_number, sampled.reject_number) == (plan.accept, plan.reject)
        response.refresh_from_db()
        assert response.reverification == follow_up and response.decision == Decision.PENDING
        with pytest.raises(ApplicationError):
            services.response_order_reverification(
                response=response, actor=inspector, planned_date=planned,
                officers=[inspector, second_inspector], method="remote")


class TestExtensions:
    def test_approval_moves_the_deadline_and_keeps_history(
        self, enterprise_user, finding, supervisor, django_capture_on_commit_callbacks
    ):
        old = finding.deadline
        new = old + datetime.timedelta(days=14)
        extension = services.extension_request_create(
            finding=finding, actor=enterprise_user, reason="需要重新训练模型", requested_deadline=new)
        assert extension.status == ExtensionStatus.PENDING and extension.previous_deadline == old
        finding.refresh_from_db()
        assert finding.deadline == old  # not before approval
        with django_capture_on_commit_callbacks(execute=True):
            services.extension_decide(extension=extension, actor=supervisor, approve=True)
        finding.refresh_from_db()
        extension.refresh_from_db()
        assert finding.deadline == new
        assert extension.status == ExtensionStatus.APPROVED and extension.decided_by == supervisor
        assert AuditEvent.objects.filter(action="finding.deadline", object_id=str(finding.pk)).exists()
        assert len([m for m in mail.outbox if enterprise_user.email in m.to]) == 1
        with pytest.raises(IllegalTransition):
            services.extension_decide(extension=extension, actor=supervisor, approve=False,
                                      note="不")

    def test_denial_keeps_the_deadline(self, enterprise_user, finding, supervisor):
        old = finding.deadline
        extension = services.extension_request_create(
            finding=finding, actor=enterprise_user, reason="人手不足",
            requested_deadline=old + datetime.timedelta(days=5))
        with pytest.raises(ApplicationError):  # a reason is owed to the enterprise
            services.extension_decide(extension=extension, actor=supervisor, approve=False)
        services.extension_decide(extension=extension, actor=supervisor, approve=False,
                                  note="理由不充分")
        finding.refresh_from_db()
        extension.refresh_from_db()
        assert finding.deadline == old and extension.status == ExtensionStatus.DENIED
        # A new request may follow a decided one; history keeps both.
        services.extension_request_create(finding=finding, actor=enterprise_user, reason="再次申请",
                                          requested_deadline=old + datetime.timedelta(days=3))
        assert finding.extension_requests.count() == 2

    def test_only_a_supervisor_decides(self, enterprise_user, finding, inspector):
        extension = services.extension_request_create(
            finding=finding, actor=enterprise_user, reason="原因",
            requested_deadline=finding.deadline + datetime.timedelta(days=5))
        with pytest.raises(ApplicationError):
            services.extension_decide(extension=extension, actor=inspector, approve=True)

    def test_invalid_requests_are_refused(self, enterprise_user, other_enterprise_user, finding):
        later = finding.deadline + datetime.timedelta(days=5)
        with pytest.raises(ApplicationError):
            services.extension_request_create(finding=finding, actor=enterprise_user, reason="x",
                                              requested_deadline=finding.deadline)
        with pytest.raises(ApplicationError):
            services.extension_request_create(finding=finding, actor=other_enterprise_user,
                                              reason="x", requested_deadline=later)
        services.extension_request_create(finding=finding, actor=enterprise_user, reason="x",
                                          requested_deadline=later)
        with pytest.raises(ApplicationError):  # one pending at a time
            services.extension_request_create(finding=finding, actor=enterprise_user, reason="y",
                                              requested_deadline=later)

    def test_withdraw(self, enterprise_user, finding, supervisor):
        extension = services.extension_request_create(
            finding=finding, actor=enterprise_user, reason="原因",
            requested_deadline=finding.deadline + datetime.timedelta(days=5))
        services.extension_withdraw(extension=extension, actor=enterprise_user)
        extension.refresh_from_db()
        assert extension.status == ExtensionStatus.WITHDRAWN
        with pytest.raises(IllegalTransition):
            services.extension_decide(extension=extension, actor=supervisor, approve=True)


class TestEscalation:
    def test_reminder_is_recorded_and_sent_once(
        self, enterprise, enterprise_user, django_capture_on_commit_callbacks
    ):
        finding = notified_finding(enterprise, status=FindingStatus.OVERDUE, days=-5)
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                assert services.escalation_remind_overdue() in (0, 1)
                services.escalation_record_reminder(finding=finding)
        assert Escalation.objects.filter(finding=finding, kind=EscalationKind.REMINDER).count() == 1
        assert Notification.objects.filter(kind="overdue", recipient=enterprise_user).count() == 1
        assert len(mail.outbox) == 1

    def test_an_interview_is_recorded_and_a_penalty_is_refused(self, enterprise, supervisor, inspector):
        finding = notified_finding(enterprise, status=FindingStatus.OVERDUE, days=-5)
        today = timezone.localdate()
        with pytest.raises(ApplicationError):  # only supervisors
            services.escalation_record(enterprise=enterprise, finding=finding, actor=inspector,
                                       kind=EscalationKind.INTERVIEW, occurred_on=today,
                                       attendees="张总")
        # A warning or a fine is a penalty: only through an administrative case,
        # with or without an interview before it.
        for kind in (EscalationKind.WARNING, EscalationKind.PENALTY_REFERRAL):
            with translation.override("en"), pytest.raises(ApplicationError, match="propose a case"):
                services.escalation_record(enterprise=enterprise, finding=finding, actor=supervisor,
                                           kind=kind, occurred_on=today, case_number="京网信罚〔2026〕7号")
        assert not Escalation.objects.filter(kind__in=["warning", "penalty_referral"]).exists()
        interview = services.escalation_record(
            enterprise=enterprise, finding=finding, actor=supervisor,
            kind=EscalationKind.INTERVIEW, occurred_on=today, attendees="企业法人张三；执法人员王、刘",
            minutes=pdf("约谈笔录.pdf"), notes="企业承诺两周内整改")
        finding.refresh_from_db()
        assert finding.status == FindingStatus.ESCALATED
        assert interview.minutes_sha256 and interview.minutes_name == "约谈笔录.pdf"
        # The minutes file is optional: the case's own 约谈笔录 is made in the case.
        assert services.escalation_record(
            enterprise=enterprise, finding=finding, actor=supervisor, kind=EscalationKind.INTERVIEW,
            occurred_on=today, attendees="企业法人张三").minutes_name == ""

    def test_a_serious_finding_may_be_discussed_before_its_deadline(self, enterprise, supervisor):
        from tests.factories import IssueCodeFactory

        finding = notified_finding(enterprise, issue_code=IssueCodeFactory(code="CNT-01", category="CNT"))
        step = services.escalation_record(enterprise=enterprise, finding=finding, actor=supervisor,
                                          kind=EscalationKind.INTERVIEW,
                                          occurred_on=timezone.localdate(), attendees="企业负责人")
        assert step.pk and Finding.objects.get(pk=finding.pk).status == FindingStatus.NOTIFIED

    def test_a_finding_within_its_deadline_cannot_be_escalated(self, enterprise, finding, supervisor):
        with pytest.raises(ApplicationError):
            services.escalation_record(enterprise=enterprise, finding=finding, actor=supervisor,
                                       kind=EscalationKind.INTERVIEW,
                                       occurred_on=timezone.localdate(), attendees="x")

    def test_hostile_minutes_are_refused(self, enterprise, supervisor):
        finding = notified_finding(enterprise, status=FindingStatus.OVERDUE, days=-5)
        with pytest.raises(ApplicationError):
            services.escalation_record(
                enterprise=enterprise, finding=finding, actor=supervisor,
                kind=EscalationKind.INTERVIEW, occurred_on=timezone.localdate(), attendees="x",
                minutes=upload("minutes.pdf", b"<svg onload=alert(1)></svg>"))


def test_an_extension_cannot_be_approved_once_the_finding_is_overdue(
        enterprise, enterprise_user, supervisor):
    finding = notified_finding(enterprise, days=5)
    request = services.extension_request_create(
        finding=finding, actor=enterprise_user, reason="需要更换标识组件供应商",
        requested_deadline=timezone.localdate() + datetime.timedelta(days=40),
    )
    Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.OVERDUE)
    with pytest.raises(ApplicationError):
        services.extension_decide(extension=request, actor=supervisor, approve=True)
    request.refresh_from_db()
    finding.refresh_from_db()
    assert request.status == "pending"
    assert finding.deadline == timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(ApplicationError):
        services.extension_request_create(
            finding=finding, actor=enterprise_user, reason="再次申请",
            requested_deadline=timezone.localdate() + datetime.timedelta(days=60),
        )


def test_a_finding_withdrawn_during_review_does_not_block_the_report(
        enterprise, enterprise_user, inspector, second_inspector, supervisor):
    kept = notified_finding(enterprise, officers=[inspector, second_inspector])
    dropped = notified_finding(enterprise, officers=[inspector, second_inspector])
    report = _submitted_report(enterprise_user, [kept, dropped])
    finding_transition(finding=dropped, to_status=FindingStatus.WITHDRAWN, actor=supervisor,
                       note="证据不足，撤销")
    for response in report.responses.all():
        services.response_decide(response=response, actor=inspector, decision="accepted")
    report.refresh_from_db()
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert report.status == "accepted"
    assert (kept.status, dropped.status) == (FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN)


def test_a_draft_drops_answers_to_findings_withdrawn_meanwhile(
        enterprise, enterprise_user, inspector, second_inspector, supervisor):
    kept = notified_finding(enterprise, officers=[inspector, second_inspector])
    dropped = notified_finding(enterprise, officers=[inspector, second_inspector])
    report = services.report_create(enterprise=enterprise, actor=enterprise_user,
                                    findings=[kept, dropped])
    _complete(report, enterprise_user)
    finding_transition(finding=dropped, to_status=FindingStatus.WITHDRAWN, actor=supervisor,
                       note="证据不足，撤销")
    report = services.report_submit(report=report, actor=enterprise_user)
    assert [r.finding_id for r in report.responses.all()] == [kept.pk]
