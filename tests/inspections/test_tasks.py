"""Scheduled tasks: due inspections, reminders, overdue findings; each idempotent."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from core.models import AuditEvent, Notification
from inspections import tasks
from inspections.models import FindingStatus, Inspection
from tests.factories import FindingFactory, InspectionFactory


@pytest.fixture
def team(inspector, second_inspector):
    return [inspector, second_inspector]


@time_machine.travel(dt.datetime(2026, 11, 26, 1, tzinfo=dt.UTC))
def test_inspections_become_due_on_their_date_once(team, enterprise):
    today = InspectionFactory(enterprise=enterprise, status="planned", planned_date=dt.date(2026, 11, 26), officers=team)
    later = InspectionFactory(enterprise=enterprise, status="planned", planned_date=dt.date(2026, 11, 27), officers=team)
    assert tasks.make_inspections_due.delay().get() == 1
    assert tasks.make_inspections_due.delay().get() == 0
    today.refresh_from_db(), later.refresh_from_db()
    assert (today.status, later.status) == (Inspection.Status.DUE, Inspection.Status.PLANNED)
    assert AuditEvent.objects.filter(action="inspection.due").count() == 1


@time_machine.travel(dt.datetime(2026, 11, 26, 1, tzinfo=dt.UTC))
def test_reminders_go_out_three_working_days_before_and_once(
        team, enterprise, enterprise_user, django_capture_on_commit_callbacks):
    inspection = InspectionFactory(enterprise=enterprise, officers=team)
    # Thursday 26 Nov + 3 working days = Tuesday 1 Dec.
    due_soon = FindingFactory(inspection=inspection, status=FindingStatus.NOTIFIED, deadline=dt.date(2026, 12, 1))
    FindingFactory(inspection=inspection, status=FindingStatus.NOTIFIED, deadline=dt.date(2026, 12, 2))
    FindingFactory(inspection=inspection, status=FindingStatus.ACCEPTED, deadline=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deadline_reminders.delay().get() == 1
        tasks.send_deadline_reminders.delay().get()
    notes = Notification.objects.filter(event_key__startswith=f"finding:{due_soon.pk}:reminder")
    assert {n.recipient for n in notes} == {*team, enterprise_user}
    assert notes.count() == 3
    # The enterprise is sent to its portal; officers to the staff page.
    assert notes.get(recipient=enterprise_user).url == f"/portal/findings/{due_soon.pk}/"
    assert notes.get(recipient=team[0]).url == due_soon.get_absolute_url()


@time_machine.travel(dt.datetime(2026, 11, 26, 1, tzinfo=dt.UTC))
def test_reminders_are_written_in_each_recipients_language(
        team, enterprise, enterprise_user, django_capture_on_commit_callbacks, mailoutbox):
    enterprise_user.language = "en"
    enterprise_user.save()
    inspection = InspectionFactory(enterprise=enterprise, officers=team)
    FindingFactory(inspection=inspection, status=FindingStatus.NOTIFIED, deadline=dt.date(2026, 12, 1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_deadline_reminders.delay().get()
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert "working days left" in by_recipient[enterprise_user.email].body
    assert "个工作日" in by_recipient[team[0].email].body


@time_machine.travel(dt.datetime(2026, 11, 26, 1, tzinfo=dt.UTC))
def test_internal_findings_neither_remind_nor_turn_overdue(team, enterprise, enterprise_user):
    """The clock starts with the notice: an open finding's deadline is provisional."""
    inspection = InspectionFactory(enterprise=enterprise, officers=team)
    finding = FindingFactory(inspection=inspection, status=FindingStatus.OPEN,
                             deadline=dt.date(2026, 11, 20))
    FindingFactory(inspection=inspection, status=FindingStatus.OPEN, deadline=dt.date(2026, 11, 27))
    tasks.send_deadline_reminders.delay().get()
    assert tasks.mark_findings_overdue.delay().get() == 0
    assert not Notification.objects.exists()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_findings_turn_overdue_the_working_day_after_the_deadline(team, enterprise):
    inspection = InspectionFactory(enterprise=enterprise, officers=team)
    finding = FindingFactory(inspection=inspection, status=FindingStatus.NOTIFIED, deadline=dt.date(2026, 9, 30))
    with time_machine.travel(dt.datetime(2026, 10, 7, 4, tzinfo=dt.UTC)):  # holiday week
        assert tasks.mark_findings_overdue.delay().get() == 0
    with time_machine.travel(dt.datetime(2026, 10, 8, 4, tzinfo=dt.UTC)):  # first working day after
        assert tasks.mark_findings_overdue.delay().get() == 1
        assert tasks.mark_findings_overdue.delay().get() == 0
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OVERDUE
    assert Notification.objects.filter(event_key=f"finding:{finding.pk}:overdue").count() == 2
    assert AuditEvent.objects.filter(action="finding.overdue", object_id=str(finding.pk)).count() == 1


def test_hour_based_findings_turn_overdue_after_deadline_at(team, enterprise):
    inspection = InspectionFactory(enterprise=enterprise, officers=team)
    finding = FindingFactory(inspection=inspection, status=FindingStatus.NOTIFIED, period=24,
                             period_unit="hours", deadline=dt.date(2026, 11, 26),
                             deadline_at=dt.datetime(2026, 11, 26, 2, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 11, 26, 1, tzinfo=dt.UTC)):
        assert tasks.mark_findings_overdue.delay().get() == 0
    with time_machine.travel(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC)):
        assert tasks.mark_findings_overdue.delay().get() == 1
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OVERDUE


def test_the_beat_schedule_is_defined_in_code():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"inspections.make_inspections_due", "inspections.send_deadline_reminders",
            "inspections.mark_findings_overdue"} <= names
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
