"""
Rebuilding the analytics roll-ups. They are derived data (counts of
sampled-item checks, findings and inspections), rebuilt whole in one
transaction so that a dashboard never sees half of them; the heavy GROUP BY
runs in the database, and only the grouped rows (never the findings
themselves) come to Python.
"""

import datetime
import time

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Q
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import User
from core.audit import audit_record
from inspections.models import CheckResult, Finding, FindingStatus, Inspection, ItemCheck

from . import stats
from .models import (
    FindingDueRollup,
    FindingRollup,
    InspectionRollup,
    RectificationRollup,
    RepeatRollup,
    RollupState,
    ViolationRollup,
)
from .selectors import (
    FINDINGS_ROLLUP,
    VIOLATION_ROLLUP,
    _due_q,
    _on_time_q,
    calendar_exceptions,
)

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


# --- findings roll-ups ----------------------------------------------------------

_CUBE = {
    "camp": F("campaign_id"),
    "dist": F("enterprise__district"),
    "gp": F("enterprise__is_generation_provider"),
    "dp": F("enterprise__is_dissemination_platform"),
    "app": F("enterprise__is_app_store"),
    "ts": F("enterprise__is_technical_supporter"),
}


def _as_month(value) -> datetime.date:
    """A TruncMonth value (aware datetime, or date for date fields) as a first day."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _finding_groups(*, month, keys: dict, aggregates, where: Q | None = None, annotate: dict | None = None):
    """
    Group the (non-withdrawn) findings by month, the filter dimensions and
    `keys`, twice: once over all findings (modality "") and once joined to
    their evidence items' modalities, counting each finding once per
    modality. `aggregates(distinct)` returns the aggregate expressions.
    """
    base = Finding.objects.exclude(status=FindingStatus.WITHDRAWN).filter(where or Q())
    if annotate:
        base = base.annotate(**annotate)
    group = {"month_": month, **_CUBE, **keys}
    for by_modality in (False, True):
        queryset = base
        values = dict(group)
        if by_modality:
            # One LEFT JOIN to the evidence items; findings without evidence
            # come back with no modality and are in the "" rows only.
            values["mod"] = F("evidence_items__modality")
        rows = (
            queryset.values(**values).annotate(**aggregates(by_modality)).order_by()
            .iterator(chunk_size=BATCH)
        )
        for row in rows:
            if by_modality and not row["mod"]:
                continue
            row.setdefault("mod", "")
            yield row


def _cube(row) -> dict:
    return {
        "month": _as_month(row["month_"]), "campaign_id": row["camp"],
        "district": row["dist"], "is_generation_provider": row["gp"],
        "is_dissemination_platform": row["dp"], "is_app_store": row["app"],
        "is_technical_supporter": row["ts"], "modality": row["mod"],
    }


def _bulk(model, objects) -> int:
    total, batch = 0, []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            total, batch = total + len(batch), []
    if batch:
        model.objects.bulk_create(batch)
        total += len(batch)
    return total


def _findings_rows():
    def aggregates(distinct):
        return {
            "n": Count("id", distinct=distinct),
            "rep": Count("id", distinct=distinct, filter=Q(is_repeat=True)),
        }

    for row in _finding_groups(
        month=TruncMonth("created_at"),
        keys={"code": F("issue_code_id"), "sev": F("severity")}, aggregates=aggregates,
    ):
        yield FindingRollup(**_cube(row), issue_code=row["code"], severity=row["sev"],
                            findings=row["n"], repeats=row["rep"])


def _due_rows(today: datetime.date):
    def aggregates(distinct):
        return {
            "due": Count("id", distinct=distinct),
            "ok": Count("id", distinct=distinct, filter=_on_time_q()),
        }

    for row in _finding_groups(
        month=TruncMonth("deadline", output_field=DateField()),
        keys={"sev": F("severity")}, aggregates=aggregates, where=_due_q(today),
        annotate={"closed_day": TruncDate("closed_at")},
    ):
        yield FindingDueRollup(**_cube(row), severity=row["sev"], due=row["due"], on_time=row["ok"])


def _rectification_rows():
    """
    Group accepted findings by (cube, severity, start day, closing day) in
    the database, count the working days of each distinct pair with the
    vectorised calendar, and sum into a histogram per working-day count.
    """
    def aggregates(distinct):
        return {"n": Count("id", distinct=distinct)}

    rows = _finding_groups(
        month=TruncMonth("closed_at"),
        keys={"sev": F("severity"), "start": F("start_day"), "end": F("end_day")},
        aggregates=aggregates,
        where=Q(status=FindingStatus.ACCEPTED, closed_at__isnull=False),
        annotate={"start_day": TruncDate(Coalesce("notified_at", "created_at")),
                  "end_day": TruncDate("closed_at")},
    )
    frame = pd.DataFrame.from_records(
        ({**_cube(r), "severity": r["sev"], "start": r["start"], "end": r["end"], "n": r["n"]}
         for r in rows),
        columns=["month", "campaign_id", "district", "is_generation_provider",
                 "is_dissemination_platform", "is_app_store", "is_technical_supporter",
                 "modality", "severity", "start", "end", "n"],
    )
    if frame.empty:
        return
    holidays, makeup = calendar_exceptions()
    frame["working_days"] = stats.working_days(
        frame["start"], frame["end"], holidays=holidays, makeup_days=makeup
    ).clip(min=0)
    keys = ["month", "campaign_id", "district", "is_generation_provider",
            "is_dissemination_platform", "is_app_store", "is_technical_supporter",
            "modality", "severity", "working_days"]
    histogram = frame.groupby(keys, sort=False, as_index=False)["n"].sum()
    for record in histogram.to_dict("records"):
        findings = int(record.pop("n"))
        record["working_days"] = int(record["working_days"])
        record["campaign_id"] = int(record["campaign_id"])
        for flag in ("is_generation_provider", "is_dissemination_platform", "is_app_store",
                     "is_technical_supporter"):
            record[flag] = bool(record[flag])
        yield RectificationRollup(**record, findings=findings)


def _repeat_rows():
    def aggregates(distinct):
        return {"n": Count("id", distinct=distinct), "last": Max("created_at")}

    for row in _finding_groups(
        month=TruncMonth("created_at"),
        keys={"ent": F("enterprise_id"), "code": F("issue_code_id")},
        aggregates=aggregates, where=Q(is_repeat=True),
    ):
        yield RepeatRollup(**_cube(row), enterprise_id=row["ent"], issue_code=row["code"],
                           repeats=row["n"], last_at=row["last"])


def _inspection_rows():
    rows = (
        Inspection.objects.values(**_CUBE)
        .annotate(n=Count("id"), ents=Count("enterprise_id", distinct=True))
        .order_by()
        .iterator(chunk_size=BATCH)
    )
    for row in rows:
        yield InspectionRollup(
            campaign_id=row["camp"], district=row["dist"],
            is_generation_provider=row["gp"], is_dissemination_platform=row["dp"],
            is_app_store=row["app"], is_technical_supporter=row["ts"],
            inspections=row["n"], enterprises=row["ents"],
        )


def _refresh_findings() -> int:
    today = timezone.localdate()
    total = 0
    for model, rows in (
        (FindingRollup, _findings_rows()),
        (FindingDueRollup, _due_rows(today)),
        (RectificationRollup, _rectification_rows()),
        (RepeatRollup, _repeat_rows()),
        (InspectionRollup, _inspection_rows()),
    ):
        model.objects.all().delete()
        total += _bulk(model, rows)
    _analyze(FindingRollup, FindingDueRollup, RectificationRollup, RepeatRollup, InspectionRollup)
    return total


def _analyze(*models) -> None:
    """
    Refresh the planner statistics of rebuilt tables (PostgreSQL), so the
    dashboards' month-range scans are planned on the new row counts rather
    than on those of an empty table.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models))


def _record_state(name: str, *, rows: int, began: float) -> RollupState:
    state, _created = RollupState.objects.update_or_create(
        name=name,
        defaults={
            "refreshed_at": timezone.now(),
            "rows": rows,
            "seconds": round(time.monotonic() - began, 3),
        },
    )
    return state


@transaction.atomic
def analytics_rollups_refresh(*, actor: User | None = None) -> RollupState:
    """
    Rebuild the violation roll-up from the item checks, then the findings
    and inspections roll-ups, and record when. An item counts as checked
    when at least one check applied to it (pass or fail), and as failing
    when at least one failed; per category likewise.
    """
    began = time.monotonic()
    findings_rows = _refresh_findings()
    _record_state(FINDINGS_ROLLUP, rows=findings_rows, began=began)
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
    _analyze(ViolationRollup)
    state = _record_state(VIOLATION_ROLLUP, rows=total, began=began)
    if actor is not None:
        # A manual refresh is a user action; the scheduled one is routine.
        audit_record(actor=actor, action="analytics_refresh", obj=state, after={"rows": total, "finding_rows": findings_rows})
    return state
