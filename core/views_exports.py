"""A user's background exports: start (from an app's export view), status, download, list."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .downloads import attachment_response
from .exports import export_job_list, export_job_start, export_kind_label
from .models import ExportStatus


def start_export(request, *, kind: str, params: dict):
    """
    Queue (or reuse) the viewer's export job and redirect to its status page.
    A GET only shows what will be prepared, with a button: a background job
    is started by POST, never by a link or an <img> on another page.
    """
    if request.method != "POST":
        return render(request, "core/export_confirm.html", {"kind_label": export_kind_label(kind)})
    job = export_job_start(owner=request.user, kind=kind, params=params)
    return redirect("core:export_job", pk=job.pk)


@require_GET
@login_required
def export_jobs(request):
    page = Paginator(export_job_list(viewer=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/export_jobs.html", {
        "page_obj": page, "keep_days": settings.EXPORT_KEEP_DAYS,
    })


@require_GET
@login_required
def export_job(request, pk: int):
    job = get_object_or_404(export_job_list(viewer=request.user), pk=pk)
    return render(request, "core/export_job.html", {"job": job})


@require_GET
@login_required
def export_job_download(request, pk: int):
    job = get_object_or_404(export_job_list(viewer=request.user), pk=pk,
                            status=ExportStatus.DONE)
    return attachment_response(job.file, filename=job.filename, content_type=job.content_type)
