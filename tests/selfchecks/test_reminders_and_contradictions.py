"""Reminders and overdue marks go out once; a finding on an item declared compliant is flagged."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent, Notification
from inspections.models import FindingStatus
from selfchecks import services, tasks
from selfchecks.models import Answer, Contradiction
from tests.factories import FindingFactory, InspectionFactory, IssueCodeFactory

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def test_the_reminder_and_the_overdue_mark_go_out_once(report, enterprise_user, supervisor):
    due = report.due_date
    assert services.reports_remind_and_mark_overdue(today=due - datetime.timedelta(days=5)) == {
        "reminded": 0, "overdue": 0}
    assert services.reports_remind_and_mark_overdue(today=due - datetime.timedelta(days=3)) == {
        "reminded": 1, "overdue": 0}
    # The task runs again (a retry, the next day): nothing is sent twice.
    assert services.reports_remind_and_mark_overdue(today=due - datetime.timedelta(days=2)) == {
        "reminded": 0, "overdue": 0}
    assert Notification.objects.filter(recipient=enterprise_user, kind="selfcheck_reminder").count() == 1
    after = due + datetime.timedelta(days=1)
    assert services.reports_remind_and_mark_overdue(today=after) == {"reminded": 0, "overdue": 1}
    assert services.reports_remind_and_mark_overdue(today=after) == {"reminded": 0, "overdue": 0}
    assert Notification.objects.filter(recipient=enterprise_user, kind="selfcheck_overdue").count() == 1
    assert Notification.objects.filter(recipient=supervisor, kind="selfcheck_overdue").count() == 1
    report.refresh_from_db()
    assert report.overdue_for == due and report.is_overdue(after)
    assert AuditEvent.objects.filter(action="selfreport.overdue", object_id=str(report.pk)).count() == 1


def test_a_submitted_report_is_neither_reminded_nor_overdue(report, enterprise_user):
    answer_all(report, enterprise_user)
    services.report_submit(report=report, actor=enterprise_user)
    assert services.reports_remind_and_mark_overdue(
        today=report.due_date + datetime.timedelta(days=1)) == {"reminded": 0, "overdue": 0}


def test_the_beat_task_reminds(report, enterprise_user, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from unittest import mock

    with mock.patch("selfchecks.services.timezone.localdate",
                    return_value=report.due_date - datetime.timedelta(days=1)):
        assert tasks.selfchecks_remind_task.apply().get() == {"reminded": 1, "overdue": 0}


def test_staff_remind_each_enterprise_at_most_once_a_day(launch, report, inspector, enterprise_user):
    assert services.selfinspection_remind_now(self_inspection=launch, actor=inspector) == 1
    assert services.selfinspection_remind_now(self_inspection=launch, actor=inspector) == 0


def _declare(report, enterprise_user, *, compliant_code: str):
    answer_all(report, enterprise_user)
    services.report_submit(report=report, actor=enterprise_user)
    report.refresh_from_db()
    assert report.items.get(issue_code_id=compliant_code).answer == Answer.COMPLIANT
    return report


def test_a_later_finding_on_an_item_declared_compliant_is_flagged_once(
        report, enterprise_user, campaign, inspector, client_for):
    _declare(report, enterprise_user, compliant_code="IMP-01")
    earlier = FindingFactory(inspection=InspectionFactory(campaign=campaign, enterprise=report.enterprise),
                             issue_code=IssueCodeFactory(code="IMP-01"))
    earlier.created_at = report.submitted_at - datetime.timedelta(days=1)
    earlier.save(update_fields=["created_at"])
    other_code = FindingFactory(inspection=earlier.inspection, issue_code=IssueCodeFactory(code="EXP-05"))
    finding = FindingFactory(inspection=InspectionFactory(campaign=campaign, enterprise=report.enterprise,
                                                          officers=[inspector]),
                             issue_code=IssueCodeFactory(code="IMP-01"))
    assert finding.created_at > report.submitted_at
    assert tasks.selfchecks_contradictions_task.apply().get() == 1
    assert services.contradictions_detect() == 0  # once
    contradiction = Contradiction.objects.get()
    assert contradiction.finding == finding and contradiction.enterprise == report.enterprise
    assert not Contradiction.objects.filter(finding__in=[earlier, other_code]).exists()
    assert Notification.objects.filter(recipient=inspector, kind="selfcheck_contradiction").exists()
    assert AuditEvent.objects.filter(action="selfcheck.contradiction").count() == 1
    # The flag on the finding and on the enterprise (staff pages).
    client = client_for(inspector)
    page = client.get(finding.get_absolute_url()).content.decode()
    assert 'data-testid="selfcheck-contradiction"' in page and "IMP-01" in page
    page = client.get(report.enterprise.get_absolute_url()).content.decode()
    assert 'data-testid="selfcheck-contradiction"' in page
    assert 'data-testid="selfcheck-contradiction"' not in client.get(
        earlier.get_absolute_url()).content.decode()


def test_a_withdrawn_finding_raises_no_flag(report, enterprise_user, campaign):
    _declare(report, enterprise_user, compliant_code="IMP-01")
    FindingFactory(inspection=InspectionFactory(campaign=campaign, enterprise=report.enterprise),
                   issue_code=IssueCodeFactory(code="IMP-01"), status=FindingStatus.WITHDRAWN)
    assert services.contradictions_detect() == 0


def test_a_declaration_not_compliant_is_no_contradiction(report, enterprise_user, campaign):
    today = timezone.localdate()
    item = report.items.get(issue_code_id="IMP-01")
    answer_all(report, enterprise_user, overrides={item.pk: {
        "answer": Answer.NONCOMPLIANT, "plan_measures": "补写", "plan_start": today,
        "plan_due": today + datetime.timedelta(days=9)}})
    services.report_submit(report=report, actor=enterprise_user)
    FindingFactory(inspection=InspectionFactory(campaign=campaign, enterprise=report.enterprise),
                   issue_code=IssueCodeFactory(code="IMP-01"))
    assert services.contradictions_detect() == 0
