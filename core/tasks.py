import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_notification_emails_task(self, *, notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications; already-sent ones are skipped."""
    from .notifications import notification_send_email

    sent = 0
    for notification_id in notification_ids:
        try:
            sent += notification_send_email(notification_id=notification_id)
        except OSError as exc:  # SMTP down: retry later, sent ones stay sent
            logger.warning("notification %s: e-mail not sent, retrying", notification_id,
                           exc_info=True)
            raise self.retry(exc=exc)
    return sent


@shared_task
def export_job_run_task(*, job_id: int) -> str:
    """Build one background export (a finished or deleted job is left alone)."""
    from .exports import export_job_run
    from .models import ExportJob

    try:
        return export_job_run(job_id=job_id).status
    except ExportJob.DoesNotExist:
        logger.info("export job %s no longer exists", job_id)
        return "missing"


@shared_task
def export_jobs_cleanup_task() -> int:
    """Remove export files (and their jobs) older than settings.EXPORT_KEEP_DAYS."""
    from .exports import export_jobs_cleanup

    return export_jobs_cleanup()


@shared_task
def audit_anchor_task() -> int:
    """Write the head of every audit stream out of the database (file and/or e-mail)."""
    from .audit_chain import anchor_write

    heads = len(anchor_write()["heads"])
    logger.info("audit chain anchored: %d stream heads written", heads)
    return heads
