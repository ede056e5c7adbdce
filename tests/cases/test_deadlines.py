"""Each statutory time limit, counted as the law says, and its warning."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases import deadlines, services
from cases.models import Case, CaseStatus, LimitCode, Outcome, TimeLimit
from core.models import Notification
from inspections.workdays import add_working_days
from tests.cases.factories import officer, proposed_case

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def team():
    return [officer("王执法"), officer("李执法")]


def _limit(case, code):
    return next(d for d in deadlines.case_deadlines(case) if d.code == code)


def test_every_limit_is_data_with_its_citation():
    limits = {limit.code: limit for limit in TimeLimit.objects.all()}
    assert set(limits) == set(LimitCode.values)
    assert all(limit.citation for limit in limits.values())
    assert limits["handling"].length == 90 and limits["handling"].unit == "calendar_days"
    assert limits["handling"].citation.endswith("第六十条") and limits["handling"].verified
    assert limits["litigation"].length == 6 and limits["litigation"].unit == "months"
    assert limits["reconsideration"].length == 60
    # What could not be verified is marked so (and editable in the admin).
    assert not limits["filing"].verified and not limits["statement"].verified


def test_filing_decision_is_due_fifteen_working_days_after_the_clue(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.clue_found_on = datetime.date(2025, 9, 26)
    limit = _limit(case, LimitCode.FILING)
    # Across National Day 2025 (1-8 October off, 28 September and 11 October worked).
    assert limit.due == add_working_days(datetime.date(2025, 9, 26), 15).date
    assert limit.due == datetime.date(2025, 10, 23)
    assert limit.state == "running" and not limit.party


def test_the_handling_period_ends_on_the_next_working_day_after_a_holiday(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.status, case.filed_on = S.INVESTIGATING, datetime.date(2025, 7, 3)
    # 90 days fall on 1 October 2025, a holiday: the period ends on the 9th.
    assert _limit(case, LimitCode.HANDLING).due == datetime.date(2025, 10, 9)


def test_extension_and_suspension_lengthen_the_handling_period(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.status, case.filed_on = S.INVESTIGATING, datetime.date(2026, 3, 2)
    base = _limit(case, LimitCode.HANDLING).due
    assert base == datetime.date(2026, 6, 1)
    case.suspended_days = 10
    # 31 May is a Sunday; with ten days more, 10 June is a Wednesday.
    assert _limit(case, LimitCode.HANDLING).due == datetime.date(2026, 6, 10)
    case.suspended_days = 0
    case.handling_extended = True
    extended = _limit(case, LimitCode.HANDLING)
    assert extended.due == deadlines.count(TimeLimit(length=180, unit="calendar_days"),
                                           datetime.date(2026, 3, 2))[0]
    assert "网信部门行政执法程序规定" in extended.citation


def test_the_party_periods_run_from_service_of_the_prior_notice(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.status, case.filed_on = S.PRIOR_NOTICE, datetime.date(2026, 3, 2)
    case.prior_notice_served_on = datetime.date(2026, 4, 30)
    case.hearing_right = True
    statement = _limit(case, LimitCode.STATEMENT)
    hearing = _limit(case, LimitCode.HEARING_REQUEST)
    # Labour Day 2026: 1-5 May off; 9 May (Saturday) worked.
    assert statement.due == add_working_days(datetime.date(2026, 4, 30), 5).date
    assert statement.party and hearing.party and statement.state == "running"
    case.hearing_right = False
    assert LimitCode.HEARING_REQUEST not in [d.code for d in deadlines.case_deadlines(case)]


def test_service_of_the_decision_and_the_remedy_windows(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.status, case.filed_on = S.DECIDED, datetime.date(2026, 3, 2)
    case.outcome, case.decided_on = Outcome.PENALTY, datetime.date(2026, 3, 20)
    service = _limit(case, LimitCode.SERVICE)
    assert service.due == add_working_days(datetime.date(2026, 3, 20), 7).date
    assert service.state == "running"
    case.status, case.served_on = S.SERVED, datetime.date(2026, 3, 25)
    assert _limit(case, LimitCode.SERVICE).state == "met"
    reconsideration = _limit(case, LimitCode.RECONSIDERATION)
    litigation = _limit(case, LimitCode.LITIGATION)
    assert reconsideration.due == datetime.date(2026, 5, 25)  # 24 May is a Sunday
    # 25 September 2026 is the Mid-Autumn Festival: the window ends on Monday the 28th.
    assert litigation.due == datetime.date(2026, 9, 28)
    assert reconsideration.state == litigation.state == "info"


def test_a_late_step_is_marked_late(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.status = S.FILED
    case.clue_found_on = datetime.date(2026, 3, 2)
    case.filed_on = datetime.date(2026, 4, 30)
    filing = _limit(case, LimitCode.FILING)
    assert filing.state == "met" and filing.late is True


def test_an_admin_edit_of_a_limit_changes_the_count(enterprise, team):
    case = proposed_case(enterprise, team=team)
    case.status, case.filed_on = S.INVESTIGATING, datetime.date(2026, 3, 2)
    TimeLimit.objects.filter(code="handling").update(length=60)
    assert _limit(case, LimitCode.HANDLING).due == datetime.date(2026, 5, 6)  # 1 May → after Labour Day


def test_it_warns_the_team_and_supervisors_before_a_limit_expires_once(enterprise, supervisor, team):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        case = proposed_case(enterprise, team=team)
        Case.objects.filter(pk=case.pk).update(clue_found_on=datetime.date(2026, 3, 2))
    case.refresh_from_db()
    due = _limit(case, LimitCode.FILING).due
    assert due == datetime.date(2026, 3, 23)
    # Four days before: nothing yet (the filing limit warns three days ahead).
    assert services.case_warn_deadlines(today=due - datetime.timedelta(days=4)) == 0
    created = services.case_warn_deadlines(today=due - datetime.timedelta(days=3))
    assert created == 3  # two officers and the supervisor
    recipients = set(Notification.objects.filter(kind="case_deadline").values_list("recipient_id", flat=True))
    assert recipients == {team[0].pk, team[1].pk, supervisor.pk}
    # Again the same day or the next: no second warning of the same limit.
    assert services.case_warn_deadlines(today=due - datetime.timedelta(days=2)) == 0
    # Once expired, one more warning says so.
    assert services.case_warn_deadlines(today=due + datetime.timedelta(days=1)) == 3
    body = Notification.objects.filter(recipient=supervisor).order_by("-id").first()
    assert "立案" in body.subject or "filing" in body.subject.lower()


def test_no_warning_for_a_closed_or_suspended_limit(enterprise, supervisor, team):
    case = proposed_case(enterprise, team=team)
    services.case_withdraw(case=case, actor=supervisor, reason="线索不实。")
    assert services.case_warn_deadlines(today=timezone.localdate() + datetime.timedelta(days=30)) == 0


def test_the_warning_task_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["cases-deadline-warnings"]
    assert entry["task"] == "cases.tasks.warn_case_deadlines_task"
