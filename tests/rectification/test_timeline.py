"""
The enterprise timeline (registry page and portal): the rectification app's
own records plus the notices the reports app adds through core.timeline,
each read through its app's scoped selectors.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import FindingStatus
from rectification import services
from rectification.models import EscalationKind
from rectification.selectors import enterprise_timeline
from reports.notices import services as notice_services
from tests.factories import CampaignFactory, EnterpriseUserFactory
from tests.rectification.factories import notified_finding
from tests.reports.factories import make_notice


def issued_and_acknowledged(enterprise, author, supervisor):
    notice = make_notice(author=author, approver=supervisor, enterprise=enterprise,
                         campaign=CampaignFactory(team=[author]))
    notice = notice_services.notice_issue(notice=notice, actor=supervisor)
    user = EnterpriseUserFactory(enterprise=enterprise)
    return notice_services.notice_acknowledge(notice=notice, actor=user, consent=True), user


def notice_entries(viewer, enterprise):
    return [(e.title, e.detail, e.url) for e in enterprise_timeline(viewer=viewer, enterprise_id=enterprise.pk)
            if e.kind == "notice"]


def test_the_enterprise_sees_its_notices_issued_and_acknowledged(enterprise, inspector, supervisor):
    notice, user = issued_and_acknowledged(enterprise, inspector, supervisor)
    with translation.override("en"):
        assert notice_entries(user, enterprise) == [
            ("Notice acknowledged", notice.number, ""), ("Notice issued", notice.number, "")]


def test_staff_see_the_notices_of_the_campaigns_they_see_with_a_link(
    enterprise, inspector, second_inspector, supervisor, other_enterprise_user
):
    notice, _user = issued_and_acknowledged(enterprise, inspector, supervisor)
    link = reverse("reports:notice_detail", args=[notice.pk])
    assert {url for _t, _d, url in notice_entries(inspector, enterprise)} == {link}
    assert {url for _t, _d, url in notice_entries(supervisor, enterprise)} == {link}
    # Not on the notice's campaign: not even its number.
    assert notice_entries(second_inspector, enterprise) == []
    assert enterprise_timeline(viewer=other_enterprise_user, enterprise_id=enterprise.pk) == []


def test_the_timeline_reads_each_list_once_and_only_what_its_entries_show(
    enterprise, inspector, supervisor
):
    _notice, user = issued_and_acknowledged(enterprise, inspector, supervisor)
    finding = notified_finding(enterprise, officers=[inspector])
    services.extension_request_create(finding=finding, actor=user, reason="需要时间",
                                      requested_deadline=finding.deadline + datetime.timedelta(days=10))
    report = services.report_create(enterprise=enterprise, actor=user, findings=[finding])
    services.report_update(report=report, actor=user, responsible_person="张总", declaration=True)
    services.response_update(response=report.responses.get(), actor=user, measures="已整改",
                             long_term_measures="", completed_on=timezone.localdate())
    services.report_submit(report=report, actor=user)
    overdue = notified_finding(enterprise, status=FindingStatus.OVERDUE, days=-3, officers=[inspector])
    services.escalation_record(enterprise=enterprise, finding=overdue, actor=supervisor,
                               kind=EscalationKind.INTERVIEW, occurred_on=timezone.localdate(),
                               attendees="法人", notes="约谈记录")

    with CaptureQueriesContext(connection) as reads:
        entries = enterprise_timeline(viewer=user, enterprise_id=enterprise.pk)

    assert {entry.kind for entry in entries} == {"escalation", "report", "extension", "notice"}
    assert overdue.issue_code_id in {entry.detail for entry in entries if entry.kind == "escalation"}
    sql = [query["sql"] for query in reads.captured_queries]
    # One read per list, and nothing an entry shows is fetched afterwards.
    assert len(sql) == 4
    # Not the people (authors, approvers, reviewers) nor the notice's text.
    assert not any('"accounts_user"' in query for query in sql)
    assert not any('"facts"' in query for query in sql)
