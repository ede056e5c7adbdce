"""Staff pages of the rectification loop: review, extensions, escalation ladder."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import editor_required, require_supervisor, staff_required, supervisor_required
from core.audit import audit_history
from core.downloads import attachment_response, download_name
from core.edge import parse_id
from core.pages import refusals
from core.pagination import paginate
from enterprises.models import Enterprise
from inspections.selectors import finding_get

from . import selectors, services
from .filters import ExtensionFilter, ReportFilter
from .forms import (
    DecisionForm,
    EscalationForm,
    ExtensionDecisionForm,
    ReverificationForm,
)
from .models import ExtensionStatus, ReportStatus

PAGE_SIZE = 50


def _page(request, queryset):
    return paginate(queryset, PAGE_SIZE, request.GET.get("page"))


@require_GET
@staff_required
def report_list(request):
    # The page opens on the review queue.
    data = request.GET or {"status": ReportStatus.SUBMITTED}
    filters = ReportFilter(data, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    reports = selectors.report_list(viewer=request.user, filters=data) if filters.is_valid() else []
    page = _page(request, reports)
    return render(request, "rectification/report_list.html", {
        "form": filters.form, "page_obj": page, })


@require_GET
@staff_required
def report_detail(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    # Each response with its decision and re-verification forms, with ids of their own.
    responses = [
        (response, DecisionForm(auto_id=f"id_d{response.pk}_%s"), ReverificationForm(
            auto_id=f"id_v{response.pk}_%s",
            initial={"officers": list(response.finding.inspection.officers.all())},
        ))
        for response in report.responses.all()
    ]
    return render(request, "rectification/report_detail.html", {
        "report": report,
        "responses": responses,
        "versions": selectors.report_versions(report=report),
        "events": audit_history(report)[:50],
    })


@require_POST
@editor_required
def response_decide(request, pk: int):
    response = selectors.response_get(viewer=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        with refusals(request):
            services.response_decide(response=response, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose accept or request changes."))
    return redirect(f"{response.report.get_absolute_url()}#response-{response.pk}")


@require_POST
@editor_required
def response_reverify(request, pk: int):
    response = selectors.response_get(viewer=request.user, pk=pk)
    form = ReverificationForm(request.POST)
    if form.is_valid():
        with refusals(request):
            inspection = services.response_order_reverification(
                response=response, actor=request.user,
                planned_date=form.cleaned_data["planned_date"],
                officers=list(form.cleaned_data["officers"]),
                method=form.cleaned_data["method"], note=form.cleaned_data["note"],
            )
            messages.success(request, _("Re-verification inspection planned for %(date)s.")
                             % {"date": inspection.planned_date.isoformat()})
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(f"{response.report.get_absolute_url()}#response-{response.pk}")


@require_GET
@staff_required
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    return attachment_response(
        evidence.file, filename=download_name(evidence.original_name, evidence.extension),
        content_type=evidence.content_type)


@require_GET
@staff_required
def extension_list(request):
    # The page opens on the decision queue.
    data = request.GET or {"status": ExtensionStatus.PENDING}
    filters = ExtensionFilter(data, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    extensions = selectors.extension_list(viewer=request.user, filters=data) if filters.is_valid() else []
    page = _page(request, extensions)
    return render(request, "rectification/extension_list.html", {
        "form": filters.form, "page_obj": page, })


@staff_required
def extension_detail(request, pk: int):
    extension = selectors.extension_get(viewer=request.user, pk=pk)
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST":
        # Every staff member reads the request; deciding is the supervisor's.
        require_supervisor(request.user)
        if form.is_valid():
            with refusals(request, form):
                services.extension_decide(extension=extension, actor=request.user,
                                          approve=form.cleaned_data["approve"],
                                          note=form.cleaned_data["note"])
                messages.success(request, _("Decision recorded."))
                return redirect("rectification:extension_detail", pk=extension.pk)
    history = selectors.extension_list(viewer=request.user, filters={
        "finding": extension.finding_id}).order_by("created_at")
    return render(request, "rectification/extension_detail.html", {
        "extension": extension, "form": form, "history": history,
        "events": audit_history(extension)[:50],
    })


@require_GET
@staff_required
def escalation_list(request):
    overdue = selectors.overdue_findings(viewer=request.user)
    steps = selectors.escalation_list(viewer=request.user, filters={
        "kind": request.GET.get("kind", "")})
    page = _page(request, steps)
    return render(request, "rectification/escalation_list.html", {
        "overdue": overdue[:200], "page_obj": page, })


@supervisor_required
def escalation_create(request):
    finding = None
    if request.GET.get("finding") or request.POST.get("finding"):
        finding_pk = parse_id(request.GET.get("finding") or request.POST.get("finding"))
        if finding_pk is None:
            raise Http404
        finding = finding_get(viewer=request.user, pk=finding_pk)
        enterprise = finding.enterprise
    else:
        enterprise_pk = parse_id(request.GET.get("enterprise") or request.POST.get("enterprise"))
        if enterprise_pk is None:
            raise Http404
        enterprise = get_object_or_404(Enterprise, pk=enterprise_pk)
    form = EscalationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            escalation = services.escalation_record(
                enterprise=enterprise, finding=finding, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Escalation step recorded."))
            return redirect(escalation.get_absolute_url())
    return render(request, "rectification/escalation_form.html", {
        "form": form, "finding": finding, "enterprise": enterprise,
        "steps": selectors.escalation_list(viewer=request.user,
                                           filters={"enterprise": enterprise.pk})[:20],
    })


@require_GET
@staff_required
def escalation_detail(request, pk: int):
    escalation = selectors.escalation_get(viewer=request.user, pk=pk)
    return render(request, "rectification/escalation_detail.html", {
        "escalation": escalation, "events": audit_history(escalation)[:50],
    })


@require_GET
@staff_required
def escalation_minutes(request, pk: int):
    escalation = selectors.escalation_get(viewer=request.user, pk=pk)
    if not escalation.minutes:
        raise Http404
    return attachment_response(
        escalation.minutes,
        filename=download_name(escalation.minutes_name, escalation.minutes_extension),
        content_type=escalation.minutes_content_type)


@require_GET
@staff_required
def finding_rectification(request, pk: int):
    """Everything of the loop on one finding: responses, extensions, ladder, history."""
    finding = finding_get(viewer=request.user, pk=pk)
    responses = finding.report_responses.select_related("report", "decided_by").order_by(
        "report__version", "pk").exclude(report__status=ReportStatus.DRAFT)
    return render(request, "rectification/finding.html", {
        "finding": finding, "responses": responses,
        "extensions": selectors.extension_list(viewer=request.user,
                                               filters={"finding": finding.pk}),
        "steps": finding.escalations.select_related("recorded_by"),
        "events": audit_history(finding)[:50],
    })
