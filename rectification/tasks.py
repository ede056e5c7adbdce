from celery import shared_task


@shared_task
def remind_overdue_findings_task() -> int:
    """Record (once) the reminder step of each overdue finding and notify the enterprise."""
    from .services import escalation_remind_overdue

    return escalation_remind_overdue()
