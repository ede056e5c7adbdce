"""
Notifications: one in-app message per recipient and event, e-mailed by a
Celery task after the transaction commits. The (recipient, event_key) pair is
unique, so notifying the same event twice creates and sends nothing more.

Templates: emails/<kind>_subject.txt and emails/<kind>_body.txt, rendered in
each recipient's language; kinds without templates use emails/generic_*.txt
with context["subject"] and context["body"]. Each template lists the context
keys it expects at its top.

Event keys: build them with `event_key(kind, obj, *extra)`, e.g.
event_key("overdue", finding) == "overdue:inspections.finding:42", so two
apps that notify the same event use the same key and send it once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User

from .filters import apply_filters
from .models import Notification
from .notification_filters import NotificationFilter
from .queue import enqueue


def event_key(kind: str, obj, *extra) -> str:
    """Return the canonical event key of `kind` happening to `obj`."""
    parts = [kind, obj._meta.label_lower, str(obj.pk), *(str(e) for e in extra)]
    return ":".join(parts)[:120]


def _render(kind: str, part: str, context: dict) -> str:
    try:
        return render_to_string(f"emails/{kind}_{part}.txt", context)
    except TemplateDoesNotExist:
        return render_to_string(f"emails/generic_{part}.txt", context)


@dataclass(frozen=True)
class NotifyEvent:
    """One event to tell its recipients about (see notify)."""

    recipients: Iterable
    kind: str
    event_key: str
    context: dict
    url: str = ""


def notify(
    *, recipients: Iterable, kind: str, event_key: str, context: dict, url: str = ""
) -> list[Notification]:
    """
    Notify each recipient once of one event, in the app and by e-mail.
    Return the notifications created now (empty when all existed already).
    """
    return notify_many(events=[NotifyEvent(recipients, kind, event_key, context, url)])


def notify_many(*, events: list[NotifyEvent]) -> list[Notification]:
    """
    notify() for several events at once (a batch of notices): one lookup of
    what was notified before and one e-mail task for all, however many.
    """
    wanted = [
        (user, event)
        for event in events
        for user in {u.pk: u for u in event.recipients if u is not None and u.is_active}.values()
    ]
    if not wanted:
        return []
    done = set(
        Notification.objects.filter(
            recipient__in={user.pk for user, _event in wanted},
            event_key__in={event.event_key for _user, event in wanted},
        ).values_list("recipient_id", "event_key")
    )
    created: list[Notification] = []
    for user, event in wanted:
        if (user.pk, event.event_key) in done:
            continue
        with translation.override(user.language or "zh-hans"):
            full_context = {**event.context, "recipient": user, "url": event.url}
            subject = " ".join(_render(event.kind, "subject", full_context).split())[:255]
            body = _render(event.kind, "body", full_context).strip()
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user, kind=event.kind, event_key=event.event_key,
                        subject=subject, body=body, url=event.url,
                    )
                )
        except IntegrityError:
            # A concurrent run created it first; that one sends the e-mail.
            continue
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails_task

    enqueue(send_notification_emails_task, notification_ids=notification_ids)


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail one notification unless it was already sent; return True if sent now."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True).first()
        )
        if notification is None or not notification.recipient.email:
            return False
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL}{notification.url}"
        # The mailbox mixes senders, so the e-mail names the system; the
        # in-app list does not need to.
        with translation.override(notification.recipient.language or "zh-hans"):
            subject = f"[{_('LabelWatch')}] {notification.subject}"
        send_mail(subject, body, None, [notification.recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_mark_read(*, notification: Notification) -> Notification:
    from django.utils import timezone

    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` as read; return how many."""
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Notification]:
    """
    A user's own notifications, newest first (nobody reads another's); with
    `filters`, narrowed by NotificationFilter's parameters (ValidationError
    for a bad value).
    """
    if not viewer.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=viewer)
    if filters is None:
        return notifications
    return apply_filters(NotificationFilter, data=filters, queryset=notifications, viewer=viewer)
