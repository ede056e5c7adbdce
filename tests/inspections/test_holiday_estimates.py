"""Deadlines past the calendar's known years: statutory holidays skipped, recounted when a year is added."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Notification
from inspections import workdays
from inspections.deadlines import deadlines_recount_estimated
from inspections.models import CalendarDay, CalendarYear, FindingStatus, PeriodUnit
from tests.factories import FindingFactory

D = datetime.date
TZ = timezone.get_current_timezone()


def test_the_fixed_statutory_holidays_of_a_year():
    days = workdays.statutory_holidays(2027)
    assert len(days) == 13
    # 春节: 除夕 to 初三 (初一 is 2027-02-06); 清明; 端午; 中秋.
    assert {D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)} <= days
    assert {D(2027, 1, 1), D(2027, 4, 5), D(2027, 5, 1), D(2027, 5, 2), D(2027, 6, 9), D(2027, 9, 15),
            D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)} <= days
    assert workdays.qingming(2028) == D(2028, 4, 4)


@pytest.mark.django_db
def test_30_working_days_from_2026_12_28_skip_the_2027_spring_festival():
    assert not CalendarYear.objects.filter(year=2027).exists()
    result = workdays.add_working_days(D(2026, 12, 28), 30)
    # Weekends only would give 2027-02-08, 初三 of the Spring Festival.
    assert result.date == D(2027, 2, 11) and result.estimated is True


def _estimated_finding(enterprise_user):
    start = datetime.datetime(2026, 12, 28, 10, tzinfo=TZ)
    return FindingFactory(
        inspection__enterprise=enterprise_user.enterprise, status=FindingStatus.NOTIFIED,
        period=30, period_unit=PeriodUnit.WORKING_DAYS, deadline=D(2027, 2, 11),
        deadline_estimated=True, deadline_from=start)


def _publish_2027():
    """The State Council's 2027 Spring Festival (illustrative): 2-5 to 2-11 off, 2-20 worked."""
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")
    for day in range(5, 12):
        if D(2027, 2, day).weekday() < 5:
            CalendarDay.objects.create(date=D(2027, 2, day), is_workday=False, name="春节")
    CalendarDay.objects.create(date=D(2027, 2, 20), is_workday=True, name="春节调休")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")


@pytest.mark.django_db
def test_adding_a_year_recounts_audits_and_tells_the_enterprise(enterprise_user):
    finding = _estimated_finding(enterprise_user)
    _publish_2027()
    assert deadlines_recount_estimated() == 1
    finding.refresh_from_db()
    # 2-9 to 2-11 are now days off too: 30 working days end on 2-16.
    assert finding.deadline == D(2027, 2, 16) and finding.deadline_estimated is False
    event = AuditEvent.objects.get(action="finding.deadline_recount", object_id=str(finding.pk))
    assert "2027-02-11 → 2027-02-16" in event.note
    note = Notification.objects.get(recipient=enterprise_user, kind="deadline_recounted")
    assert "2027-02-16" in note.body
    # Twice changes nothing.
    assert deadlines_recount_estimated() == 0
    assert Notification.objects.filter(kind="deadline_recounted").count() == 1


@pytest.mark.django_db
def test_the_admin_adding_a_year_triggers_the_recount(admin_user, enterprise_user, client_for,
                                                       django_capture_on_commit_callbacks):
    finding = _estimated_finding(enterprise_user)
    _publish_2027()
    CalendarYear.objects.filter(year=2027).delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(reverse("admin:inspections_calendaryear_add"),
                                               {"year": 2027, "source": "国务院办公厅"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.deadline == D(2027, 2, 16) and not finding.deadline_estimated


@pytest.mark.django_db
def test_an_issued_document_never_prints_an_estimated_deadline_as_firm(inspector, supervisor, enterprise_user):
    import time_machine

    from inspections.models import IssueCode
    from reports.notices import services
    from tests.reports.factories import make_notice, pdf_text

    IssueCode.objects.filter(pk="IMP-01").update(default_period=30)
    with time_machine.travel(datetime.datetime(2026, 12, 28, 10, tzinfo=TZ), tick=False):
        notice = make_notice(author=inspector, approver=supervisor, enterprise=enterprise_user.enterprise)
        notice.findings.update(period=30)
        notice = services.notice_issue(notice=notice, actor=supervisor)
        # The notice names the period, counted from receipt: no date at all.
        text = pdf_text(notice.pdf.read()).replace("\n", "")
        assert "自收到本通知之日起30个工作日内" in text and "2027年" not in text
        notice = services.notice_acknowledge(notice=notice, actor=enterprise_user, consent=True)
    assert notice.deadline == D(2027, 2, 11)
    # The proof of service states the date, as an estimate.
    proof = pdf_text(notice.proof_pdf.read()).replace("\n", "")
    assert "2027年2月11日前" in proof and "以国务院公布的放假安排为准" in proof
    assert all(f.deadline_estimated for f in notice.findings.all())
