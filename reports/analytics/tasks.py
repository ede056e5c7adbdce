"""Celery interface of the analytics roll-ups (scheduled in settings)."""

import logging
import time

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="reports.analytics_rollups_refresh")
def analytics_rollups_refresh_task(*, actor_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from .services import analytics_rollups_refresh

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    started = time.monotonic()
    rows = analytics_rollups_refresh(actor=actor).rows
    logger.info("analytics roll-ups refreshed: %d rows in %.1f s", rows, time.monotonic() - started)
    return rows
