"""
Rebuilding the analytics roll-ups. The violation roll-up is derived data
(counts of sampled-item checks), rebuilt whole in one transaction so that a
dashboard never sees half of it; the heavy GROUP BY runs in the database.
"""

import time

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.audit import audit_record
from inspections.models import CheckResult, ItemCheck

from .models import RollupState, ViolationRollup
from .selectors.analytics import VIOLATION_ROLLUP

BATCH = 5000
_GROUP = {
    "month": TruncMonth("item__captured_at"),
    "campaign": F("item__inspection__campaign_id"),
    "district": F("item__inspection__enterprise__district"),
    "gp": F("item__inspection__enterprise__is_generation_provider"),
    "dp": F("item__inspection__enterprise__is_dissemination_platform"),
    "app": F("item__inspection__enterprise__is_app_store"),
    "ts": F("item__inspection__enterprise__is_technical_supporter"),
    "mod": F("item__modality"),
}


def _aggregate(*, by_category: bool):
    keys = dict(_GROUP)
    if by_category:
        keys["cat"] = F("issue_code__category")
    return (
        ItemCheck.objects.exclude(result=CheckResult.NOT_APPLICABLE)
        .values(**keys)
        .annotate(
            n_checked=Count("item_id", distinct=True),
            n_failed=Count("item_id", distinct=True, filter=Q(result=CheckResult.FAIL)),
        )
        .order_by()
        .iterator(chunk_size=BATCH)
    )


def _rows(*, by_category: bool):
    for row in _aggregate(by_category=by_category):
        month = row["month"]
        if hasattr(month, "date"):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        yield ViolationRollup(
            month=month.replace(day=1),
            campaign_id=row["campaign"],
            district=row["district"],
            is_generation_provider=row["gp"],
            is_dissemination_platform=row["dp"],
            is_app_store=row["app"],
            is_technical_supporter=row["ts"],
            modality=row["mod"],
            category=row["cat"] if by_category else "",
            checked=row["n_checked"],
            failed=row["n_failed"],
        )


@transaction.atomic
def analytics_rollups_refresh(*, actor=None) -> RollupState:
    """
    Rebuild the violation roll-up from the item checks and record when.
    An item counts as checked when at least one check applied to it (pass or
    fail), and as failing when at least one failed; per category likewise.
    """
    began = time.monotonic()
    ViolationRollup.objects.all().delete()
    total = 0
    for by_category in (False, True):
        batch = []
        for row in _rows(by_category=by_category):
            batch.append(row)
            if len(batch) >= BATCH:
                ViolationRollup.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        if batch:
            ViolationRollup.objects.bulk_create(batch)
            total += len(batch)
    state, _created = RollupState.objects.update_or_create(
        name=VIOLATION_ROLLUP,
        defaults={
            "refreshed_at": timezone.now(),
            "rows": total,
            "seconds": round(time.monotonic() - began, 3),
        },
    )
    if actor is not None:
        # A manual refresh is a user action; the scheduled one is routine.
        audit_record(actor=actor, action="analytics_refresh", obj=state, after={"rows": total})
    return state
