"""The audit trail for supervisors and admins: filter, read, export as CSV."""

import csv
import json

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .access import staff_required
from .audit_selectors import AuditFilterForm, audit_event_list

CSV_HEADER = ["time", "actor", "action", "object_type", "object_id", "object",
              "enterprise_id", "ip_address", "before", "after", "note"]


@require_GET
@staff_required(roles={"supervisor"})
def audit_list(request):
    form = AuditFilterForm(request.GET)
    events = audit_event_list(viewer=request.user, filters=form.filters())
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {
        "form": form, "page_obj": page,
        "querystring_without_page": f"{query.urlencode()}&" if query else "",
        "export_query": query.urlencode(),
    })


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value) -> str:
    # Neutralise spreadsheet formulas (CSV injection) in free text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@staff_required(roles={"supervisor"})
def audit_export(request):
    form = AuditFilterForm(request.GET)
    events = audit_event_list(viewer=request.user, filters=form.filters())
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_HEADER)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([
                timezone.localtime(e.created_at).isoformat(timespec="seconds"),
                _csv_safe(e.actor.username if e.actor else ""), e.action, e.object_type,
                e.object_id, _csv_safe(e.object_repr), e.enterprise_id or "",
                e.ip_address or "",
                _csv_safe(json.dumps(e.before, ensure_ascii=False) if e.before else ""),
                _csv_safe(json.dumps(e.after, ensure_ascii=False) if e.after else ""),
                _csv_safe(e.note),
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
