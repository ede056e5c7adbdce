import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def warn_case_deadlines_task() -> int:
    from .services import case_warn_deadlines

    warned = case_warn_deadlines()
    logger.info("%d case deadline warnings sent", warned)
    return warned
