"""
The enterprise's self-inspections in the portal: the list, the checklist to
answer (answers, evidence, rectification plans; save or submit) and the
submitted report with the reviewer's comments. Scoped to the user's own
enterprise: another enterprise's ids answer 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import enterprise_user_required
from core.downloads import attachment_response, download_name
from core.pages import refusals
from selfchecks import selectors, services
from selfchecks.forms import FrontForm, ItemForm


@require_GET
@enterprise_user_required
def selfcheck_list(request):
    return render(request, "portal/selfcheck_list.html", {
        "reports": selectors.report_list(viewer=request.user).order_by("-created_at", "-pk")})


@require_GET
@enterprise_user_required
def selfcheck_detail(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    if report.is_editable:
        return redirect("portal:selfcheck_edit", pk=report.pk)
    return render(request, "portal/selfcheck_detail.html", {"report": report})


def _item_forms(request, report):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return [(item, ItemForm(data, files, prefix=f"i{item.pk}", initial={
        "answer": item.answer, "note": item.note, "plan_measures": item.plan_measures,
        "plan_start": item.plan_start, "plan_due": item.plan_due}))
        for item in report.items.all()]


@enterprise_user_required
def selfcheck_edit(request, pk: int):
    """Answer the checklist: save the draft, or submit it (locked until reviewed)."""
    report = selectors.report_get(viewer=request.user, pk=pk)
    if not report.is_editable:
        return redirect("portal:selfcheck_detail", pk=report.pk)
    front = FrontForm(request.POST or None, initial={
        "responsible_person": report.responsible_person, "contact_phone": report.contact_phone,
        "summary": report.summary, "declaration": report.declaration})
    forms = _item_forms(request, report)
    if request.method == "POST":
        if front.is_valid() and all(form.is_valid() for _item, form in forms):
            with refusals(request) as refused:
                services.report_save(report=report, actor=request.user, front=front.cleaned_data,
                                     answers={item.pk: form.cleaned_data for item, form in forms})
                for item, form in forms:
                    for uploaded in form.cleaned_data["evidence_files"]:
                        services.evidence_add(item=item, actor=request.user, uploaded=uploaded)
            # Refused while saving, the page comes back below with everything as
            # typed; saved, a refused submission loses nothing (the draft is on record).
            if not refused:
                with refusals(request):
                    if "submit" in request.POST:
                        services.report_submit(report=report, actor=request.user)
                        messages.success(request, _("Self-inspection submitted. It is locked while it "
                                                    "is reviewed."))
                        return redirect("portal:selfcheck_detail", pk=report.pk)
                    messages.success(request, _("Draft saved."))
                return redirect("portal:selfcheck_edit", pk=report.pk)
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(request, "portal/selfcheck_edit.html", {
        "report": report, "front": front, "forms": forms})


@require_POST
@enterprise_user_required
def selfcheck_evidence_remove(request, pk: int):
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    report_pk = evidence.item.report_id
    with refusals(request):
        services.evidence_remove(evidence=evidence, actor=request.user)
        messages.success(request, _("Evidence file removed."))
    return redirect("portal:selfcheck_edit", pk=report_pk)


@require_GET
@enterprise_user_required
def selfcheck_evidence_download(request, pk: int):
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    return attachment_response(evidence.file, filename=download_name(evidence.original_name,
                                                                     evidence.extension),
                               content_type=evidence.content_type)
