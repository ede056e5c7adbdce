"""
CSV and XLSX exports of findings and inspections. Rows come from the
inspections selectors (scoped to the viewer) as .values(), so the database
does the joins and the export never loops over model instances.
"""

import io

import pandas as pd
from django.utils import timezone

from inspections.selectors import finding_list, inspection_list

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

FINDING_COLUMNS = {
    "id": "ID", "campaign__code": "活动编号", "enterprise__name": "企业名称",
    "enterprise__uscc": "统一社会信用代码", "issue_code_id": "问题编号",
    "issue_code__title_zh": "问题", "severity": "严重程度", "status": "状态",
    "description": "描述", "legal_basis": "法律依据", "period": "整改期限",
    "period_unit": "期限单位", "deadline": "截止日期", "is_repeat": "重复问题",
    "inspection_id": "检查ID", "notified_at": "通知时间", "closed_at": "关闭时间",
    "created_at": "记录时间",
}
INSPECTION_COLUMNS = {
    "id": "ID", "campaign__code": "活动编号", "enterprise__name": "企业名称",
    "enterprise__uscc": "统一社会信用代码", "enterprise__district": "区", "planned_date": "计划日期",
    "method": "方式", "status": "状态", "started_at": "开始时间", "completed_at": "完成时间",
}


def _frame(rows, columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return frame.rename(columns=columns)


# Synchronous exports stop at this many rows (the newest ones, by id): at
# national scale a full table is hundreds of thousands of rows and minutes
# of work. A cut export says so (X-Export-Truncated header, "-newest-N" in
# the file name); narrow it by campaign for a complete file.
EXPORT_MAX_ROWS = 10_000


def _capped(queryset, columns: dict, limit: int) -> tuple[pd.DataFrame, int | None]:
    """Up to `limit` newest rows in id order, and the total when rows were cut."""
    rows = list(queryset.order_by("-pk").values(*columns)[: limit + 1])
    total = None
    if len(rows) > limit:
        rows = rows[:limit]
        total = queryset.order_by().count()
    rows.reverse()
    return _frame(rows, columns), total


def findings_queryset(*, viewer, campaign_id: int | None = None):
    """Return the findings an export of `viewer` covers (one campaign or all)."""
    queryset = finding_list(viewer=viewer)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    return queryset


def inspections_queryset(*, viewer, campaign_id: int | None = None):
    """Return the inspections an export of `viewer` covers (one campaign or all)."""
    queryset = inspection_list(viewer=viewer)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    return queryset


def findings_export(*, viewer, campaign_id: int | None = None,
                    limit: int = EXPORT_MAX_ROWS) -> tuple[pd.DataFrame, int | None]:
    queryset = findings_queryset(viewer=viewer, campaign_id=campaign_id)
    return _capped(queryset, FINDING_COLUMNS, limit)


def inspections_export(*, viewer, campaign_id: int | None = None,
                       limit: int = EXPORT_MAX_ROWS) -> tuple[pd.DataFrame, int | None]:
    queryset = inspections_queryset(viewer=viewer, campaign_id=campaign_id)
    return _capped(queryset, INSPECTION_COLUMNS, limit)


# name -> (queryset, frame builder) of the exports offered by the views.
EXPORTS = {
    "findings": (findings_queryset, findings_export),
    "inspections": (inspections_queryset, inspections_export),
}
# A background export (core.exports) is not cut at EXPORT_MAX_ROWS but at
# what one worksheet holds (1,048,576 rows with the header).
JOB_MAX_ROWS = 1_048_575


def findings_frame(*, viewer, campaign_id: int | None = None) -> pd.DataFrame:
    return findings_export(viewer=viewer, campaign_id=campaign_id)[0]


def inspections_frame(*, viewer, campaign_id: int | None = None) -> pd.DataFrame:
    return inspections_export(viewer=viewer, campaign_id=campaign_id)[0]


def write(frame: pd.DataFrame, fmt: str) -> tuple[bytes, str]:
    """Serialise a frame; CSV carries a BOM so that Excel opens the Chinese correctly."""
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8-sig"), FORMATS["csv"]
    # openpyxl write-only mode streams rows into the file instead of
    # building every cell object first.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append([str(c) for c in frame.columns])
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), FORMATS["xlsx"]


def export_filename(name: str, fmt: str, rows: int, total: int | None) -> str:
    """Name a file; a cut export says so ("-newest-N-of-M")."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    cut = f"-newest-{rows}-of-{total}" if total is not None else ""
    return f"{name}-{stamp}{cut}.{fmt}"


def build_export(*, viewer, params: dict, name: str) -> tuple[bytes, str, str, int]:
    """Build a findings or inspections export of a background job as `viewer`."""
    fmt = params.get("fmt", "csv")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    _queryset, build = EXPORTS[name]
    frame, total = build(viewer=viewer, campaign_id=params.get("campaign_id"),
                         limit=JOB_MAX_ROWS)
    data, content_type = write(frame, fmt)
    return data, export_filename(name, fmt, len(frame), total), content_type, len(frame)


def build_findings_export(*, viewer, params: dict):
    return build_export(viewer=viewer, params=params, name="findings")


def build_inspections_export(*, viewer, params: dict):
    return build_export(viewer=viewer, params=params, name="inspections")
