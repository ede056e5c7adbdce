from celery import shared_task


@shared_task(name="selfchecks.remind")
def selfchecks_remind_task() -> dict:
    """Daily: remind before the due date and mark overdue, once per due date."""
    from .services import reports_remind_and_mark_overdue

    return reports_remind_and_mark_overdue()


@shared_task(name="selfchecks.contradictions")
def selfchecks_contradictions_task() -> int:
    """Every quarter hour: flag findings that contradict a declaration of compliance."""
    from .services import contradictions_detect

    return contradictions_detect()
