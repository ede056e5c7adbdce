"""
CSV and XLSX exports of findings and inspections. Rows come from the
inspections selectors (scoped to the viewer) as .values(), so the database
does the joins and the export never loops over model instances; the files
are written by the project's one export writer (core.export_writer).
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import export_writer as ew
from enterprises.models import District
from inspections.models import FindingStatus, Inspection, InspectionMethod, PeriodUnit, Severity
from inspections.selectors import finding_list, inspection_list

FORMATS = ew.FORMATS


def _title_key() -> str:
    return "issue_code__title_en" if (get_language() or "").startswith("en") else "issue_code__title_zh"


def finding_columns() -> list[ew.Column]:
    return [
        ew.Column("id", _("Finding no."), ew.NUMBER),
        ew.Column("campaign__name", _("Campaign")),
        ew.Column("campaign__code", _("Campaign code")),
        ew.Column("enterprise__name", _("Enterprise")),
        ew.Column("enterprise__uscc", _("Unified social credit code")),
        ew.Column("enterprise__district", _("District"), ew.CHOICE, choices=dict(District.choices)),
        ew.Column("issue_code_id", _("Issue code")),
        ew.Column(_title_key(), _("Issue")),
        ew.Column("severity", _("Severity"), ew.CHOICE, choices=dict(Severity.choices)),
        ew.Column("status", _("Status"), ew.CHOICE, choices=dict(FindingStatus.choices)),
        ew.Column("description", _("Facts found")),
        ew.Column("legal_basis", _("Legal basis")),
        ew.Column("period", _("Rectification period"), ew.NUMBER),
        ew.Column("period_unit", _("Period unit"), ew.CHOICE, choices=dict(PeriodUnit.choices)),
        ew.Column("deadline", _("Deadline"), ew.DATE),
        ew.Column("is_repeat", _("Repeat finding"), ew.BOOL),
        ew.Column("inspection_id", _("Inspection no."), ew.NUMBER),
        ew.Column("notified_at", _("Notified at"), ew.DATETIME),
        ew.Column("closed_at", _("Closed at"), ew.DATETIME),
        ew.Column("created_at", _("Recorded at"), ew.DATETIME),
    ]


def inspection_columns() -> list[ew.Column]:
    return [
        ew.Column("id", _("Inspection no."), ew.NUMBER),
        ew.Column("campaign__name", _("Campaign")),
        ew.Column("campaign__code", _("Campaign code")),
        ew.Column("enterprise__name", _("Enterprise")),
        ew.Column("enterprise__uscc", _("Unified social credit code")),
        ew.Column("enterprise__district", _("District"), ew.CHOICE, choices=dict(District.choices)),
        ew.Column("planned_date", _("Planned date"), ew.DATE),
        ew.Column("method", _("Method"), ew.CHOICE, choices=dict(InspectionMethod.choices)),
        ew.Column("status", _("Status"), ew.CHOICE, choices=dict(Inspection.Status.choices)),
        ew.Column("started_at", _("Started at"), ew.DATETIME),
        ew.Column("completed_at", _("Completed at"), ew.DATETIME),
    ]


# Synchronous exports stop at this many rows (the newest ones, by id): at
# national scale a full table is hundreds of thousands of rows and minutes
# of work. A cut export says so (X-Export-Truncated header, "-newest-N" in
# the file name); narrow it by campaign for a complete file.
EXPORT_MAX_ROWS = 10_000


def _capped(queryset, columns: list[ew.Column], limit: int) -> tuple[list[dict], int | None]:
    """Up to `limit` newest rows in id order, and the total when rows were cut."""
    rows = list(queryset.order_by("-pk").values(*[c.key for c in columns])[: limit + 1])
    total = None
    if len(rows) > limit:
        rows = rows[:limit]
        total = queryset.order_by().count()
    rows.reverse()
    return rows, total


def findings_queryset(*, viewer: User, campaign_id: int | None = None):
    """Return the findings an export of `viewer` covers (one campaign or all)."""
    queryset = finding_list(viewer=viewer)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    return queryset


def inspections_queryset(*, viewer: User, campaign_id: int | None = None):
    """Return the inspections an export of `viewer` covers (one campaign or all)."""
    queryset = inspection_list(viewer=viewer)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    return queryset


def findings_export(*, viewer: User, campaign_id: int | None = None,
                    limit: int = EXPORT_MAX_ROWS) -> tuple[list[dict], int | None]:
    queryset = findings_queryset(viewer=viewer, campaign_id=campaign_id)
    return _capped(queryset, finding_columns(), limit)


def inspections_export(*, viewer: User, campaign_id: int | None = None,
                       limit: int = EXPORT_MAX_ROWS) -> tuple[list[dict], int | None]:
    queryset = inspections_queryset(viewer=viewer, campaign_id=campaign_id)
    return _capped(queryset, inspection_columns(), limit)


# name -> (queryset, row builder, columns, sheet title) of the exports offered by the views.
EXPORTS = {
    "findings": (findings_queryset, findings_export, finding_columns, _("Findings")),
    "inspections": (inspections_queryset, inspections_export, inspection_columns, _("Inspections")),
}
# A background export (core.exports) is not cut at EXPORT_MAX_ROWS but at
# what one worksheet holds (1,048,576 rows with the header).
JOB_MAX_ROWS = 1_048_575


def write(rows: list[dict], fmt: str, name: str, *, machine: bool = False) -> tuple[bytes, str]:
    """Write the rows of export `name` through the project's one export writer."""
    _queryset, _build, columns, title = EXPORTS[name]
    return ew.write(fmt, columns(), rows, machine=machine, sheet_title=str(title))


def export_filename(name: str, fmt: str, rows: int, total: int | None) -> str:
    """Name a file; a cut export says so ("-newest-N-of-M")."""
    stamp = ew.filename_stamp()
    cut = f"-newest-{rows}-of-{total}" if total is not None else ""
    return f"{name}-{stamp}{cut}.{fmt}"


def build_export(*, viewer: User, params: dict, name: str) -> tuple[bytes, str, str, int]:
    """Build a findings or inspections export of a background job as `viewer`."""
    fmt = params.get("fmt", "csv")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    _queryset, build, _columns, _title = EXPORTS[name]
    rows, total = build(viewer=viewer, campaign_id=params.get("campaign_id"),
                        limit=JOB_MAX_ROWS)
    data, content_type = write(rows, fmt, name, machine=ew.wants_machine(params))
    return data, export_filename(name, fmt, len(rows), total), content_type, len(rows)


def build_findings_export(*, viewer: User, params: dict):
    return build_export(viewer=viewer, params=params, name="findings")


def build_inspections_export(*, viewer: User, params: dict):
    return build_export(viewer=viewer, params=params, name="inspections")
