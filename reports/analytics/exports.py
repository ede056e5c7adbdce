"""
The analytics CSV/XLSX files: every column of a dashboard's export frame
named and typed for people, written by the project's one export writer.

A frame column that is not in COLUMNS (nor deliberately left out) is a
mistake a test catches: it would otherwise reach people as snake_case.
"""

import pandas as pd
from django.utils.translation import gettext_lazy as _

from core import export_writer as ew
from enterprises.models import District, EnterpriseRole, Modality
from inspections.models import InspectionOrigin, IssueCategory, Severity, TargetBasis

N, PCT = ew.NUMBER, ew.PERCENT


def _choices(choices):
    return lambda: {value: str(label) for value, label in choices}


COLUMNS: dict[str, tuple] = {
    # key: (header, kind, choices or digits)
    "month": (_("Month"), ew.TEXT),
    "role": (_("Enterprise role"), ew.CHOICE, _choices(EnterpriseRole.choices)),
    "district": (_("District"), ew.CHOICE, _choices(District.choices)),
    "modality": (_("Modality"), ew.CHOICE, _choices(Modality.choices)),
    "category": (_("Issue category"), ew.CHOICE, _choices(IssueCategory.choices)),
    "severity": (_("Severity"), ew.CHOICE, _choices(Severity.choices)),
    "checked": (_("Items checked"), N),
    "failed": (_("Items failing"), N),
    "violation_rate": (_("Violation rate"), PCT),
    "lower": (_("Lower bound (Wilson, 95 percent)"), PCT),
    "upper": (_("Upper bound (Wilson, 95 percent)"), PCT),
    "small_sample": (_("Small sample"), ew.BOOL),
    "partial": (_("Partial period"), ew.BOOL),
    "due": (_("Findings due"), N),
    "on_time": (_("Closed on time"), N),
    "late": (_("Late or still open"), N),
    "on_time_rate": (_("On-time rate"), PCT),
    "on_time_lower": (_("On-time rate, lower bound"), PCT),
    "on_time_upper": (_("On-time rate, upper bound"), PCT),
    "on_time_small_sample": (_("On-time rate on a small sample"), ew.BOOL),
    "findings": (_("Findings"), N),
    "median_working_days": (_("Median (working days)"), N, 1),
    "p90_working_days": (_("90th percentile (working days)"), N, 1),
    "mean_working_days": (_("Mean (working days)"), N, 1),
    "enterprise_id": (_("Enterprise no."), N),
    "enterprise": (_("Enterprise"), ew.TEXT),
    "repeats": (_("Repeat findings"), N),
    "codes": (_("Issue codes repeated"), N),
    "last_at": (_("Latest repeat"), ew.DATETIME),
    "rank": (_("Rank"), N),
    "issue_code": (_("Issue code"), ew.TEXT),
    "title": (_("Issue"), ew.TEXT),
    "campaign_id": (_("Campaign no."), N),
    "campaign": (_("Campaign"), ew.TEXT),
    "code": (_("Campaign code"), ew.TEXT),
    "starts_on": (_("Starts on"), ew.DATE),
    "inspections": (_("Inspections"), N),
    "enterprises": (_("Enterprises"), N),
    "prev_rate": (_("Violation rate of the previous campaign"), PCT),
    "change_vs_previous": (_("Change vs previous campaign (percentage points)"), PCT),
    "findings_prev_month": (_("Findings the month before"), N),
    "findings_last_year": (_("Findings the same month last year"), N),
    "findings_mom": (_("Findings month over month"), N),
    "findings_yoy": (_("Findings year over year"), N),
    "findings_mom_pct": (_("Findings month over month (%)"), PCT),
    "findings_yoy_pct": (_("Findings year over year (%)"), PCT),
    "rate_mom_pp": (_("Rate MoM (percentage points)"), PCT),
    "rate_yoy_pp": (_("Rate YoY (percentage points)"), PCT),
    "change": (_("Change since the month before (percentage points)"), PCT),
    "origin": (_("Origin"), ew.CHOICE, _choices(InspectionOrigin.choices)),
    "basis": (_("Basis of a targeted inspection"), ew.CHOICE, _choices(TargetBasis.choices)),
    "completed": (_("Completed"), N),
}
# Helper columns of the frames that the files leave out: labels the
# CHOICE columns already give, and the charts' own keys.
LEFT_OUT = {"role_label", "district_label", "modality_label", "category_label", "label",
            "drill_url"}


def _column(key: str) -> ew.Column:
    header, kind, *extra = COLUMNS[key]
    if kind == ew.CHOICE:
        return ew.Column(key, header, kind, choices=extra[0])
    return ew.Column(key, header, kind, digits=extra[0] if extra else None)


# Internal numbers: programs join on them, people read the names beside them.
MACHINE_ONLY = {"enterprise_id", "campaign_id"}


def export_columns(frame: pd.DataFrame, *, machine: bool = False) -> list[ew.Column]:
    """The columns of `frame` people (or, with `machine`, programs) get, in the frame's order."""
    return [_column(str(key)) for key in frame.columns
            if str(key) in COLUMNS and (machine or str(key) not in MACHINE_ONLY)]


def _records(frame: pd.DataFrame):
    out = frame.copy()
    if "month" in out.columns:
        out["month"] = pd.to_datetime(out["month"]).dt.strftime("%Y-%m")
    return ew.frame_records(out)


def write(frame: pd.DataFrame, fmt: str, *, title: str, machine: bool = False) -> tuple[bytes, str]:
    """Write one dashboard's export frame as CSV or XLSX."""
    return ew.write(fmt, export_columns(frame, machine=machine), _records(frame), machine=machine,
                    sheet_title=title)
