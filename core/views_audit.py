"""The audit trail for supervisors and admins: filter, read, export as CSV."""

import itertools
import json

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import export_writer as ew
from .access import supervisor_required
from .audit_filters import AuditFilter
from .audit_selectors import audit_event_list
from .export_writer import Column
from .templatetags.audit_tags import audit_action, audit_changes, prime_names


@require_GET
@supervisor_required
def audit_list(request):
    filters = AuditFilter(request.GET, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    events = audit_event_list(viewer=request.user, filters=request.GET) if filters.is_valid() else []
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    prime_names(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {
        "form": filters.form, "page_obj": page,
        "export_query": query.urlencode(),
    })


def _audit_columns(*, machine: bool = False) -> list[Column]:
    columns = [
        Column("time", _("Time"), ew.DATETIME),
        Column("actor", _("Who")),
        Column("action", _("Action")),
        Column("object", _("Object")),
        Column("changes", _("Changes")),
        Column("note", _("Note")),
        Column("ip_address", _("IP address")),
    ]
    if machine:
        # Codes and ids are for programs: people read the action and the object above.
        columns += [
            Column("action_code", _("Action code")),
            Column("object_type", _("Object type")),
            Column("object_id", _("Object id")),
            Column("enterprise_id", _("Enterprise id")),
        ]
    return columns


def _chunks(events, size: int = 2000):
    iterator = events.iterator(chunk_size=size)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _audit_rows(events, *, machine: bool):
    for chunk in _chunks(events):
        if not machine:
            prime_names(chunk)
        yield from (_audit_row(event, machine=machine) for event in chunk)


def _audit_row(event, *, machine: bool) -> dict:
    actor = event.actor
    if machine:
        changes = json.dumps({"before": event.before, "after": event.after},
                             ensure_ascii=False) if (event.before or event.after) else ""
    else:
        changes = "; ".join(
            f"{field}: {before} → {after}" if before is not None else f"{field}: {after}"
            for field, before, after in audit_changes(event))
    return {
        "time": event.created_at,
        "actor": (actor.username if machine else actor.get_full_name() or actor.username)
        if actor else "",
        "action": event.action if machine else audit_action(event),
        "object": event.object_repr, "changes": changes, "note": event.note,
        "ip_address": event.ip_address, "action_code": event.action,
        "object_type": event.object_type, "object_id": event.object_id,
        "enterprise_id": event.enterprise_id,
    }


@require_GET
@supervisor_required
def audit_export(request):
    """The filtered trail as CSV (or XLSX) through the one export writer; ?variant=machine keeps codes."""
    try:
        events = audit_event_list(viewer=request.user, filters=request.GET).select_related("actor")
    except ValidationError:
        # Bad filters: the list page says which, beside the fields.
        return redirect(f"{reverse('core:audit_list')}?{request.GET.urlencode()}")
    machine = ew.wants_machine(request.GET)
    fmt = request.GET.get("fmt") if request.GET.get("fmt") in ew.FORMATS else "csv"
    return ew.file_response(fmt, _audit_columns(machine=machine), _audit_rows(events, machine=machine),
                            filename=f"audit-{ew.filename_stamp()}.{fmt}", machine=machine,
                            sheet_title=str(_("Audit trail")))
