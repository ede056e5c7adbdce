"""
Celery tasks of the inspections app. Each takes ids (or nothing), loads and
calls one service; each is idempotent, so running it twice changes and sends
nothing more. The beat schedule is settings.CELERY_BEAT_SCHEDULE.
"""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="inspections.make_inspections_due")
def make_inspections_due() -> int:
    """Planned inspections whose date has come become due."""
    from .services.inspections import inspections_make_due

    made_due = inspections_make_due()
    logger.info("%d planned inspections became due", made_due)
    return made_due


@shared_task(name="inspections.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Remind officers and enterprises three working days before a deadline."""
    from .services.findings import findings_send_reminders

    sent = findings_send_reminders()
    logger.info("%d deadline reminders sent", sent)
    return sent


@shared_task(name="inspections.mark_findings_overdue")
def mark_findings_overdue() -> int:
    """Findings past their deadline turn overdue."""
    from .services.findings import findings_mark_overdue

    overdue = findings_mark_overdue()
    logger.info("%d findings turned overdue", overdue)
    return overdue


@shared_task(name="inspections.check_item_explicit_label", bind=True, max_retries=2,
             acks_late=True, soft_time_limit=300, time_limit=360)
def check_item_explicit_label_task(self, item_id: int, force: bool = False) -> str:
    """
    Check the explicit (visible or audible) label of a sampled item's file:
    OCR, video frames, the 短长短短 rhythm, the text (item_check_explicit).
    CPU-bound: routed to the "explicit" queue (settings.CELERY_TASK_ROUTES),
    so it never delays e-mail and scheduled tasks. Safe to run twice.
    """
    from django.db import OperationalError

    from .services.explicit_results import item_check_explicit

    try:
        return item_check_explicit(item_id=item_id, force=force)
    except OperationalError as error:  # a lock or a lost connection: try again
        logger.warning("explicit-label check of item %s: database error, retrying", item_id,
                       exc_info=True)
        raise self.retry(exc=error, countdown=30) from error


@shared_task(name="inspections.check_item_labels", bind=True, max_retries=2)
def check_item_labels_task(self, item_id: int, force: bool = False) -> str:
    """
    Run the GB 45438 label checker on a sampled item's file and record the
    result and the IMP checks (item_check_labels). A no-op for items
    without a file, and for items the current checker version has already
    checked unless forced; safe to run twice.
    """
    from django.db import OperationalError

    from .services.label_results import item_check_labels

    try:
        return item_check_labels(item_id=item_id, force=force)
    except OperationalError as error:  # a lock or a lost connection: try again
        logger.warning("label check of item %s: database error, retrying", item_id,
                       exc_info=True)
        raise self.retry(exc=error, countdown=30) from error


@shared_task(name="inspections.recount_estimated_deadlines")
def recount_estimated_deadlines() -> int:
    """An administrator changed the holiday calendar: recount estimated deadlines."""
    from .deadlines import deadlines_recount_estimated

    recounted = deadlines_recount_estimated()
    logger.info("%d estimated deadlines recounted after a calendar change", recounted)
    return recounted
