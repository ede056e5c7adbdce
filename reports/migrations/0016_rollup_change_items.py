from django.db import migrations, models

# The roll-ups' change capture tells an item's capture month (`captured_at`:
# the violation roll-up, counted per item) from a finding's months (`at`:
# recorded or closed, `day`: the deadline; the finding roll-ups), so that a
# finding accepted does not recompute the items of its months, nor a check
# answered again the findings of its item's month. Otherwise as migration
# 0012 (reports.analytics.models.RollupChange), whose triggers these replace.
CELL = ("campaign_id", "district", "is_generation_provider", "is_dissemination_platform",
        "is_app_store", "is_technical_supporter")
INSERT = f"INSERT INTO reports_rollupchange ({', '.join(CELL)}, captured_at, at, day) "
_E = "e.district, e.is_generation_provider, e.is_dissemination_platform, e.is_app_store, e.is_technical_supporter"
_ENT = "enterprises_enterprise e"
# Typed NULLs, so that UNION branches agree on the column types (PostgreSQL).
NO_AT, NO_DAY = "CAST(NULL AS timestamptz)", "CAST(NULL AS date)"


def _finding_months(f: str, cell: str, source: str) -> str:
    """The three months of finding `f` (recorded, deadline, closed), each in the cell `cell`."""
    return (f"SELECT {cell}, {NO_AT}, {f}.created_at, {NO_DAY} FROM {source} "
            f"UNION ALL SELECT {cell}, {NO_AT}, {NO_AT}, {f}.deadline FROM {source} "
            f"UNION ALL SELECT {cell}, {NO_AT}, {f}.closed_at, {NO_DAY} FROM {source} "
            f"AND {f}.closed_at IS NOT NULL")


# source table -> (columns whose change matters on UPDATE, what row {r} touches)
SOURCES = {
    # A check: its item's capture month, in the cell of the item's inspection.
    "inspections_itemcheck": (
        ("item_id", "issue_code_id", "result"),
        f"SELECT i.campaign_id, {_E}, s.captured_at, {NO_AT}, {NO_DAY} FROM inspections_sampleditem s "
        f"JOIN inspections_inspection i ON i.id = s.inspection_id JOIN {_ENT} ON e.id = i.enterprise_id "
        "WHERE s.id = {r}.item_id",
    ),
    # An item: its capture month; and the months of the findings citing it
    # (their modality slices), in those findings' cells.
    "inspections_sampleditem": (
        ("inspection_id", "modality", "captured_at"),
        f"SELECT i.campaign_id, {_E}, {{r}}.captured_at, {NO_AT}, {NO_DAY} FROM inspections_inspection i "
        f"JOIN {_ENT} ON e.id = i.enterprise_id WHERE i.id = {{r}}.inspection_id UNION ALL "
        + _finding_months("f", f"f.campaign_id, {_E}",
                          f"inspections_finding_evidence_items ev JOIN inspections_finding f "
                          f"ON f.id = ev.finding_id JOIN {_ENT} ON e.id = f.enterprise_id "
                          "WHERE ev.sampleditem_id = {r}.id"),
    ),
    "inspections_finding": (
        ("campaign_id", "enterprise_id", "issue_code_id", "severity", "status", "created_at",
         "deadline", "deadline_at", "notified_at", "closed_at", "is_repeat"),
        _finding_months("{r}", f"{{r}}.campaign_id, {_E}", f"{_ENT} WHERE e.id = {{r}}.enterprise_id"),
    ),
    "inspections_finding_evidence_items": (
        ("finding_id", "sampleditem_id"),
        _finding_months("f", f"f.campaign_id, {_E}",
                        f"inspections_finding f JOIN {_ENT} ON e.id = f.enterprise_id "
                        "WHERE f.id = {r}.finding_id"),
    ),
    # An inspection: its cell's inspection count, and (moving campaign or
    # enterprise) its items' months.
    "inspections_inspection": (
        ("campaign_id", "enterprise_id"),
        f"SELECT {{r}}.campaign_id, {_E}, {NO_AT}, {NO_AT}, {NO_DAY} FROM {_ENT} "
        "WHERE e.id = {r}.enterprise_id "
        f"UNION ALL SELECT {{r}}.campaign_id, {_E}, s.captured_at, {NO_AT}, {NO_DAY} FROM {_ENT} "
        "JOIN inspections_sampleditem s ON s.inspection_id = {r}.id WHERE e.id = {r}.enterprise_id",
    ),
    # An enterprise moving district or changing roles: in every campaign, its
    # inspection counts, its items' and its findings' months.
    "enterprises_enterprise": (
        ("district", "is_generation_provider", "is_dissemination_platform", "is_app_store",
         "is_technical_supporter"),
        f"SELECT DISTINCT i.campaign_id, {{c}}, {NO_AT}, {NO_AT}, {NO_DAY} FROM inspections_inspection i "
        "WHERE i.enterprise_id = {r}.id "
        f"UNION ALL SELECT i.campaign_id, {{c}}, s.captured_at, {NO_AT}, {NO_DAY} "
        "FROM inspections_inspection i "
        "JOIN inspections_sampleditem s ON s.inspection_id = i.id WHERE i.enterprise_id = {r}.id "
        "UNION ALL "
        + _finding_months("f", "f.campaign_id, {c}", "inspections_finding f WHERE f.enterprise_id = {r}.id"),
    ),
    # An issue code changing category: everything (the violation roll-up's category rows).
    "inspections_issuecode": (("category",), "SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"),
}
UPDATE_ONLY = {"enterprises_enterprise", "inspections_issuecode"}


def _select(table: str, select: str, r: str) -> str:
    cell = (f"{r}.district, {r}.is_generation_provider, {r}.is_dissemination_platform, "
            f"{r}.is_app_store, {r}.is_technical_supporter")
    return select.replace("{c}", cell).replace("{r}", r)


def _postgres(table, columns, select):
    name = f"reports_rollup_capture_{table}"
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    sql = [f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('labelwatch.rollup_capture', true), '') = 'off' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {INSERT}{_select(table, select, "OLD")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {INSERT}{_select(table, select, "NEW")};
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {name}_u AFTER UPDATE ON {table} FOR EACH ROW "
        f"WHEN ({changed}) EXECUTE FUNCTION {name}()"]
    if table not in UPDATE_ONLY:
        sql.append(f"CREATE TRIGGER {name}_id AFTER INSERT OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {name}()")
    return sql


def _sqlite(table, columns, select):
    name = f"reports_rollup_capture_{table}"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    sql = [f"CREATE TRIGGER {name}_u AFTER UPDATE ON {table} WHEN {changed} BEGIN "
           f"{INSERT}{_select(table, select, 'OLD')}; {INSERT}{_select(table, select, 'NEW')}; END"]
    if table not in UPDATE_ONLY:
        sql += [f"CREATE TRIGGER {name}_i AFTER INSERT ON {table} BEGIN "
                f"{INSERT}{_select(table, select, 'NEW')}; END",
                f"CREATE TRIGGER {name}_d AFTER DELETE ON {table} BEGIN "
                f"{INSERT}{_select(table, select, 'OLD')}; END"]
    return sql


def _drop(schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for table in SOURCES:
        name = f"reports_rollup_capture_{table}"
        if postgres:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
        else:
            for suffix in ("_u", "_i", "_d"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")


def _full_rebuild_if_pending(apps):
    # Changes recorded by the previous triggers name cells, not months: if
    # any are pending, the next refresh rebuilds whole.
    change = apps.get_model("reports", "RollupChange")
    if change.objects.exists():
        change.objects.all().delete()
        change.objects.create()


def create_capture(apps, schema_editor):
    _drop(schema_editor)
    build = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
    for table, (columns, select) in SOURCES.items():
        for statement in build(table, columns, select):
            schema_editor.execute(statement)
    _full_rebuild_if_pending(apps)


def restore_previous_capture(apps, schema_editor):
    import importlib

    previous = importlib.import_module("reports.migrations.0012_rollup_change_months")
    _drop(schema_editor)
    previous.create_capture(apps, schema_editor)
    _full_rebuild_if_pending(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0015_bulletin_recipient_opened_idx'),
    ]

    operations = [
        migrations.AddField(
            model_name='rollupchange',
            name='captured_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(create_capture, restore_previous_capture),
    ]
