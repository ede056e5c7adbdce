from django.core import mail

from core.models import Notification
from core.notifications import notify


def test_it_notifies_once_per_event_and_emails_once(
    enterprise_user, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[enterprise_user], kind="generic", event_key="test:1",
                   context={"subject": "整改期限临近", "body": "请按期整改"}, url="/portal/")
    assert Notification.objects.filter(recipient=enterprise_user).count() == 1
    assert len(mail.outbox) == 1
    assert "整改期限临近" in mail.outbox[0].subject


def test_it_writes_in_the_recipients_language(enterprise_user, django_capture_on_commit_callbacks):
    enterprise_user.language = "en"
    enterprise_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[enterprise_user], kind="generic", event_key="test:2",
               context={"subject": "Deadline", "body": "Please rectify"})
    assert mail.outbox[0].body.startswith("Dear")


def test_the_e_mail_names_the_system_and_the_in_app_list_does_not(
    enterprise_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[enterprise_user], kind="generic", event_key="test:3",
               context={"subject": "整改期限临近", "body": "请按期整改"}, url="/portal/")
    assert Notification.objects.get(recipient=enterprise_user).subject == "整改期限临近"
    assert mail.outbox[0].subject == "[标识监管] 整改期限临近"
