"""
Handing work to Celery when the broker may be down. `enqueue` sends a task;
if the broker (Redis) cannot be reached, the task is kept in the database
(`PendingTask`) instead of failing the request whose data is already
committed, and `pending_tasks_resend` (beat, every minute) sends what was
kept once the broker is back. Every task sent this way must be safe to run
twice (they all are: each does nothing for work already done).
"""

import logging

from django.db import transaction

logger = logging.getLogger("labelwatch.queue")
RESEND_BATCH = 500


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError, TimeoutError

    return (OperationalError, ConnectionError, TimeoutError, OSError)


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)`; True if sent now, False if kept for later."""
    try:
        task.delay(*args, **kwargs)
        return True
    except _broker_errors() as exc:
        from .models import PendingTask

        PendingTask.objects.create(task=task.name, args=list(args), kwargs=kwargs, error=str(exc)[:500])
        logger.warning("broker unavailable (%s): %s kept to be sent later", exc, task.name)
        return False


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """`enqueue` once the current transaction commits (the task reads committed rows)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def pending_tasks_resend() -> int:
    """Send the kept tasks, oldest first; stop at the first broker error. Returns how many were sent."""
    from celery import current_app

    from .models import PendingTask

    sent = 0
    for pending in PendingTask.objects.order_by("pk")[:RESEND_BATCH]:
        try:
            current_app.send_task(pending.task, args=pending.args, kwargs=pending.kwargs)
        except _broker_errors() as exc:
            PendingTask.objects.filter(pk=pending.pk).update(error=str(exc)[:500])
            break
        PendingTask.objects.filter(pk=pending.pk).delete()
        sent += 1
    if sent:
        logger.info("sent %s kept tasks", sent)
    return sent
