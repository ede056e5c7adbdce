"""
CSV and XLSX exports of findings and inspections. Rows come from the
inspections selectors (scoped to the viewer) as .values(), so the database
does the joins and the export never loops over model instances.
"""

import io

import pandas as pd

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


def findings_frame(*, viewer, campaign_id: int | None = None) -> pd.DataFrame:
    queryset = finding_list(viewer=viewer)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    return _frame(queryset.order_by("pk").values(*FINDING_COLUMNS), FINDING_COLUMNS)


def inspections_frame(*, viewer, campaign_id: int | None = None) -> pd.DataFrame:
    queryset = inspection_list(viewer=viewer)
    if campaign_id:
        queryset = queryset.filter(campaign_id=campaign_id)
    return _frame(queryset.order_by("pk").values(*INSPECTION_COLUMNS), INSPECTION_COLUMNS)


def write(frame: pd.DataFrame, fmt: str) -> tuple[bytes, str]:
    """Serialise a frame; CSV carries a BOM so that Excel opens the Chinese correctly."""
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8-sig"), FORMATS["csv"]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="data")
    return buffer.getvalue(), FORMATS["xlsx"]
