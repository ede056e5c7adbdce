from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_notification_emails_task(self, *, notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications; already-sent ones are skipped."""
    from .notifications import notification_send_email

    sent = 0
    for notification_id in notification_ids:
        try:
            sent += notification_send_email(notification_id=notification_id)
        except OSError as exc:  # SMTP down: retry later, sent ones stay sent
            raise self.retry(exc=exc)
    return sent
