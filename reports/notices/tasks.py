"""Celery tasks of the reports app: thin interfaces that take ids and call a service."""

from celery import shared_task
from celery.signals import worker_ready


@shared_task(acks_late=True)
def batch_issue_task(*, batch_id: int) -> dict:
    """Issue a batch's approved notices; safe to run again after a crash."""
    from .services import batch_issue_run

    batch = batch_issue_run(batch_id=batch_id)
    return {"issued": batch.issued, "skipped": batch.skipped, "failed": batch.failed}


@worker_ready.connect
def warm_up_notice_fonts(**kwargs) -> None:
    """
    Load the PDF fonts and the URLconf when a worker starts, so that the
    first batch it issues (and every render pool it forks) starts warm.
    """
    from ..pdf import warm_up
    from .services import verify_url

    warm_up()
    verify_url()  # imports the URLconf, which a worker otherwise does on its first notice
