"""
The flat file format shared by import and export: one row per enterprise,
child lists encoded in one cell each.

A list cell holds items separated by `;`, and each item's fields separated by
`|`; a literal `\\`, `|` or `;` inside a value is escaped with a backslash.

    services          name|kind|modalities|monthly volume|url
                      (modalities: comma-separated, e.g. text,image)
    algorithm_filings number|algorithm name|filed on (YYYY-MM-DD)
    genai_filings     number|kind|model or service|filed on
    provider_codes    code
    contacts          name|title|phone|e-mail|primary (1 or 0)

Items are written in a canonical order (sorted), so that export → import →
export gives the same file. This module is pure: no database access.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .models import (
    MODALITY_FIELDS,
    ROLE_FIELDS,
    District,
    EnterpriseRole,
    EnterpriseStatus,
    GenAIFiling,
    Modality,
    RiskTier,
    Service,
)

SCALAR_COLUMNS = (
    "uscc",
    "name",
    "district",
    "address",
    "legal_representative",
    "roles",
    "user_agreement_url",
    "risk_tier",
    "risk_score",
    "status",
    "internal_notes",
)
LIST_COLUMNS = ("services", "algorithm_filings", "genai_filings", "provider_codes", "contacts")
COLUMNS = SCALAR_COLUMNS + LIST_COLUMNS
REQUIRED_COLUMNS = ("uscc",)

# Model field -> file column, for mapping validation errors back to the file.
FIELD_COLUMNS = {field: "roles" for field in ROLE_FIELDS.values()}

ITEM_FIELDS = {
    "services": ("name", "kind", "modalities", "monthly_aigc_volume", "url"),
    "algorithm_filings": ("number", "algorithm_name", "filed_on"),
    "genai_filings": ("number", "kind", "model_name", "filed_on"),
    "provider_codes": ("code",),
    "contacts": ("name", "title", "phone", "email", "is_primary"),
}


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


# -- escaping ---------------------------------------------------------------


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;")


def encode_list(items: Iterable[Sequence[str]]) -> str:
    return ";".join("|".join(_escape(v) for v in item) for item in items)


def decode_list(cell: str) -> list[list[str]]:
    """Split a list cell into items and fields, honouring backslash escapes."""
    items: list[list[str]] = []
    fields: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, None)
            if nxt is None:
                raise CellError(_("The cell ends with a lone backslash."))
            current.append(nxt)
        elif ch == "|":
            fields.append("".join(current))
            current = []
        elif ch == ";":
            fields.append("".join(current))
            items.append(fields)
            fields, current = [], []
        else:
            current.append(ch)
    fields.append("".join(current))
    items.append(fields)
    # An empty cell, or a trailing `;`, holds no item.
    return [[f.strip() for f in item] for item in items if any(f.strip() for f in item)]


# -- choice values: the stored key, or its label in English or Chinese -------


def _choice_aliases(choices) -> dict[str, str]:
    aliases = {}
    for value, label in choices:
        aliases[str(value).lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                aliases[str(label).lower()] = value
    return aliases


def _choice(text: str, choices, what: str) -> str:
    value = _choice_aliases(choices).get(text.strip().lower())
    if value is None:
        allowed = ", ".join(str(v) for v, _label in choices)
        raise CellError(
            _("“%(value)s” is not a valid %(what)s; use one of: %(allowed)s.")
            % {"value": text, "what": what, "allowed": allowed}
        )
    return value


def _integer(text: str, what: str) -> int:
    try:
        number = float(text.strip())
    except ValueError:
        number = None
    if number is None or number != int(number) or number < 0:
        raise CellError(
            _("“%(value)s” is not a valid %(what)s (a whole number, 0 or more).")
            % {"value": text, "what": what}
        )
    return int(number)


def _date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        # Spreadsheets may hand a date cell back with a time part.
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "y", "是", "primary")


def _split_items(cell: str, kind: str) -> list[list[str]]:
    items = decode_list(cell)
    width = len(ITEM_FIELDS[kind])
    for number, item in enumerate(items, 1):
        if len(item) > width:
            raise CellError(
                _("Item %(n)s has %(got)s fields; at most %(max)s are allowed.")
                % {"n": number, "got": len(item), "max": width}
            )
        item.extend([""] * (width - len(item)))
    return items


def _item_error(number: int, error: CellError) -> CellError:
    return CellError(_("Item %(n)s: %(problem)s") % {"n": number, "problem": error})


# -- reading ----------------------------------------------------------------


def parse_row(
    row: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], list[tuple[str, str]]]:
    """
    Turn one file row (column -> text) into enterprise fields and child lists.

    Only the columns present in `row` are returned, so a file without a
    column leaves that part of the record unchanged. Returns the fields, the
    children and a list of (column, problem) for cells that cannot be read.
    """
    fields: dict[str, Any] = {}
    children: dict[str, list[dict[str, Any]]] = {}
    errors: list[tuple[str, str]] = []

    def read(column, parser):
        if column not in row:
            return
        try:
            parser(row[column].strip())
        except CellError as exc:
            errors.append((column, str(exc)))

    def set_plain(column):
        def parser(text):
            fields[column] = text.upper() if column == "uscc" else text

        return parser

    for column in ("uscc", "name", "address", "legal_representative", "user_agreement_url",
                   "internal_notes"):
        read(column, set_plain(column))
    read("district", lambda t: fields.__setitem__(
        "district", _choice(t, District.choices, _("district")) if t else ""))
    read("risk_tier", lambda t: fields.__setitem__(
        "risk_tier", _choice(t, RiskTier.choices, _("risk tier")) if t else ""))
    read("status", lambda t: fields.__setitem__(
        "status", _choice(t, EnterpriseStatus.choices, _("status")) if t else ""))
    read("risk_score", lambda t: fields.__setitem__(
        "risk_score", _integer(t, _("risk score")) if t else 50))

    def roles(text):
        chosen = {
            _choice(part, EnterpriseRole.choices, _("role"))
            for part in text.replace("，", ",").split(",")
            if part.strip()
        }
        for role, field in ROLE_FIELDS.items():
            fields[field] = role in chosen

    read("roles", roles)

    def services(text):
        result = []
        for n, (name, kind, modalities, volume, url) in enumerate(_split_items(text, "services"), 1):
            try:
                item = {
                    "name": name,
                    "kind": _choice(kind, Service.Kind.choices, _("service kind")),
                    "url": url,
                    "monthly_aigc_volume": _integer(volume, _("monthly volume")) if volume else 0,
                }
                chosen = {
                    _choice(m, Modality.choices, _("modality"))
                    for m in modalities.replace("，", ",").split(",")
                    if m.strip()
                }
            except CellError as exc:
                raise _item_error(n, exc)
            for modality, field in MODALITY_FIELDS.items():
                item[field] = modality in chosen
            result.append(item)
        children["services"] = result

    def algorithm_filings(text):
        result = []
        for n, (number, name, filed_on) in enumerate(_split_items(text, "algorithm_filings"), 1):
            try:
                result.append({"number": number, "algorithm_name": name, "filed_on": _date(filed_on)})
            except CellError as exc:
                raise _item_error(n, exc)
        children["algorithm_filings"] = result

    def genai_filings(text):
        result = []
        for n, (number, kind, model, filed_on) in enumerate(_split_items(text, "genai_filings"), 1):
            try:
                result.append({
                    "number": number,
                    "kind": _choice(kind, GenAIFiling.Kind.choices, _("filing kind")),
                    "model_name": model,
                    "filed_on": _date(filed_on),
                })
            except CellError as exc:
                raise _item_error(n, exc)
        children["genai_filings"] = result

    def provider_codes(text):
        children["provider_codes"] = [
            {"code": code.upper()} for (code,) in _split_items(text, "provider_codes")
        ]

    def contacts(text):
        children["contacts"] = [
            {"name": name, "title": title, "phone": phone, "email": email,
             "is_primary": _flag(primary)}
            for name, title, phone, email, primary in _split_items(text, "contacts")
        ]

    read("services", services)
    read("algorithm_filings", algorithm_filings)
    read("genai_filings", genai_filings)
    read("provider_codes", provider_codes)
    read("contacts", contacts)
    return fields, children, errors


# -- writing ----------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def encode_record(
    fields: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, str]:
    """Encode fields and child lists as file cells (only what is given)."""
    row: dict[str, str] = {}
    for column in SCALAR_COLUMNS:
        if column == "roles":
            if any(f in fields for f in ROLE_FIELDS.values()):
                row["roles"] = ",".join(r for r, f in ROLE_FIELDS.items() if fields.get(f))
        elif column in fields:
            row[column] = _text(fields[column])
    for kind, items in children.items():
        encoded = []
        for item in items:
            if kind == "services":
                modalities = ",".join(m for m, f in MODALITY_FIELDS.items() if item.get(f))
                values = [item["name"], item["kind"], modalities,
                          item.get("monthly_aigc_volume", 0), item.get("url", "")]
            else:
                values = [item.get(f, "") for f in ITEM_FIELDS[kind]]
            encoded.append([_text(v) for v in values])
        row[kind] = encode_list(sorted(encoded))
    return row


def enterprise_record(enterprise) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The fields and child lists of a stored enterprise (children prefetched)."""
    from .services import CHILD_KINDS, ENTERPRISE_FIELDS

    fields = {f: getattr(enterprise, f) for f in ENTERPRISE_FIELDS}
    children = {
        kind: [{f: getattr(obj, f) for f in spec.fields} for obj in getattr(enterprise, kind).all()]
        for kind, spec in CHILD_KINDS.items()
    }
    return fields, children
