import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from core.notifications import notify
from core.tasks import send_notification_emails_task

pytestmark = pytest.mark.django_db


def _notify(user, key, url="/portal/"):
    return notify(recipients=[user], kind="generic", event_key=key,
                  context={"subject": f"主题{key}", "body": "正文"}, url=url)


def test_header_shows_unread_count_on_every_page(client_for, enterprise_user, inspector):
    _notify(enterprise_user, "a")
    _notify(enterprise_user, "b")
    html = client_for(enterprise_user).get(reverse("portal:home")).content.decode()
    assert 'class="badge-count"' in html and ">2</span>" in html


def test_list_mark_read_and_mark_all(client_for, enterprise_user, other_enterprise_user):
    first, = _notify(enterprise_user, "a", url="/portal/")
    _notify(enterprise_user, "b")
    foreign, = _notify(other_enterprise_user, "c")
    client = client_for(enterprise_user)
    page = client.get(reverse("core:notifications"))
    assert [n.pk for n in page.context["page_obj"]] != [] and foreign not in page.context["page_obj"]
    response = client.post(reverse("core:notification_read", args=[first.pk]), {"follow": "1"})
    assert response.url == "/portal/"
    first.refresh_from_db()
    assert first.read_at is not None
    # Someone else's notification: 404, untouched.
    assert client.post(reverse("core:notification_read", args=[foreign.pk])).status_code == 404
    client.post(reverse("core:notifications_read_all"))
    assert not Notification.objects.filter(recipient=enterprise_user, read_at__isnull=True).exists()
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_follow_never_redirects_offsite(client_for, enterprise_user):
    notification, = _notify(enterprise_user, "x", url="https://evil.example/")
    response = client_for(enterprise_user).post(
        reverse("core:notification_read", args=[notification.pk]), {"follow": "1"})
    assert response.url == reverse("core:notifications")


def test_task_run_twice_sends_one_email(enterprise_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(enterprise_user, "once")
    send_notification_emails_task.apply(kwargs={"notification_ids": [created[0].pk]})
    send_notification_emails_task.apply(kwargs={"notification_ids": [created[0].pk]})
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "整改报告"), ("en", "Rectification report")])
def test_kind_templates_follow_the_users_language(
    enterprise_user, language, expected, django_capture_on_commit_callbacks
):
    from rectification import services  # noqa: F401 - templates use its objects
    from tests.rectification.factories import notified_finding

    enterprise_user.language = language
    enterprise_user.save()
    finding = notified_finding(enterprise_user.enterprise)

    class Report:
        version = 2

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[enterprise_user], kind="accepted", event_key=f"t:{language}",
               context={"report": Report(), "enterprise": finding.enterprise, "finding": finding,
                        "findings": [finding], "comment": ""})
    assert expected in mail.outbox[0].subject
    assert finding.issue_code_id in mail.outbox[0].body
