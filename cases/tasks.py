from celery import shared_task


@shared_task
def warn_case_deadlines_task() -> int:
    from .services import case_warn_deadlines

    return case_warn_deadlines()
