"""
The roll-up refresh on PostgreSQL, written entirely inside the database:
every roll-up row is deleted and inserted by `DELETE … USING` and
`INSERT … SELECT`, never fetched into Python.

A refresh works on a scope, the temporary table `rollup_scope`: (cell,
month) pairs, a cell being a campaign and an enterprise district and role
combination, each for the items (`items`: the violation roll-up) or the
findings (the finding roll-ups) of that month. The incremental refresh
fills it from the change rows the triggers wrote (`RollupChange`: a moment
or a day, turned here into a month in the project's time zone) and from the
findings whose deadline passed since the last refresh; the source rows of
the scope are then gathered once into temporary tables (inspections of the
scope's cells, their items in the scope's item months, findings with a
month in the scope's finding months), and each roll-up is recomputed from
them. A full rebuild runs the same statements without the scope.

The definitions are those of the ORM refresh in `services` (which SQLite
runs): the same hand-counted tests run on both databases, and the
incremental refresh is checked row for row against a full rebuild.
"""

import contextlib
import datetime

import numpy as np
import pandas as pd
from django.utils import timezone

from inspections.models import CheckResult, FindingStatus

from . import stats
from .models import (
    FindingDueRollup,
    FindingRollup,
    InspectionRollup,
    RectificationRollup,
    RepeatRollup,
    RollupChange,
    ViolationRollup,
)

CELL = (
    "campaign_id",
    "district",
    "is_generation_provider",
    "is_dissemination_platform",
    "is_app_store",
    "is_technical_supporter",
)
CELL_SQL = ", ".join(CELL)
MONTHLY = (ViolationRollup, FindingRollup, FindingDueRollup, RectificationRollup, RepeatRollup)
WORK_MEM = "128MB"
TEMP_TABLES = (
    "rollup_scope",
    "rollup_insp",
    "rollup_item",
    "rollup_check",
    "rollup_finding",
    "rollup_fm",
    "rollup_workday",
)


def _month(expression: str) -> str:
    """The first day of the month of a timestamptz, in the project's time zone (%(tz)s)."""
    return f"date_trunc('month', {expression} AT TIME ZONE %(tz)s)::date"


def _same_cell(a: str, b: str) -> str:
    return " AND ".join(f"{a}.{c} = {b}.{c}" for c in CELL)


def _in_scope(alias: str, month: str, scoped: bool) -> str:
    """A condition keeping the findings `alias` whose cell and `month` are in the scope."""
    if not scoped:
        return ""
    return (
        f" AND EXISTS (SELECT 1 FROM rollup_scope sc WHERE {_same_cell('sc', alias)} "
        f"AND sc.month = {alias}.{month} AND NOT sc.items)"
    )


def _table(model) -> str:
    return model._meta.db_table


def take_changes(cursor, *, since: datetime.date | None, today: datetime.date) -> tuple[bool, int]:
    """
    Delete the change rows committed so far and put their (cell, month)
    pairs in `rollup_scope`, with those of the open findings whose deadline
    passed since `since` (now due). DELETE … RETURNING takes exactly the rows
    this transaction sees: a change committed meanwhile stays for the next
    refresh, and a rolled-back refresh puts them all back. Returns (whether
    a change asks for a full rebuild, the number of pairs).
    """
    drop_temporary_tables(cursor)
    cursor.execute(
        "CREATE TEMPORARY TABLE rollup_scope (campaign_id integer, district varchar(6), "
        "is_generation_provider boolean, is_dissemination_platform boolean, is_app_store boolean, "
        "is_technical_supporter boolean, month date, items boolean) ON COMMIT DROP"
    )
    cursor.execute(
        f"WITH gone AS (DELETE FROM {_table(RollupChange)} "
        f"RETURNING {CELL_SQL}, captured_at, at, day) "
        f"INSERT INTO rollup_scope SELECT DISTINCT {CELL_SQL}, CASE "
        f"WHEN captured_at IS NOT NULL THEN {_month('captured_at')} "
        "WHEN day IS NOT NULL THEN date_trunc('month', day::timestamp)::date "
        f"WHEN at IS NOT NULL THEN {_month('at')} END, captured_at IS NOT NULL FROM gone",
        {"tz": timezone.get_current_timezone_name()},
    )
    if since is not None and since < today:
        cursor.execute(
            "INSERT INTO rollup_scope SELECT DISTINCT f.campaign_id, e.district, "
            "e.is_generation_provider, e.is_dissemination_platform, e.is_app_store, "
            "e.is_technical_supporter, date_trunc('month', f.deadline::timestamp)::date, false "
            "FROM inspections_finding f JOIN enterprises_enterprise e ON e.id = f.enterprise_id "
            "WHERE f.status NOT IN (%s, %s) AND f.deadline >= %s AND f.deadline < %s",
            [FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN, since, today],
        )
    cursor.execute("ANALYZE rollup_scope")
    cursor.execute(
        "SELECT bool_or(district IS NULL OR campaign_id IS NULL), "
        f"count(DISTINCT ({CELL_SQL}, month, items)) FROM rollup_scope"
    )
    whole, pairs = cursor.fetchone()
    return bool(whole), pairs


def drop_temporary_tables(cursor) -> None:
    # They are dropped at commit; a refresh run twice in one transaction (a
    # test) drops them itself.
    cursor.execute("DROP TABLE IF EXISTS " + ", ".join(TEMP_TABLES))


def refresh(cursor, *, today: datetime.date, scoped: bool, holidays, makeup_days) -> None:
    """
    Replace the roll-up rows of the scope (`scoped`), or all of them, with
    rows recomputed from their source rows.
    """
    params = {
        "tz": timezone.get_current_timezone_name(),
        "today": today,
        "fail": CheckResult.FAIL,
        "na": CheckResult.NOT_APPLICABLE,
        "accepted": FindingStatus.ACCEPTED,
        "withdrawn": FindingStatus.WITHDRAWN,
    }

    def run(sql: str) -> None:
        cursor.execute(sql, params)

    # The grouping and the hash joins below sort and hash some hundred
    # thousand rows (millions when whole): in memory, not in batches on disk.
    with _settings(cursor, work_mem=WORK_MEM):
        try:
            _refresh(run, cursor, scoped=scoped, holidays=holidays, makeup_days=makeup_days)
        finally:
            drop_temporary_tables(cursor)


@contextlib.contextmanager
def _settings(cursor, **values: str):
    """PostgreSQL settings for the statements inside, put back afterwards."""
    previous = {}
    for name, value in values.items():
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value])
        previous[name] = cursor.fetchone()[0]
    try:
        yield
    finally:
        for name, value in previous.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _refresh(run, cursor, *, scoped: bool, holidays, makeup_days) -> None:
    # 1. The rows being replaced.
    for model in MONTHLY:
        if scoped:
            run(
                f"DELETE FROM {_table(model)} r USING rollup_scope sc "
                f"WHERE {_same_cell('r', 'sc')} AND r.month = sc.month AND "
                + ("sc.items" if model is ViolationRollup else "NOT sc.items")
            )
        else:
            run(f"DELETE FROM {_table(model)}")
    if scoped:
        run(
            f"DELETE FROM {_table(InspectionRollup)} r WHERE ({', '.join('r.' + c for c in CELL)}) "
            f"IN (SELECT {CELL_SQL} FROM rollup_scope)"
        )
    else:
        run(f"DELETE FROM {_table(InspectionRollup)}")

    # 2. The source rows: the inspections of the cells, their items in the
    # item months, the findings with one of their months in the finding months.
    cell_of_enterprise = (
        "e.district, e.is_generation_provider, e.is_dissemination_platform, "
        "e.is_app_store, e.is_technical_supporter"
    )
    run(
        "CREATE TEMPORARY TABLE rollup_insp ON COMMIT DROP AS "
        f"SELECT i.id, i.enterprise_id, i.campaign_id, {cell_of_enterprise} "
        "FROM inspections_inspection i JOIN enterprises_enterprise e ON e.id = i.enterprise_id"
        + (
            f" WHERE (i.campaign_id, {cell_of_enterprise}) IN (SELECT {CELL_SQL} FROM rollup_scope)"
            if scoped
            else ""
        )
    )
    run("ANALYZE rollup_insp")
    # Every item of those inspections is read once (MATERIALIZED: not once
    # per month of its cell), then kept if its month is in the scope.
    run(
        "CREATE TEMPORARY TABLE rollup_item ON COMMIT DROP AS "
        "WITH items AS MATERIALIZED ("
        f"SELECT s.id, s.modality, {_month('s.captured_at')} AS month, "
        f"{', '.join('ri.' + c for c in CELL)} "
        "FROM rollup_insp ri JOIN inspections_sampleditem s ON s.inspection_id = ri.id"
        + (
            f" WHERE ({', '.join('ri.' + c for c in CELL)}) IN "
            f"(SELECT {CELL_SQL} FROM rollup_scope WHERE items)"
            if scoped
            else ""
        )
        + ") SELECT * FROM items"
        + (
            f" WHERE ({CELL_SQL}, month) IN (SELECT {CELL_SQL}, month FROM rollup_scope WHERE items)"
            if scoped
            else ""
        )
    )
    run("ANALYZE rollup_item")
    # Each item once per category it was checked for (not "not applicable"),
    # failing if one check of that category failed. The checks of the scope's
    # items (a few hundred thousand of four million at national scale) are
    # read through the item index: the planner would hash-join a scan of
    # every check, 2.3 times slower when measured (EXPLAIN ANALYZE, 214,000
    # items: 2.3 s against 5.2 s).
    with _settings(
        cursor, **({"enable_hashjoin": "off", "enable_mergejoin": "off"} if scoped else {})
    ):
        run(
            "CREATE TEMPORARY TABLE rollup_check ON COMMIT DROP AS "
            f"SELECT it.id, it.month, {', '.join('it.' + c for c in CELL)}, it.modality, ic.category, "
            "bool_or(c.result = %(fail)s) AS failed "
            "FROM rollup_item it JOIN inspections_itemcheck c ON c.item_id = it.id "
            "JOIN inspections_issuecode ic ON ic.code = c.issue_code_id WHERE c.result <> %(na)s "
            f"GROUP BY it.id, it.month, {', '.join('it.' + c for c in CELL)}, it.modality, ic.category"
        )
    run(
        "CREATE TEMPORARY TABLE rollup_finding ON COMMIT DROP AS SELECT * FROM ("
        f"SELECT f.id, f.campaign_id, {cell_of_enterprise}, f.enterprise_id, f.issue_code_id, "
        "f.severity, f.status, f.is_repeat, f.created_at, f.deadline, f.deadline_at, f.closed_at, "
        f"{_month('f.created_at')} AS created_month, "
        "date_trunc('month', f.deadline::timestamp)::date AS deadline_month, "
        f"{_month('f.closed_at')} AS closed_month, "
        "(coalesce(f.notified_at, f.created_at) AT TIME ZONE %(tz)s)::date AS start_day, "
        "(f.closed_at AT TIME ZONE %(tz)s)::date AS closed_day "
        "FROM inspections_finding f JOIN enterprises_enterprise e ON e.id = f.enterprise_id "
        "WHERE f.status <> %(withdrawn)s"
        + (
            f" AND (f.campaign_id, {cell_of_enterprise}) IN "
            f"(SELECT {CELL_SQL} FROM rollup_scope WHERE NOT items)"
            if scoped
            else ""
        )
        + ") f"
        + (
            f" WHERE EXISTS (SELECT 1 FROM rollup_scope sc WHERE {_same_cell('sc', 'f')} "
            "AND sc.month IN (f.created_month, f.deadline_month, f.closed_month) AND NOT sc.items)"
            if scoped
            else ""
        )
    )
    # Each finding once with modality "", and once per modality of its evidence.
    run(
        "CREATE TEMPORARY TABLE rollup_fm ON COMMIT DROP AS "
        "SELECT f.*, ''::varchar AS modality FROM rollup_finding f UNION ALL "
        "SELECT f.*, m.modality FROM rollup_finding f JOIN ("
        "SELECT DISTINCT ev.finding_id, s.modality FROM rollup_finding rf "
        "JOIN inspections_finding_evidence_items ev ON ev.finding_id = rf.id "
        "JOIN inspections_sampleditem s ON s.id = ev.sampleditem_id WHERE s.modality <> ''"
        ") m ON m.finding_id = f.id"
    )
    run("ANALYZE rollup_fm")
    _workdays(cursor, holidays=holidays, makeup_days=makeup_days)

    # 3. The roll-ups.
    group = f"month, {CELL_SQL}, modality"
    columns = f"month, {CELL_SQL}, modality, category, checked, failed"
    run(
        f"INSERT INTO {_table(ViolationRollup)} ({columns}) "
        f"SELECT month, {CELL_SQL}, modality, category, count(*), count(*) FILTER (WHERE failed) "
        f"FROM rollup_check GROUP BY month, {CELL_SQL}, modality, category"
    )
    # Category "": an item counts once whatever categories it was checked for.
    run(
        f"INSERT INTO {_table(ViolationRollup)} ({columns}) "
        f"SELECT month, {CELL_SQL}, modality, '', count(*), count(*) FILTER (WHERE failed) FROM ("
        f"SELECT id, month, {CELL_SQL}, modality, bool_or(failed) AS failed FROM rollup_check "
        f"GROUP BY id, month, {CELL_SQL}, modality) items GROUP BY month, {CELL_SQL}, modality"
    )
    run(
        f"INSERT INTO {_table(FindingRollup)} ({group}, issue_code, severity, findings, repeats) "
        f"SELECT created_month, {CELL_SQL}, modality, issue_code_id, severity, count(*), "
        "count(*) FILTER (WHERE is_repeat) FROM rollup_fm x WHERE TRUE"
        + _in_scope("x", "created_month", scoped)
        + f" GROUP BY created_month, {CELL_SQL}, modality, issue_code_id, severity"
    )
    # Due: closed, or past the deadline while open (judged today); on time:
    # closed by the exact moment for hour-based periods, else by the day.
    run(
        f"INSERT INTO {_table(FindingDueRollup)} ({group}, severity, due, on_time) "
        f"SELECT deadline_month, {CELL_SQL}, modality, severity, count(*), "
        "count(*) FILTER (WHERE status = %(accepted)s AND ("
        "(deadline_at IS NOT NULL AND closed_at <= deadline_at) "
        "OR (deadline_at IS NULL AND closed_day <= deadline))) "
        "FROM rollup_fm x WHERE (status = %(accepted)s OR deadline < %(today)s)"
        + _in_scope("x", "deadline_month", scoped)
        + f" GROUP BY deadline_month, {CELL_SQL}, modality, severity"
    )
    run(
        f"INSERT INTO {_table(RectificationRollup)} ({group}, severity, working_days, findings) "
        f"SELECT closed_month, {CELL_SQL}, modality, severity, greatest(0, we.n - ws.n) AS days, "
        "count(*) FROM rollup_fm x JOIN rollup_workday ws ON ws.day = x.start_day "
        "JOIN rollup_workday we ON we.day = x.closed_day "
        "WHERE x.status = %(accepted)s AND x.closed_at IS NOT NULL"
        + _in_scope("x", "closed_month", scoped)
        + f" GROUP BY closed_month, {CELL_SQL}, modality, severity, days"
    )
    run(
        f"INSERT INTO {_table(RepeatRollup)} ({group}, enterprise_id, issue_code, repeats, last_at) "
        f"SELECT created_month, {CELL_SQL}, modality, enterprise_id, issue_code_id, count(*), "
        "max(created_at) FROM rollup_fm x WHERE is_repeat"
        + _in_scope("x", "created_month", scoped)
        + f" GROUP BY created_month, {CELL_SQL}, modality, enterprise_id, issue_code_id"
    )
    run(
        f"INSERT INTO {_table(InspectionRollup)} ({CELL_SQL}, inspections, enterprises) "
        f"SELECT {CELL_SQL}, count(*), count(DISTINCT enterprise_id) FROM rollup_insp "
        f"GROUP BY {CELL_SQL}"
    )


def _workdays(cursor, *, holidays, makeup_days) -> None:
    """
    `rollup_workday`: for every day from the earliest start to the latest
    closing of the accepted findings gathered, the working days counted from
    the first (`stats.working_days`, the official calendar), so that the
    working days between two days are a difference of two rows.
    """
    cursor.execute(
        "CREATE TEMPORARY TABLE rollup_workday (day date PRIMARY KEY, n integer) ON COMMIT DROP"
    )
    cursor.execute(
        "SELECT least(min(start_day), min(closed_day)), greatest(max(start_day), "
        "max(closed_day)) FROM rollup_finding WHERE status = %s AND closed_at IS NOT NULL",
        [FindingStatus.ACCEPTED],
    )
    first, last = cursor.fetchone()
    if first is None:
        return
    days = pd.date_range(first, last, freq="D")
    counts = stats.working_days(
        np.full(len(days), np.datetime64(first, "D")),
        days,
        holidays=holidays,
        makeup_days=makeup_days,
    )
    cursor.execute(
        "INSERT INTO rollup_workday SELECT * FROM unnest(%s::date[], %s::integer[])",
        [[d.date() for d in days], counts.tolist()],
    )
    cursor.execute("ANALYZE rollup_workday")
