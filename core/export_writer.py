"""
The one writer of every CSV and XLSX file the project hands out (registry,
findings, inspections, analytics, scorecards, the audit trail).

A caller describes its columns once, as `Column`s, and passes rows as
mappings (column key -> stored value). The writer then renders each cell
for people or, when asked explicitly (`machine=True`), for programs:

    people (default)                      machine
    header   translated label              the column key
    choice   the choice's label            the stored code
    bool     是 / 否 (yes / no)             true / false
    date     2026-12-03                    2026-12-03
    datetime 2026-12-03 14:05 (local)      2026-12-03T14:05:09+08:00
    percent  12.5% (XLSX: 0.125, "0.0%")   0.125
    number   as is, rounded to `digits`    as is

Both variants are formula-safe: a text cell that starts with "=", "+",
"-", "@", a tab or a carriage return gets a leading apostrophe, so a
spreadsheet shows it as text instead of running it (CSV/formula
injection). Numbers, dates and booleans are written as values, never as
text, so they need no escape. CSV files start with a byte-order mark so that
Excel reads the Chinese right.

No Django model is imported here; openpyxl is imported inside the XLSX
writer only.
"""

import csv
import datetime
import io
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

TEXT, CHOICE, BOOL, DATE, DATETIME, PERCENT, NUMBER = (
    "text", "choice", "bool", "date", "datetime", "percent", "number")
KINDS = (TEXT, CHOICE, BOOL, DATE, DATETIME, PERCENT, NUMBER)

# A text cell starting with one of these is read as a formula by Excel,
# LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows per piece of a streamed CSV.
CSV_CHUNK_ROWS = 500
# Column width (in characters) of every XLSX column.
XLSX_COLUMN_WIDTH = 20


@dataclass(frozen=True)
class Column:
    """One column of an export: where its value is, its header, how to show it."""

    key: str
    header: Any  # a (lazy) translated string
    kind: str = TEXT
    # code -> label, for CHOICE columns (a callable is called once per file,
    # so lazy labels follow the active language).
    choices: Mapping | Callable[[], Mapping] | None = None
    # Decimal places of NUMBER (None: as stored) and PERCENT (of the percent) cells.
    digits: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def escape_formula(text: str) -> str:
    """Return `text` made safe from formula evaluation in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_formula(text: str) -> str:
    """Undo escape_formula (for files read back in, such as a registry import)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _scalar(value):
    """numpy/pandas scalars as plain Python; NaN, NaT and pandas' NA as None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 0) == 0:
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    return value


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0)


class _Renderer:
    """Render the cells of one file, resolving lazy choices once."""

    def __init__(self, columns: Sequence[Column], *, machine: bool):
        self.columns = list(columns)
        self.machine = machine
        self.choices = []
        for column in self.columns:
            choices = column.choices() if callable(column.choices) else column.choices
            self.choices.append({k: str(v) for k, v in (choices or {}).items()})
        self.yes, self.no = _("yes"), _("no")

    def headers(self) -> list[str]:
        if self.machine:
            return [c.key for c in self.columns]
        return [escape_formula(str(c.header)) for c in self.columns]

    def value(self, index: int, value, *, xlsx: bool):
        """The cell of column `index`: a str, or (XLSX) a number, date or None."""
        column = self.columns[index]
        value = _scalar(value)
        if value is None or value == "":
            return None if xlsx else ""
        kind = column.kind
        if kind == CHOICE:
            text = str(value) if self.machine else self.choices[index].get(value, str(value))
            return escape_formula(text)
        if kind == BOOL:
            if self.machine:
                return "true" if value else "false"
            return self.yes if value else self.no
        if kind == DATETIME and isinstance(value, datetime.datetime):
            value = _local(value)
            if self.machine:
                return value.isoformat()
            if xlsx:
                return value.replace(tzinfo=None)
            return value.strftime("%Y-%m-%d %H:%M")
        if kind in (DATE, DATETIME) and isinstance(value, datetime.date):
            if isinstance(value, datetime.datetime):
                value = _local(value).date()
            return value if xlsx and not self.machine else value.isoformat()
        if kind == PERCENT and isinstance(value, numbers.Real):
            digits = 1 if column.digits is None else column.digits
            if self.machine:
                return round(float(value), 6) if xlsx else repr(round(float(value), 6))
            if xlsx:
                return round(float(value), digits + 2)
            return f"{float(value) * 100:.{digits}f}%"
        if kind in (NUMBER, PERCENT) and isinstance(value, numbers.Real) and not isinstance(value, bool):
            if column.digits is not None and not isinstance(value, numbers.Integral):
                value = round(float(value), column.digits)
            if isinstance(value, float) and value.is_integer() and column.digits == 0:
                value = int(value)
            return value if xlsx else str(value)
        return escape_formula(str(value))

    def row(self, record: Mapping, *, xlsx: bool) -> list:
        return [self.value(i, record.get(c.key), xlsx=xlsx) for i, c in enumerate(self.columns)]


def iter_csv(columns: Sequence[Column], rows: Iterable[Mapping], *,
             machine: bool = False) -> Iterator[bytes]:
    """Yield a CSV file in pieces (UTF-8 with a byte-order mark)."""
    renderer = _Renderer(columns, machine=machine)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(renderer.headers())
    first = True
    for number, record in enumerate(rows, 1):
        writer.writerow(renderer.row(record, xlsx=False))
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8-sig" if first else "utf-8")
            first = False
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8-sig" if first else "utf-8")


def write_csv(columns: Sequence[Column], rows: Iterable[Mapping], *, machine: bool = False) -> bytes:
    return b"".join(iter_csv(columns, rows, machine=machine))


def write_xlsx(columns: Sequence[Column], rows: Iterable[Mapping], *, machine: bool = False,
               sheet_title: str = "") -> bytes:
    """
    One sheet, written row by row (openpyxl's write-only mode). Text is
    stored as text cells (the columns carry the text format "@", so codes
    like 110108 stay text), dates as dates, rates as numbers shown as
    percentages.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    renderer = _Renderer(columns, machine=machine)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(sheet_title or _("Data")))
    formats = {}
    for index, column in enumerate(renderer.columns):
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        dimension.width = XLSX_COLUMN_WIDTH
        if machine:
            continue
        digits = 1 if column.digits is None else column.digits
        formats[index] = {
            DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm",
            PERCENT: "0" + ("." + "0" * digits if digits else "") + "%",
        }.get(column.kind)
        if column.kind in (TEXT, CHOICE):
            dimension.number_format = "@"
    sheet.append(renderer.headers())
    for record in rows:
        cells = []
        for index, value in enumerate(renderer.row(record, xlsx=True)):
            if isinstance(value, str):
                # Set explicitly as text: openpyxl would store "=…" as a formula.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            elif formats.get(index) and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats[index]
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel forbids []:*?/\ in sheet names and allows 31 characters.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return (cleaned or "Data")[:31]


def write(fmt: str, columns: Sequence[Column], rows: Iterable[Mapping], *,
          machine: bool = False, sheet_title: str = "") -> tuple[bytes, str]:
    """Write a whole file; return its bytes and content type."""
    if fmt == "csv":
        return write_csv(columns, rows, machine=machine), CSV_CONTENT_TYPE
    if fmt == "xlsx":
        return write_xlsx(columns, rows, machine=machine, sheet_title=sheet_title), XLSX_CONTENT_TYPE
    raise ValueError(f"unknown format {fmt!r}")


def frame_records(frame) -> Iterator[dict]:
    """Rows of a pandas DataFrame as mappings (column -> value)."""
    names = [str(c) for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        yield dict(zip(names, values))


def wants_machine(params: Mapping) -> bool:
    """Whether a request or job asked for the machine-readable variant (codes)."""
    return str(params.get("variant", "")) == "machine"


def attachment(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(fmt: str, columns: Sequence[Column], rows: Iterable[Mapping], *,
                  filename: str, machine: bool = False, sheet_title: str = ""):
    """An HTTP download of the file (a CSV is streamed)."""
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(iter_csv(columns, rows, machine=machine),
                                         content_type=CSV_CONTENT_TYPE)
    else:
        data, content_type = write(fmt, columns, rows, machine=machine, sheet_title=sheet_title)
        response = HttpResponse(data, content_type=content_type)
    return attachment(response, filename)


def filename_stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")
