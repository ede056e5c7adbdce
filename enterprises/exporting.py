"""
Export of the registry in the import format (see tabular.py), as CSV or XLSX.

The caller passes a queryset from selectors.enterprise_export_list, so an
export shows exactly the enterprises the list page shows.
"""

import io
from collections.abc import Iterable

import pandas as pd

from .models import Enterprise
from .tabular import COLUMNS, encode_record, enterprise_record

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def enterprises_dataframe(enterprises: Iterable[Enterprise]) -> pd.DataFrame:
    """Return one row per enterprise, every cell a string, in file order."""
    rows = [encode_record(*enterprise_record(e)) for e in enterprises]
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=str).fillna("")


def export_csv(enterprises: Iterable[Enterprise]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows the Chinese right."""
    return enterprises_dataframe(enterprises).to_csv(index=False).encode("utf-8-sig")


def export_xlsx(enterprises: Iterable[Enterprise]) -> bytes:
    buffer = io.BytesIO()
    frame = enterprises_dataframe(enterprises)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="enterprises")
        sheet = writer.sheets["enterprises"]
        # Store every cell as text: codes like 110108 must not become numbers.
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = "@"
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 22
    return buffer.getvalue()


EXPORTERS = {
    "csv": (export_csv, CSV_CONTENT_TYPE),
    "xlsx": (export_xlsx, XLSX_CONTENT_TYPE),
}
