"""Celery tasks of the reports app: thin interfaces that take ids and call a service."""

from celery import shared_task


@shared_task(acks_late=True)
def batch_issue_task(*, batch_id: int) -> dict:
    """Issue a batch's approved notices; safe to run again after a crash."""
    from .services import batch_issue_run

    batch = batch_issue_run(batch_id=batch_id)
    return {"issued": batch.issued, "skipped": batch.skipped, "failed": batch.failed}
