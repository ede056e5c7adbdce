from celery import shared_task


@shared_task(name="risk.recompute")
def risk_recompute_task() -> int:
    """Nightly: recompute every active enterprise's risk score (beat schedule in settings)."""
    from .services import risk_recompute

    return risk_recompute()
