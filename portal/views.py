"""
The enterprise portal: an enterprise user's findings, notices, rectification
reports and extension requests. Every read goes through a selector scoped to
the user's own enterprise, so another enterprise's ids answer 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import enterprise_user_required
from core.downloads import attachment_response, download_name
from core.pages import refusals
from inspections.selectors import finding_get
from inspections.workdays import working_days_between
from rectification import selectors, services
from rectification.forms import ExtensionRequestForm, ReportFrontForm, ReportStartForm, ResponseForm
from rectification.models import ExtensionStatus


@require_GET
@enterprise_user_required
def home(request):
    """The enterprise's own home: open cases with working days left, then history."""
    cases, closed = selectors.portal_findings(viewer=request.user)
    reports = selectors.report_list(viewer=request.user)[:10]
    return render(request, "portal/home.html", {
        "enterprise": request.user.enterprise,
        "cases": cases,
        "closed": closed[:50],
        "reports": reports,
        "can_start_report": services.reportable_findings(
            enterprise_id=request.user.enterprise_id).exists(),
    })


@enterprise_user_required
def finding_detail(request, pk: int):
    finding = finding_get(viewer=request.user, pk=pk)
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            services.extension_request_create(finding=finding, actor=request.user,
                                              **form.cleaned_data)
            messages.success(request, _("Extension request sent to the supervisor."))
            return redirect("portal:finding_detail", pk=finding.pk)
    extensions = selectors.extension_list(viewer=request.user, filters={"finding": finding.pk})
    responses = finding.report_responses.select_related("report").order_by("report__version")
    return render(request, "portal/finding_detail.html", {
        "finding": finding,
        "working_days_left": working_days_between(timezone.localdate(), finding.deadline),
        "form": form,
        "extensions": extensions,
        "can_extend": finding.status in services.EXTENDABLE_STATUSES
        and not any(x.status == ExtensionStatus.PENDING for x in extensions),
        "responses": responses,
    })


@require_POST
@enterprise_user_required
def extension_withdraw(request, pk: int):
    extension = selectors.extension_get(viewer=request.user, pk=pk)
    with refusals(request):
        services.extension_withdraw(extension=extension, actor=request.user)
        messages.success(request, _("Extension request withdrawn."))
    return redirect("portal:finding_detail", pk=extension.finding_id)


@require_GET
@enterprise_user_required
def report_list(request):
    return render(request, "portal/report_list.html", {
        "reports": selectors.report_list(viewer=request.user),
        "can_start_report": services.reportable_findings(
            enterprise_id=request.user.enterprise_id).exists(),
    })


@enterprise_user_required
def report_start(request):
    findings = services.reportable_findings(enterprise_id=request.user.enterprise_id)
    form = ReportStartForm(request.POST or None, findings=findings)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            report = services.report_create(enterprise=request.user.enterprise,
                                            actor=request.user,
                                            findings=list(form.cleaned_data["findings"]))
            return redirect("portal:report_edit", pk=report.pk)
    return render(request, "portal/report_start.html", {"form": form, "empty": not findings})


@require_GET
@enterprise_user_required
def report_detail(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    return render(request, "portal/report_detail.html", {
        "report": report, "versions": selectors.report_versions(report=report),
    })


def _response_forms(request, report):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return [
        (response, ResponseForm(data, files, prefix=f"r{response.pk}", initial={
            "measures": response.measures, "long_term_measures": response.long_term_measures,
            "completed_on": response.completed_on,
        }))
        for response in report.responses.all()
    ]


@enterprise_user_required
def report_edit(request, pk: int):
    """Edit a draft: front matter, a response per finding, evidence uploads; save or submit."""
    report = selectors.report_get(viewer=request.user, pk=pk)
    if report.is_locked:
        return redirect("portal:report_detail", pk=report.pk)
    front = ReportFrontForm(request.POST or None, instance=report)
    forms = _response_forms(request, report)
    if request.method == "POST":
        if front.is_valid() and all(form.is_valid() for _r, form in forms):
            with refusals(request) as refused:
                _save_draft(request, report, front, forms)
            # Refused while saving, the page comes back below with everything as
            # typed; saved, a refused submission loses nothing (the draft is on record).
            if not refused:
                with refusals(request):
                    if "submit" in request.POST:
                        services.report_submit(report=report, actor=request.user)
                        messages.success(request, _("Report submitted. It is now locked for review."))
                        return redirect("portal:report_detail", pk=report.pk)
                    messages.success(request, _("Draft saved."))
                return redirect("portal:report_edit", pk=report.pk)
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(request, "portal/report_edit.html", {
        "report": report, "front": front, "forms": forms,
        "versions": selectors.report_versions(report=report),
    })


def _save_draft(request, report, front, forms) -> None:
    services.report_save_draft(
        report=report, actor=request.user,
        front={name: front.cleaned_data[name] for name in ReportFrontForm.Meta.fields},
        responses=[(response, form.cleaned_data) for response, form in forms])


@require_POST
@enterprise_user_required
def report_new_version(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    with refusals(request):
        new = services.report_start_next_version(report=report, actor=request.user)
        messages.success(request, _("Version %(v)s started from the previous one. Revise and submit it.")
                         % {"v": new.version})
        return redirect("portal:report_edit", pk=new.pk)
    return redirect("portal:report_detail", pk=report.pk)


@require_POST
@enterprise_user_required
def evidence_remove(request, pk: int):
    """
    Remove one evidence file of a draft. The button sits inside the draft's
    form, so the text typed there arrives too: it is saved first (or, when
    it does not validate, shown again with the file kept), never lost.
    """
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    report = selectors.report_get(viewer=request.user, pk=evidence.response.report_id)
    if set(request.POST) - {"csrfmiddlewaretoken"} and not report.is_locked:
        front = ReportFrontForm(request.POST, instance=report)
        forms = _response_forms(request, report)
        if not (front.is_valid() and all(form.is_valid() for _r, form in forms)):
            messages.error(request, _("The file was not removed: correct the errors below first. "
                                      "Nothing you typed was lost."))
            return render(request, "portal/report_edit.html", {
                "report": report, "front": front, "forms": forms,
                "versions": selectors.report_versions(report=report),
            })
        with refusals(request) as refused:
            _save_draft(request, report, front, forms)
        if refused:
            # Nothing typed is lost: the draft comes back as sent, the file still there.
            return render(request, "portal/report_edit.html", {
                "report": report, "front": front, "forms": forms,
                "versions": selectors.report_versions(report=report),
            })
    with refusals(request):
        services.evidence_remove(evidence=evidence, actor=request.user)
        messages.success(request, _("Evidence file removed; the draft was saved."))
    return redirect("portal:report_edit", pk=report.pk)


@require_GET
@enterprise_user_required
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    return attachment_response(
        evidence.file, filename=download_name(evidence.original_name, evidence.extension),
        content_type=evidence.content_type)
