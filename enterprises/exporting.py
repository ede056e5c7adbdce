"""
Export of the registry, as CSV or XLSX, through the project's one export
writer (core.export_writer).

Two variants: for people (the default: translated headers, choice labels,
district names, yes/no, child lists spelled out), and the import format
(`machine=True`, see tabular.py: column keys and stored codes), which
import_enterprises reads back unchanged. The caller passes a queryset from
selectors.enterprise_export_list, so an export shows exactly the
enterprises the list page shows.
"""

import tempfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import export_writer as ew

from .models import (
    MODALITY_FIELDS,
    ROLE_FIELDS,
    District,
    Enterprise,
    EnterpriseRole,
    EnterpriseStatus,
    GenAIFiling,
    Modality,
    RiskTier,
    Service,
)
from .selectors import enterprise_export_list, enterprise_export_records
from .tabular import COLUMNS, encode_record, enterprise_record

if TYPE_CHECKING:
    pass

CSV_CONTENT_TYPE = ew.CSV_CONTENT_TYPE
XLSX_CONTENT_TYPE = ew.XLSX_CONTENT_TYPE
# The import format: every column text, headed by its key.
MACHINE_COLUMNS = [ew.Column(key, key) for key in COLUMNS]


def human_columns() -> list[ew.Column]:
    return [
        ew.Column("uscc", gettext_lazy("Unified social credit code")),
        ew.Column("name", gettext_lazy("Name")),
        ew.Column("district", gettext_lazy("District"), ew.CHOICE, choices=dict(District.choices)),
        ew.Column("address", gettext_lazy("Address")),
        ew.Column("legal_representative", gettext_lazy("Legal representative")),
        ew.Column("roles", gettext_lazy("Roles")),
        ew.Column("user_agreement_url", gettext_lazy("User agreement")),
        ew.Column("risk_tier", gettext_lazy("Risk tier"), ew.CHOICE, choices=dict(RiskTier.choices)),
        ew.Column("risk_score", gettext_lazy("Risk score"), ew.NUMBER),
        ew.Column("status", gettext_lazy("Status"), ew.CHOICE, choices=dict(EnterpriseStatus.choices)),
        ew.Column("internal_notes", gettext_lazy("Internal notes")),
        ew.Column("services", gettext_lazy("Services")),
        ew.Column("algorithm_filings", gettext_lazy("Algorithm filings")),
        ew.Column("genai_filings", gettext_lazy("Generative AI filings")),
        ew.Column("provider_codes", gettext_lazy("Provider codes")),
        ew.Column("contacts", gettext_lazy("Contacts")),
    ]


def _records(enterprises: Iterable[Enterprise]):
    """(fields, children) per enterprise: a queryset in batches, else prefetched children."""
    if isinstance(enterprises, QuerySet):
        return enterprise_export_records(enterprises=enterprises)
    return (enterprise_record(e) for e in enterprises)


def enterprise_rows(enterprises: Iterable[Enterprise]) -> Iterator[dict[str, str]]:
    """Yield one import-format row (column -> text) per enterprise."""
    for fields, children in _records(enterprises):
        yield encode_record(fields, children)


def _human_record(fields: dict[str, Any], children: dict[str, list[dict]]) -> dict[str, Any]:
    labels = {
        "role": dict(EnterpriseRole.choices), "modality": dict(Modality.choices),
        "service": dict(Service.Kind.choices), "genai": dict(GenAIFiling.Kind.choices),
    }
    sep = "；"
    row = {key: fields.get(key) for key in ("uscc", "name", "district", "address",
                                            "legal_representative", "user_agreement_url",
                                            "risk_tier", "risk_score", "status", "internal_notes")}
    row["roles"] = "、".join(str(labels["role"][r]) for r, f in ROLE_FIELDS.items() if fields.get(f))

    def date(value) -> str:
        return value.isoformat() if value else ""

    services = []
    for item in sorted(children.get("services", []), key=lambda i: i["name"]):
        modalities = "、".join(str(labels["modality"][m]) for m, f in MODALITY_FIELDS.items()
                              if item.get(f))
        details = [str(labels["service"].get(item["kind"], item["kind"])), modalities,
                   _("%(n)s AI items a month") % {"n": item.get("monthly_aigc_volume") or 0},
                   item.get("url") or ""]
        services.append(f"{item['name']}（{'，'.join(d for d in details if d)}）")
    row["services"] = sep.join(services)
    row["algorithm_filings"] = sep.join(
        f"{i['number']} {i['algorithm_name']}" + (f"（{date(i['filed_on'])}）" if i.get("filed_on") else "")
        for i in sorted(children.get("algorithm_filings", []), key=lambda i: i["number"]))
    row["genai_filings"] = sep.join(
        f"{i['number']} {i['model_name']}（{labels['genai'].get(i['kind'], i['kind'])}"
        + (f"，{date(i['filed_on'])}" if i.get("filed_on") else "") + "）"
        for i in sorted(children.get("genai_filings", []), key=lambda i: i["number"]))
    row["provider_codes"] = sep.join(sorted(i["code"] for i in children.get("provider_codes", [])))
    row["contacts"] = sep.join(
        " ".join(v for v in (i["name"], i.get("title"), i.get("phone"), i.get("email")) if v)
        + (_(" (primary)") if i.get("is_primary") else "")
        for i in sorted(children.get("contacts", []), key=lambda i: (not i.get("is_primary"), i["name"])))
    return row


def enterprise_human_rows(enterprises: Iterable[Enterprise]) -> Iterator[dict[str, Any]]:
    for fields, children in _records(enterprises):
        yield _human_record(fields, children)


def iter_csv(enterprises: Iterable[Enterprise], *, machine: bool = False) -> Iterator[bytes]:
    """Yield the CSV in pieces (UTF-8 with a byte-order mark, for Excel)."""
    if machine:
        return ew.iter_csv(MACHINE_COLUMNS, enterprise_rows(enterprises), machine=True)
    return ew.iter_csv(human_columns(), enterprise_human_rows(enterprises))


def export_csv(enterprises: Iterable[Enterprise], *, machine: bool = False) -> bytes:
    return b"".join(iter_csv(enterprises, machine=machine))


def export_xlsx(enterprises: Iterable[Enterprise], *, machine: bool = False) -> bytes:
    """One sheet; text cells in text-formatted columns (codes like 110108 stay text)."""
    if machine:
        return ew.write_xlsx(MACHINE_COLUMNS, enterprise_rows(enterprises), machine=True,
                             sheet_title="enterprises")
    return ew.write_xlsx(human_columns(), enterprise_human_rows(enterprises),
                         sheet_title=_("Registry"))


EXPORTERS = {
    "csv": (export_csv, CSV_CONTENT_TYPE),
    "xlsx": (export_xlsx, XLSX_CONTENT_TYPE),
}


def export_filename(fmt: str) -> str:
    return f"enterprises-{ew.filename_stamp()}.{fmt}"


def build_export(*, viewer: User, params: dict) -> tuple[str | bytes, str, str, int]:
    """
    Build the registry export of a background job (core.exports) as
    `viewer`, with the list page's filters from params["query"]. The CSV is
    streamed into a temporary file rather than held in memory. params["variant"]
    "machine" asks for the import format.
    """
    fmt = params.get("fmt", "csv")
    machine = ew.wants_machine(params)
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown format {fmt!r}")
    query = QueryDict(mutable=True)
    for key, values in (params.get("query") or {}).items():
        query.setlist(key, values if isinstance(values, list) else [values])
    enterprises = enterprise_export_list(viewer=viewer, filters=query)
    rows = enterprises.order_by().count()
    export, content_type = EXPORTERS[fmt]
    if fmt == "csv":
        with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as handle:
            for piece in iter_csv(enterprises, machine=machine):
                handle.write(piece)
        return handle.name, export_filename(fmt), content_type, rows
    return export(enterprises, machine=machine), export_filename(fmt), content_type, rows
