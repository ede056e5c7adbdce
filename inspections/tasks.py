"""
Celery tasks of the inspections app. Each takes ids (or nothing), loads and
calls one service; each is idempotent, so running it twice changes and sends
nothing more. The beat schedule is settings.CELERY_BEAT_SCHEDULE.
"""

from celery import shared_task


@shared_task(name="inspections.make_inspections_due")
def make_inspections_due() -> int:
    """Planned inspections whose date has come become due."""
    from .services import inspections_make_due

    return inspections_make_due()


@shared_task(name="inspections.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Remind officers and enterprises three working days before a deadline."""
    from .services import findings_send_reminders

    return findings_send_reminders()


@shared_task(name="inspections.mark_findings_overdue")
def mark_findings_overdue() -> int:
    """Findings past their deadline turn overdue."""
    from .services import findings_mark_overdue

    return findings_mark_overdue()


@shared_task(name="inspections.check_item_labels", bind=True, max_retries=2)
def check_item_labels_task(self, item_id: int) -> str:
    """
    Run the GB 45438 label checker on a sampled item's file and record the
    result (and the IMP checks) through item_apply_label_check. A no-op for
    items without a file.
    """
    from .models import SampledItem
    from .services import item_apply_label_check

    item = (SampledItem.objects.select_related("inspection__enterprise")
            .filter(pk=item_id).first())
    if item is None or not item.file:
        return "skipped"
    from inspections import labels  # imported lazily: the checker is optional at import time

    result = labels.check_path(item.file.path, expected_uscc=item.inspection.enterprise.uscc)
    data = result.to_json_dict() if hasattr(result, "to_json_dict") else dict(result)
    item_apply_label_check(item=item, result=data, checker_version=labels.CHECKER_VERSION)
    return data.get("verdict", "")
