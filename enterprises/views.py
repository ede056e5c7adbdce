from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import export_writer
from core.access import editor_required, staff_required
from core.exports import exceeds_sync_limit
from core.pages import refusals
from core.pagination import paginate
from core.views_exports import start_export

from . import exporting, selectors, services
from .filters import EnterpriseFilter
from .forms import CHILD_FORMSETS, EnterpriseForm, ImportForm
from .importing import enterprises_import
from .models import Enterprise

PAGE_SIZE = 50


@require_GET
@staff_required
def enterprise_list(request):
    filters = EnterpriseFilter(request.GET, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    enterprises = (selectors.enterprise_list(viewer=request.user, filters=request.GET)
                   if filters.is_valid() else [])
    page = paginate(enterprises, PAGE_SIZE, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enterprises/list.html", {
        "form": filters.form,
        "page_obj": page,
        "sort": filters.sort_key() if filters.is_valid() else "",
        "export_query": query.urlencode(),
    })


@require_http_methods(["GET", "POST"])  # POST starts a background export
@staff_required
def enterprise_export(request, fmt: str):
    """The filtered registry for people, or in the import format with ?variant=machine."""
    if fmt not in exporting.EXPORTERS:
        raise Http404
    machine = export_writer.wants_machine(request.GET)
    try:
        enterprises = selectors.enterprise_export_list(viewer=request.user, filters=request.GET)
    except ValidationError:
        # Bad filters: the list page says which, beside the fields.
        return redirect(f"{reverse('enterprises:list')}?{request.GET.urlencode()}")
    if exceeds_sync_limit(enterprises):
        params = {"fmt": fmt, "query": dict(request.GET.lists())}
        if machine:
            params["variant"] = "machine"
        return start_export(request, kind="enterprises", params=params)
    export, content_type = exporting.EXPORTERS[fmt]
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(exporting.iter_csv(enterprises, machine=machine),
                                         content_type=content_type)
    else:
        response = HttpResponse(export(enterprises, machine=machine), content_type=content_type)
    return export_writer.attachment(response, exporting.export_filename(fmt))


@require_GET
@staff_required
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_get(viewer=request.user, pk=pk)
    return render(request, "enterprises/detail.html", {
        "enterprise": enterprise,
        "history": selectors.enterprise_history(enterprise=enterprise),
    })


def _formsets(request, instance: Enterprise):
    data = request.POST if request.method == "POST" else None
    return [
        (prefix, heading, formset_class(data, instance=instance, prefix=prefix))
        for prefix, heading, formset_class in CHILD_FORMSETS
    ]


def _edit(request, enterprise: Enterprise | None):
    """The create and edit pages: one enterprise form plus a formset per child kind."""
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    formsets = _formsets(request, enterprise or Enterprise())
    if request.method == "POST":
        form_ok = form.is_valid()
        for prefix, _heading, formset in formsets:
            if prefix == "provider_codes" and form_ok:
                formset.expected_uscc = form.cleaned_data["uscc"]
        if form_ok and all(fs.is_valid() for _p, _h, fs in formsets):
            children = {prefix: fs.items() for prefix, _h, fs in formsets}
            with refusals(request, form):
                if enterprise is None:
                    enterprise = services.enterprise_create(
                        actor=request.user, fields=form.service_fields(), children=children
                    )
                else:
                    services.enterprise_update(
                        enterprise=enterprise, actor=request.user,
                        fields=form.service_fields(), children=children,
                    )
                messages.success(request, _("The enterprise has been saved."))
                return redirect(enterprise)
    return render(request, "enterprises/form.html", {
        "form": form, "formsets": formsets, "enterprise": enterprise,
        "has_errors": bool(form.errors) or any(fs.total_error_count() for _p, _h, fs in formsets
                                               if fs.is_bound),
    })


@editor_required
def enterprise_create(request):
    return _edit(request, None)


@editor_required
def enterprise_edit(request, pk: int):
    return _edit(request, selectors.enterprise_get(viewer=request.user, pk=pk))


@editor_required
def enterprise_import(request):
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = enterprises_import(
            data=upload.read(), filename=upload.name, actor=request.user,
            valid_only=form.cleaned_data["valid_only"], dry_run=form.cleaned_data["dry_run"],
        )
        if report.imported:
            messages.success(request, _(
                "Import done: %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(invalid)s rows skipped."
            ) % {"created": report.created, "updated": report.updated,
                 "unchanged": report.unchanged, "invalid": report.invalid})
    return render(request, "enterprises/import.html", {"form": form, "report": report})
