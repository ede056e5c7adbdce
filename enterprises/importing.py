"""
Bulk import of the registry from CSV or XLSX (the format is in tabular.py).

Every row is validated before anything is written, and the report names the
row as it appears in the file (the header is row 1), the column and the
problem, in the active language. Nothing is written when any row is invalid,
unless the caller explicitly asks to import only the valid rows. Rows are
upserted by USCC through services.enterprise_upsert, so a row equal to what
is stored changes nothing and records no audit event.
"""

import datetime
import io
import logging
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.archives import ArchiveRefused, check_archive
from core.export_writer import unescape_formula

from . import identifiers
from .models import Enterprise
from .selectors import CHILD_RELATIONS
from .services import CHILD_KINDS, enterprise_upsert
from .tabular import (
    COLUMNS,
    FIELD_COLUMNS,
    REQUIRED_COLUMNS,
    encode_record,
    enterprise_record,
    parse_row,
)

logger = logging.getLogger(__name__)

HEADER_ROW = 1
# Child kinds whose key is unique across the whole registry.
GLOBAL_KEYS = ("algorithm_filings", "genai_filings", "provider_codes")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is shown to the user."""


@dataclass
class RowResult:
    row: int
    uscc: str
    name: str
    fields: dict[str, Any] = field(repr=False, default_factory=dict)
    children: dict[str, list[dict[str, Any]]] = field(repr=False, default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""  # create, update, unchanged or invalid

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[tuple[int, str, str]] = field(default_factory=list)
    imported: bool = False
    dry_run: bool = False
    valid_only: bool = False

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """Every problem as (row, column, message), in file order."""
        found = list(self.file_errors)
        for row in self.rows:
            found.extend((row.row, column, message) for column, message in row.errors)
        return found

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def invalid(self) -> int:
        return self.count("invalid")


# -- reading the file -------------------------------------------------------


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """Read a CSV or XLSX file into rows of column -> text."""
    import pandas as pd  # about half a second: only when a file is read

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        if extension == "csv":
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                # Excel in a Chinese locale saves CSV as GB18030.
                text = data.decode("gb18030")
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False
            )
        elif extension == "xlsx":
            # openpyxl inflates members whole: the guard inflates each once,
            # in chunks under its caps, before openpyxl may.
            try:
                check_archive(io.BytesIO(data))
            except ArchiveRefused:
                raise ImportFileError(_(
                    "The file is not a readable .xlsx workbook, or it unpacks to far more "
                    "data than a workbook holds."))
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        else:
            raise ImportFileError(_("Upload a .csv or .xlsx file."))
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's fault
        logger.warning("registry file %r cannot be read", filename, exc_info=True)
        raise ImportFileError(_("The file cannot be read: %(error)s") % {"error": exc})
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    rows = []
    for record in frame.to_dict(orient="records"):
        # Exports escape cells that would start a formula (core.export_writer);
        # reading one back removes that apostrophe again.
        rows.append({column: unescape_formula(_cell_text(value)).strip()
                     for column, value in record.items()})
    return rows


# -- validation -------------------------------------------------------------


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for m in error.message_dict[name]] for name in error.error_dict}
    return {"__all__": [str(m) for m in error.messages]}


def _owners(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """USCC of the stored enterprise holding each filing number or code."""
    owners = {}
    for kind in GLOBAL_KEYS:
        spec = CHILD_KINDS[kind]
        for key, uscc in spec.model._default_manager.values_list(spec.key, "enterprise__uscc"):
            owners[(kind, key)] = uscc
    return owners


def _validate_enterprise(result: RowResult, existing: Enterprise | None) -> None:
    if existing is not None:
        target = Enterprise(pk=existing.pk, **{f: getattr(existing, f) for f in _enterprise_fields()})
        # A stored row: unique checks must exclude itself.
        target._state.adding = False
        target._state.db = existing._state.db
    else:
        target = Enterprise()
    for name, value in result.fields.items():
        setattr(target, name, value)
    unreadable = {column for column, _message in result.errors}
    try:
        target.full_clean()
    except ValidationError as exc:
        for name, messages in _messages(exc).items():
            column = FIELD_COLUMNS.get(name, name if name in COLUMNS else "uscc")
            for message in messages:
                # A cell that could not be read is reported once, not again
                # as "cannot be blank".
                if column not in unreadable and (column, message) not in result.errors:
                    result.errors.append((column, message))
    if result.fields.get("risk_score", 0) > 100:
        result.errors.append(("risk_score", _("The risk score runs from 0 to %(max)s.") % {"max": 100}))


def _enterprise_fields():
    from .services import ENTERPRISE_FIELDS

    return ENTERPRISE_FIELDS


def _validate_children(
    result: RowResult,
    owners: dict[tuple[str, str], str],
    claimed: dict[tuple[str, str], int],
) -> None:
    uscc = result.uscc
    for kind, items in result.children.items():
        spec = CHILD_KINDS[kind]
        seen = set()
        for number, item in enumerate(items, 1):
            prefix = _("Item %(n)s") % {"n": number}
            obj = spec.model(**{f: item[f] for f in spec.fields if f in item})
            try:
                obj.full_clean(exclude=["enterprise"], validate_unique=False,
                               validate_constraints=False)
            except ValidationError as exc:
                for name, messages in _messages(exc).items():
                    label = (
                        getattr(spec.model._meta.get_field(name), "verbose_name", name)
                        if name != "__all__" else ""
                    )
                    for message in messages:
                        text = f"{label}: {message}" if label else message
                        result.errors.append((kind, f"{prefix}: {text}"))
            key = item.get(spec.key, "")
            # Contacts have no unique key: two people may share a name.
            if key in seen and kind != "contacts":
                result.errors.append(
                    (kind, _("%(prefix)s: “%(key)s” appears twice.") % {"prefix": prefix, "key": key})
                )
            seen.add(key)
            if kind == "provider_codes" and identifiers.PROVIDER_CODE_PATTERN.match(key):
                embedded = identifiers.provider_code_embedded_uscc(key)
                if embedded and embedded != uscc:
                    result.errors.append((kind, _(
                        "%(prefix)s: the provider code embeds the USCC %(embedded)s, "
                        "not this row's %(uscc)s."
                    ) % {"prefix": prefix, "embedded": embedded, "uscc": uscc}))
            if kind in GLOBAL_KEYS and key:
                owner = owners.get((kind, key))
                if owner and owner != uscc:
                    result.errors.append((kind, _(
                        "%(prefix)s: “%(key)s” is already registered to the enterprise "
                        "with USCC %(owner)s."
                    ) % {"prefix": prefix, "key": key, "owner": owner}))
                first = claimed.setdefault((kind, key), result.row)
                if first != result.row:
                    result.errors.append((kind, _(
                        "%(prefix)s: “%(key)s” is also listed in row %(row)s."
                    ) % {"prefix": prefix, "key": key, "row": first}))


def validate_rows(rows: list[dict[str, str]]) -> list[RowResult]:
    """Check every row against the rules and the stored registry; write nothing."""
    usccs = [identifiers.normalize_uscc(r.get("uscc", "")) for r in rows]
    stored = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in=usccs).prefetch_related(*CHILD_RELATIONS)
    }
    owners = _owners(rows)
    first_row_of: dict[str, int] = {}
    claimed: dict[tuple[str, str], int] = {}
    results = []
    for index, row in enumerate(rows):
        number = HEADER_ROW + 1 + index
        fields, children, errors = parse_row(row)
        result = RowResult(
            row=number, uscc=fields.get("uscc", ""), name=fields.get("name", ""),
            fields=fields, children=children, errors=errors,
        )
        results.append(result)
        if not result.uscc:
            result.errors.insert(0, ("uscc", _("This field is required.")))
        elif not identifiers.uscc_is_valid(result.uscc):
            result.errors.insert(0, ("uscc", _(
                "“%(value)s” is not a valid unified social credit code (check digit or format)."
            ) % {"value": result.uscc}))
        elif result.uscc in first_row_of:
            result.errors.insert(0, ("uscc", _("This USCC is also in row %(row)s.")
                                     % {"row": first_row_of[result.uscc]}))
        else:
            first_row_of[result.uscc] = number
        existing = stored.get(result.uscc)
        if not any(column == "uscc" for column, _m in result.errors):
            _validate_enterprise(result, existing)
            _validate_children(result, owners, claimed)
        if result.errors:
            result.action = "invalid"
        elif existing is None:
            result.action = "create"
        else:
            wanted = encode_record(result.fields, result.children)
            current = encode_record(*enterprise_record(existing))
            same = all(current.get(column) == value for column, value in wanted.items())
            result.action = "unchanged" if same else "update"
    return results


# -- the import -------------------------------------------------------------


def enterprises_import(
    *, data: bytes, filename: str, actor: User | None, valid_only: bool = False, dry_run: bool = False
) -> ImportReport:
    """
    Validate every row of the file, then upsert the enterprises it lists.

    With errors in any row nothing is written, unless `valid_only`; with
    `dry_run` nothing is written at all. The report says what happened.
    """
    report = ImportReport(dry_run=dry_run, valid_only=valid_only)
    try:
        rows = read_table(data, filename)
    except ImportFileError as exc:
        report.file_errors.append((HEADER_ROW, "", str(exc)))
        return report
    columns = set(rows[0]) if rows else set()
    unknown = sorted(columns - set(COLUMNS))
    for column in unknown:
        report.file_errors.append((HEADER_ROW, column, _("Unknown column.")))
    for column in REQUIRED_COLUMNS:
        if rows and column not in columns:
            report.file_errors.append((HEADER_ROW, column, _("This column is required.")))
    if not rows:
        report.file_errors.append((HEADER_ROW, "", _("The file has no data rows.")))
    if report.file_errors:
        return report
    # Skip rows that are blank from end to end (spreadsheets keep some).
    report.rows = validate_rows([r for r in rows if any(r.values())])
    if dry_run or (report.invalid and not valid_only):
        return report
    logger.info("registry import of %r by user %s: %d rows, %d invalid", filename,
                actor.pk if actor else None, len(report.rows), report.invalid)
    note = f"import: {filename}"
    with transaction.atomic():
        for result in report.rows:
            if result.action not in ("create", "update"):
                continue
            try:
                with transaction.atomic():
                    enterprise_upsert(
                        actor=actor, fields=result.fields, children=result.children, note=note
                    )
            except ValidationError as exc:
                # A rule only the service checks; keep the report honest.
                for name, messages in _messages(exc).items():
                    result.errors.extend((name if name in COLUMNS else "", m) for m in messages)
                result.action = "invalid"
                if not valid_only:
                    logger.warning("registry import of %r rolled back: row %s refused by the "
                                   "service", filename, result.row)
                    transaction.set_rollback(True)
                    return report
    report.imported = True
    logger.info("registry import of %r done: %d created, %d updated", filename,
                report.created, report.updated)
    return report
