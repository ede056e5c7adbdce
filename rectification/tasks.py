import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def remind_overdue_findings_task() -> int:
    """Record (once) the reminder step of each overdue finding and notify the enterprise."""
    from .services import escalation_remind_overdue

    reminded = escalation_remind_overdue()
    logger.info("%d overdue findings reminded", reminded)
    return reminded
