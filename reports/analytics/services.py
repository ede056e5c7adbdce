"""
Refreshing the analytics roll-ups. They are derived data (counts of
sampled-item checks, findings and inspections), refreshed in one transaction
so that a dashboard never sees half of them.

Every roll-up row belongs to a cell (a campaign and an enterprise district
and role combination) and, but for the inspection counts, a month. Triggers
on the source tables write the cells and months their changes touch into
`RollupChange` (migration 0016), an item's capture month apart from a
finding's months; the scheduled refresh is incremental: it takes those
(cell, month) pairs and recomputes only their rows, the violation roll-up's
for items' months, the finding roll-ups' for findings' months. On
PostgreSQL this happens entirely in the database (`rollup_sql`: DELETE and
INSERT … SELECT over the scope's source rows), so its cost follows what
changed, not the size of the data; SQLite (development and CI) recomputes
the changed cells whole through the ORM below, with the same results. A
refresh rebuilds whole when there is no previous refresh, when the
working-day calendar changed (the time to rectify counts on it), when an
issue code changed category, or when so much changed that a full pass is
cheaper. Figures that depend on the day (a finding past its deadline becomes
due) bring in the deadline months of the findings whose deadline passed
since the last refresh.

Known limit: a cell is read from the enterprise when the change is written.
An item written while, in another transaction not yet committed, its
enterprise moves district is recorded in the old cell, and the move's
change rows do not see the item: the new cell's month stays stale until the
nightly full rebuild.
"""

import datetime
import functools
import hashlib
import operator
import time

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Q
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import User
from core.audit import audit_record
from inspections.models import CheckResult, Finding, FindingStatus, Inspection, ItemCheck

from . import rollup_sql, stats
from .models import (
    FindingDueRollup,
    FindingRollup,
    InspectionRollup,
    RectificationRollup,
    RepeatRollup,
    RollupChange,
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
# SQLite: beyond this many changed cells (of about a thousand at national
# scale) a full rebuild is about as fast and far simpler.
MAX_INCREMENTAL_CELLS = 300
# PostgreSQL: beyond this many changed (cell, month) pairs (of about 3,000 at
# national scale) a full rebuild is about as fast.
MAX_INCREMENTAL_MONTHS = 1000
ROLE_FLAGS = ("is_generation_provider", "is_dissemination_platform", "is_app_store",
              "is_technical_supporter")
CELL_FIELDS = ("campaign_id", "district", *ROLE_FLAGS)
# A cell: (campaign id or None for every campaign, district, four role flags).
Cell = tuple

# pg_advisory_xact_lock key of the refresh ("LWROLLUP" as an integer).
ROLLUP_LOCK_KEY = int.from_bytes(b"LWROLLUP", "big") & 0x7FFFFFFFFFFFFFFF
ALL_ROLLUPS = (FindingRollup, FindingDueRollup, RectificationRollup, RepeatRollup, InspectionRollup,
               ViolationRollup)


def _cells_q(cells: set[Cell] | None, *, campaign: str, enterprise: str) -> Q:
    """
    The rows of `cells` (None: every row), with `campaign` the path to the
    campaign id and `enterprise` the prefix of the district and role fields.
    """
    if cells is None:
        return Q()
    parts = []
    for campaign_id, district, *flags in sorted(cells, key=repr):
        part = Q(**{f"{enterprise}district": district},
                 **{f"{enterprise}{name}": value for name, value in zip(ROLE_FLAGS, flags, strict=True)})
        if campaign_id is not None:
            part &= Q(**{campaign: campaign_id})
        parts.append(part)
    return functools.reduce(operator.or_, parts) if parts else Q(pk__in=[])
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


def _inspections_of(cells: set[Cell]) -> list[int]:
    """
    The ids of the inspections in `cells`: the items, checks and findings of
    a few cells are then read through the inspection indexes, where a filter
    on the joined enterprise's columns would scan every check.
    """
    return list(Inspection.objects.filter(_cells_q(cells, campaign="campaign_id", enterprise="enterprise__"))
                .values_list("pk", flat=True))


def _aggregate(*, by_category: bool, scope: list[int] | None):
    keys = dict(_GROUP)
    if by_category:
        keys["cat"] = F("issue_code__category")
    checks = ItemCheck.objects.exclude(result=CheckResult.NOT_APPLICABLE)
    if scope is not None:
        checks = checks.filter(item__inspection_id__in=scope)
    return (
        checks
        .values(**keys)
        .annotate(
            n_checked=Count("item_id", distinct=True),
            n_failed=Count("item_id", distinct=True, filter=Q(result=CheckResult.FAIL)),
        )
        .order_by()
        .iterator(chunk_size=BATCH)
    )


def _rows(*, by_category: bool, scope: list[int] | None):
    for row in _aggregate(by_category=by_category, scope=scope):
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


def _finding_groups(*, month, keys: dict, aggregates, scope: list[int] | None, where: Q | None = None,
                    annotate: dict | None = None):
    """
    Group the (non-withdrawn) findings by month, the filter dimensions and
    `keys`, twice: once over all findings (modality "") and once joined to
    their evidence items' modalities, counting each finding once per
    modality. `aggregates(distinct)` returns the aggregate expressions.
    """
    # A finding's campaign and enterprise are its inspection's (services.findings sets them).
    base = Finding.objects.exclude(status=FindingStatus.WITHDRAWN).filter(where or Q())
    if scope is not None:
        base = base.filter(inspection_id__in=scope)
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
        # The plugin types rows of values(**expressions) as an empty TypedDict:
        # it cannot see the keys of a dict built at run time.
        for row in rows:
            if by_modality and not row["mod"]:  # type: ignore[misc]
                continue
            row.setdefault("mod", "")  # type: ignore[misc]
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


def _findings_rows(scope):
    def aggregates(distinct):
        return {
            "n": Count("id", distinct=distinct),
            "rep": Count("id", distinct=distinct, filter=Q(is_repeat=True)),
        }

    for row in _finding_groups(
        month=TruncMonth("created_at"),
        keys={"code": F("issue_code_id"), "sev": F("severity")}, aggregates=aggregates, scope=scope,
    ):
        yield FindingRollup(**_cube(row), issue_code=row["code"], severity=row["sev"],
                            findings=row["n"], repeats=row["rep"])


def _due_rows(today: datetime.date, scope):
    def aggregates(distinct):
        return {
            "due": Count("id", distinct=distinct),
            "ok": Count("id", distinct=distinct, filter=_on_time_q()),
        }

    for row in _finding_groups(
        month=TruncMonth("deadline", output_field=DateField()),
        keys={"sev": F("severity")}, aggregates=aggregates, where=_due_q(today), scope=scope,
        annotate={"closed_day": TruncDate("closed_at")},
    ):
        yield FindingDueRollup(**_cube(row), severity=row["sev"], due=row["due"], on_time=row["ok"])


def _rectification_rows(scope):
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
        aggregates=aggregates, scope=scope,
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


def _repeat_rows(scope):
    def aggregates(distinct):
        return {"n": Count("id", distinct=distinct), "last": Max("created_at")}

    for row in _finding_groups(
        month=TruncMonth("created_at"),
        keys={"ent": F("enterprise_id"), "code": F("issue_code_id")},
        aggregates=aggregates, where=Q(is_repeat=True), scope=scope,
    ):
        yield RepeatRollup(**_cube(row), enterprise_id=row["ent"], issue_code=row["code"],
                           repeats=row["n"], last_at=row["last"])


def _inspection_rows(scope):
    rows = (
        Inspection.objects.filter(Q(pk__in=scope) if scope is not None else Q())
        .values(**_CUBE)
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


def _refresh(today: datetime.date, cells: set[Cell] | None) -> tuple[int, int]:
    """
    Replace the roll-up rows of `cells` (None: all) with rows recomputed
    from the source rows of those cells; (finding rows, violation rows) written.
    """
    own_rows = _cells_q(cells, campaign="campaign_id", enterprise="")
    for model in ALL_ROLLUPS:
        model.objects.filter(own_rows).delete()
    # The source rows of the cells: those of their inspections.
    scope = _inspections_of(cells) if cells is not None else None
    finding_rows = 0
    for model, rows in (
        (FindingRollup, _findings_rows(scope)),
        (FindingDueRollup, _due_rows(today, scope)),
        (RectificationRollup, _rectification_rows(scope)),
        (RepeatRollup, _repeat_rows(scope)),
        (InspectionRollup, _inspection_rows(scope)),
    ):
        finding_rows += _bulk(model, rows)
    violation_rows = sum(_bulk(ViolationRollup, _rows(by_category=by_category, scope=scope))
                         for by_category in (False, True))
    if cells is None:
        _analyze(*ALL_ROLLUPS)
    return finding_rows, violation_rows


def _take_changes() -> set[Cell]:
    """
    Delete the change rows committed so far and return their cells (SQLite:
    the months are not used). A rolled-back refresh puts them all back.
    """
    columns = ", ".join(CELL_FIELDS)
    table = RollupChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} RETURNING {columns}")
        return {tuple(row) for row in cursor.fetchall()}


def _one_refresh_at_a_time() -> None:
    """
    Serialise refreshes (a slow one and the next scheduled one): two
    rebuilding the same cells at once would each insert their rows. On
    SQLite the first write (taking the changes) already serialises them.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK_KEY])


def _newly_due_cells(since: datetime.date, today: datetime.date) -> set[Cell]:
    """Cells of the open findings whose deadline passed since `since` (now due)."""
    return set(
        Finding.objects.exclude(status__in=[FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN])
        .filter(deadline__gte=since, deadline__lt=today)
        .values_list("campaign_id", "enterprise__district", *(f"enterprise__{f}" for f in ROLE_FLAGS))
        .distinct()
    )


def _calendar_basis() -> str:
    """A fingerprint of the working-day calendar the time to rectify is counted on."""
    holidays, makeup = calendar_exceptions()
    text = ",".join(d.isoformat() for d in holidays) + "|" + ",".join(d.isoformat() for d in makeup)
    return hashlib.sha256(text.encode()).hexdigest()


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


def _record_state(name: str, *, rows: int, began: float, basis: str, incremental: bool) -> RollupState:
    state, _created = RollupState.objects.update_or_create(
        name=name,
        defaults={
            "refreshed_at": timezone.now(),
            "rows": rows,
            "seconds": round(time.monotonic() - began, 3),
            "basis": basis,
            "incremental": incremental,
        },
    )
    return state


@transaction.atomic
def analytics_rollups_refresh(*, actor: User | None = None, incremental: bool = False) -> RollupState:
    """
    Refresh the violation, findings and inspections roll-ups and record
    when: whole, or (`incremental`) only the cells and months changed since
    the last refresh, falling back to whole when that is not possible
    (module docstring). An item counts as checked when at least one check
    applied to it (pass or fail), and as failing when at least one failed;
    per category likewise.
    """
    began = time.monotonic()
    _one_refresh_at_a_time()
    today = timezone.localdate()
    basis = _calendar_basis()
    previous = RollupState.objects.filter(name=VIOLATION_ROLLUP).first()
    since = None
    if incremental and previous is not None and previous.basis == basis:
        since = timezone.localdate(previous.refreshed_at)
    if connection.vendor == "postgresql":
        done_incrementally = _refresh_in_database(today, since)
    else:
        done_incrementally = _refresh_through_orm(today, since)
    finding_rows = sum(m.objects.count() for m in ALL_ROLLUPS if m is not ViolationRollup)
    total = ViolationRollup.objects.count()
    _record_state(FINDINGS_ROLLUP, rows=finding_rows, began=began, basis=basis,
                  incremental=done_incrementally)
    state = _record_state(VIOLATION_ROLLUP, rows=total, began=began, basis=basis,
                          incremental=done_incrementally)
    if actor is not None:
        # A manual refresh is a user action; the scheduled one is routine.
        audit_record(actor=actor, action="analytics_refresh", obj=state,
                     after={"rows": total, "finding_rows": finding_rows})
    return state


def _refresh_in_database(today: datetime.date, since: datetime.date | None) -> bool:
    """
    PostgreSQL: the changes since the last refresh (`since`: its day; None:
    rebuild whole) recomputed by `rollup_sql`; whether it was incremental.
    """
    holidays, makeup = calendar_exceptions()
    with connection.cursor() as cursor:
        whole, pairs = rollup_sql.take_changes(cursor, since=since, today=today)
        scoped = since is not None and not whole and pairs <= MAX_INCREMENTAL_MONTHS
        rollup_sql.refresh(cursor, today=today, scoped=scoped, holidays=holidays, makeup_days=makeup)
    if not scoped:
        _analyze(*ALL_ROLLUPS)
    return scoped


def _refresh_through_orm(today: datetime.date, since: datetime.date | None) -> bool:
    """
    SQLite: the cells changed since the last refresh (`since`: its day;
    None: rebuild whole) recomputed whole through the ORM; whether it was
    incremental.
    """
    changed = _take_changes()
    cells: set[Cell] | None = None
    if since is not None:
        cells = changed
        if since < today:
            cells |= _newly_due_cells(since, today)
        if any(cell[1] is None for cell in cells) or len(cells) > MAX_INCREMENTAL_CELLS:
            cells = None
    _refresh(today, cells)
    return cells is not None
