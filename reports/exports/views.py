"""Findings and inspections exports: small ones in the request, large ones by a background job."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from core import export_writer
from core.access import staff_required
from core.edge import parse_id
from core.exports import exceeds_sync_limit
from core.views_exports import start_export

from . import services


@require_http_methods(["GET", "POST"])  # POST starts a background export
@staff_required
def export_findings(request, fmt: str):
    return _export(request, fmt, "findings")


@require_http_methods(["GET", "POST"])  # POST starts a background export
@staff_required
def export_inspections(request, fmt: str):
    return _export(request, fmt, "inspections")


def _export(request, fmt: str, name: str) -> HttpResponse:
    if fmt not in services.FORMATS:
        raise Http404
    campaign_id = parse_id(request.GET.get("campaign"))
    machine = export_writer.wants_machine(request.GET)
    queryset, build, _columns, _title = services.EXPORTS[name]
    if exceeds_sync_limit(queryset(viewer=request.user, campaign_id=campaign_id)):
        params = {"fmt": fmt, "campaign_id": campaign_id}
        if machine:
            params["variant"] = "machine"
        return start_export(request, kind=name, params=params)
    rows, total = build(viewer=request.user, campaign_id=campaign_id)
    data, content_type = services.write(rows, fmt, name, machine=machine)
    response = export_writer.attachment(HttpResponse(data, content_type=content_type),
                                        services.export_filename(name, fmt, len(rows), total))
    if total is not None:
        response["X-Export-Truncated"] = f"{len(rows)}/{total}"
    return response
