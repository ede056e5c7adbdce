"""A drafted notice is handed to the supervisors, who approve it or return it with a reason."""

import pytest
from django.core import mail
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent, Notification
from reports.models import NoticeStatus
from reports.notices import services
from tests.factories import UserFactory
from tests.reports.factories import make_notice


@pytest.mark.django_db
def test_submitting_a_draft_tells_every_supervisor_once(inspector, supervisor, client_for,
                                                        django_capture_on_commit_callbacks):
    other_supervisor = UserFactory(username="supervisor2", role="supervisor", first_name="孙主管")
    notice = make_notice(author=inspector)
    client = client_for(inspector)
    url = reverse("reports:notice_submit", args=[notice.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
        # A double click: the second POST changes nothing and tells nobody again.
        client.post(url)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SUBMITTED and notice.submitted_at is not None
    told = Notification.objects.filter(kind="notice_submitted")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["supervisor", "supervisor2"]
    assert all(notice.party_name in n.subject for n in told)
    assert {n.url for n in told} == {notice.get_absolute_url()}
    assert AuditEvent.objects.filter(action="notice.submit", object_id=str(notice.pk)).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [supervisor.email, other_supervisor.email])


@pytest.mark.django_db
def test_a_submitted_notice_appears_on_the_supervisors_home(inspector, supervisor, client_for):
    notice = services.notice_submit(notice=make_notice(author=inspector), actor=inspector)
    page = client_for(supervisor).get(reverse("workbench:home")).content.decode()
    assert reverse("reports:notice_detail", args=[notice.pk]) in page
    assert notice.party_name in page


@pytest.mark.django_db
def test_returning_names_the_reason_to_the_author(inspector, supervisor, client_for):
    notice = services.notice_submit(notice=make_notice(author=inspector), actor=inspector)
    client = client_for(supervisor)
    client.post(reverse("reports:notice_return", args=[notice.pk]), {"reason": "事实部分缺少取证时间"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT and notice.submitted_at is None
    returned = Notification.objects.get(kind="notice_returned")
    assert returned.recipient == inspector
    assert "事实部分缺少取证时间" in returned.body
    # Submitted again after correction: the supervisors hear of it again.
    services.notice_submit(notice=notice, actor=inspector)
    assert Notification.objects.filter(kind="notice_submitted", recipient=supervisor).count() == 2


@pytest.mark.django_db
def test_a_submitted_notice_is_not_edited_and_an_analyst_cannot_submit(inspector, analyst):
    notice = make_notice(author=inspector)
    with pytest.raises(ApplicationError):
        services.notice_submit(notice=notice, actor=analyst)
    notice = services.notice_submit(notice=notice, actor=inspector)
    with pytest.raises(ApplicationError):
        services.notice_update(notice=notice, actor=inspector, data={"facts": "改写"})


@pytest.mark.django_db
def test_a_submitted_notice_is_approved(inspector, supervisor):
    notice = services.notice_submit(notice=make_notice(author=inspector), actor=inspector)
    assert services.notice_approve(notice=notice, actor=supervisor).status == NoticeStatus.APPROVED


@pytest.mark.django_db
def test_a_draft_is_named_by_its_party_not_its_id(inspector):
    notice = make_notice(author=inspector)
    assert str(notice) == f"致{notice.party_name}的整改通知书（草稿）"
    assert f"#{notice.pk}" not in str(notice)
