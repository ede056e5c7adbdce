import logging
import time

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="risk.recompute")
def risk_recompute_task() -> int:
    """Nightly: recompute every active enterprise's risk score (beat schedule in settings)."""
    from .services import risk_recompute

    started = time.monotonic()
    scored = risk_recompute()
    logger.info("risk scores of %d enterprises recomputed in %.1f s", scored,
                time.monotonic() - started)
    return scored
