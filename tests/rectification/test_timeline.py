"""
The enterprise timeline (registry page and portal): the rectification app's
own records plus the notices the reports app adds through core.timeline,
each read through its app's scoped selectors.
"""

from django.urls import reverse
from django.utils import translation

from rectification.selectors import enterprise_timeline
from reports.notices import services as notice_services
from tests.factories import CampaignFactory, EnterpriseUserFactory
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
