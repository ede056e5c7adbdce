"""
Export of the registry in the import format (see tabular.py), as CSV or XLSX.

The caller passes a queryset from selectors.enterprise_export_list, so an
export shows exactly the enterprises the list page shows. The CSV is
streamed (iter_csv); the XLSX is written with openpyxl's write-only mode.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

import pandas as pd
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .models import Enterprise
from .selectors import enterprise_export_list, enterprise_export_records
from .tabular import COLUMNS, encode_record, enterprise_record

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per piece of a streamed CSV.
CSV_CHUNK_ROWS = 500


def enterprise_rows(enterprises: Iterable[Enterprise]) -> Iterator[dict[str, str]]:
    """
    Yield one file row (column -> text) per enterprise. A queryset is read
    as plain values in batches; other iterables need their children
    prefetched.
    """
    if isinstance(enterprises, QuerySet):
        records = enterprise_export_records(enterprises=enterprises)
    else:
        records = (enterprise_record(e) for e in enterprises)
    for fields, children in records:
        yield encode_record(fields, children)


def enterprises_dataframe(enterprises: Iterable[Enterprise]) -> pd.DataFrame:
    """Return one row per enterprise, every cell a string, in file order."""
    return pd.DataFrame(list(enterprise_rows(enterprises)), columns=list(COLUMNS),
                        dtype=str).fillna("")


def iter_csv(enterprises: Iterable[Enterprise]) -> Iterator[bytes]:
    """
    Yield the CSV in pieces: UTF-8 with a byte-order mark, so that Excel
    shows the Chinese right; quoting and line ends as pandas writes them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    first = True
    for number, row in enumerate(enterprise_rows(enterprises), 1):
        writer.writerow([row.get(c, "") for c in COLUMNS])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8-sig" if first else "utf-8")
            first = False
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8-sig" if first else "utf-8")


def export_csv(enterprises: Iterable[Enterprise]) -> bytes:
    return b"".join(iter_csv(enterprises))


def export_xlsx(enterprises: Iterable[Enterprise]) -> bytes:
    """
    One sheet written row by row (write-only). Values are strings, stored as
    text cells; the columns carry the text format "@" too, so that codes like
    110108 typed in later do not become numbers (a style per column rather
    than per cell, which tripled the time).
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("enterprises")
    for index in range(1, len(COLUMNS) + 1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = 22
        dimension.number_format = "@"
    sheet.append(list(COLUMNS))
    for row in enterprise_rows(enterprises):
        sheet.append([row.get(column) or None for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EXPORTERS = {
    "csv": (export_csv, CSV_CONTENT_TYPE),
    "xlsx": (export_xlsx, XLSX_CONTENT_TYPE),
}


def export_filename(fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"enterprises-{stamp}.{fmt}"


def build_export(*, viewer, params: dict) -> tuple[str | bytes, str, str, int]:
    """
    Build the registry export of a background job (core.exports) as
    `viewer`, with the list page's filters from params["query"]. The CSV is
    streamed into a temporary file rather than held in memory.
    """
    from .forms import EnterpriseFilterForm

    fmt = params.get("fmt", "csv")
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown format {fmt!r}")
    query = QueryDict(mutable=True)
    for key, values in (params.get("query") or {}).items():
        query.setlist(key, values if isinstance(values, list) else [values])
    enterprises = enterprise_export_list(viewer=viewer,
                                         filters=EnterpriseFilterForm(query).filters())
    rows = enterprises.order_by().count()
    export, content_type = EXPORTERS[fmt]
    if fmt == "csv":
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
            for piece in iter_csv(enterprises):
                handle.write(piece)
        return handle.name, export_filename(fmt), content_type, rows
    return export(enterprises), export_filename(fmt), content_type, rows
