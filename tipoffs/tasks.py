from celery import shared_task


@shared_task(name="tipoffs.remind_replies")
def tipoffs_remind_replies_task() -> int:
    """Daily: remind staff of tip-off reply times about to run out (once per due date)."""
    from .services import tipoffs_remind_replies

    return tipoffs_remind_replies()
