"""Celery interface of the analytics roll-ups (scheduled in settings)."""

from celery import shared_task


@shared_task(name="reports.analytics_rollups_refresh")
def analytics_rollups_refresh_task(*, actor_id: int | None = None, incremental: bool = False) -> int:
    from django.contrib.auth import get_user_model

    from .services import analytics_rollups_refresh

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return analytics_rollups_refresh(actor=actor, incremental=incremental).rows
