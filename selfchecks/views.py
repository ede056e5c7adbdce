"""
Staff pages of self-inspections: the list, the launch form, one
self-inspection's figures and reports (the campaign view), one report with
the review form.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import editor_required, require_editor, staff_required, supervisor_required
from core.audit import audit_history
from core.downloads import attachment_response, download_name
from core.pages import refusals
from core.pagination import paginate
from inspections.selectors import campaign_get, campaign_list

from . import selectors, services
from .forms import ItemCommentForm, LaunchForm, ReviewForm
from .models import ReportStatus

PAGE_SIZE = 50


@require_GET
@staff_required
def selfinspection_list(request):
    campaign_id = request.GET.get("campaign")
    campaign = None
    if campaign_id and campaign_id.isdigit():
        campaign = campaign_get(viewer=request.user, pk=int(campaign_id))
    return render(request, "selfchecks/list.html", {
        "campaign": campaign,
        "self_inspections": selectors.selfinspection_list(
            viewer=request.user, campaign_id=campaign.pk if campaign else None),
        "campaigns": campaign_list(viewer=request.user).exclude(status="closed")
        if request.user.is_supervisor else [],
    })


@supervisor_required
def selfinspection_launch(request, campaign_pk: int):
    campaign = campaign_get(viewer=request.user, pk=campaign_pk)
    form = LaunchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form):
            launch = services.selfinspection_launch(
                campaign=campaign, actor=request.user, title=data["title"],
                instructions=data["instructions"], due_date=data["due_date"],
                remind_days=data["remind_days"], scope=data["scope"], filters=form.filters())
            messages.success(request, _("Self-inspection launched: each enterprise in scope finds "
                                        "its checklist in the portal."))
            return redirect(launch)
    return render(request, "selfchecks/launch.html", {"campaign": campaign, "form": form})


@require_GET
@staff_required
def selfinspection_detail(request, pk: int):
    """The campaign view: submission and declared-compliance rates, then every enterprise's report."""
    launch = selectors.selfinspection_get(viewer=request.user, pk=pk)
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    page = paginate(selectors.selfinspection_reports(self_inspection=launch, status=status,
                                                     overdue=overdue),
                    PAGE_SIZE, request.GET.get("page"))
    return render(request, "selfchecks/detail.html", {
        "launch": launch, "figures": selectors.selfinspection_figures(self_inspection=launch),
        "page_obj": page, "status": status, "overdue": overdue,
        "statuses": ReportStatus.choices,
        "can_remind": request.user.can_edit,
    })


@require_POST
@editor_required
def selfinspection_remind(request, pk: int):
    launch = selectors.selfinspection_get(viewer=request.user, pk=pk)
    with refusals(request):
        count = services.selfinspection_remind_now(self_inspection=launch, actor=request.user)
        messages.success(request, _("%(n)s enterprises reminded (each at most once a day).") % {"n": count})
    return redirect(launch)


def _item_forms(request, report):
    data = request.POST if request.method == "POST" else None
    return [(item, ItemCommentForm(data, prefix=f"i{item.pk}",
                                   initial={"comment": item.reviewer_comment}))
            for item in report.items.all()]


@staff_required
def report_detail(request, pk: int):
    report = selectors.report_get(viewer=request.user, pk=pk)
    can_review = request.user.can_edit and report.status == ReportStatus.SUBMITTED
    form = ReviewForm(request.POST or None)
    item_forms = _item_forms(request, report)
    if request.method == "POST":
        # Every staff member reads the report; reviewing is for those who may change data.
        require_editor(request.user)
        if not can_review:
            messages.error(request, _("Only a submitted report is reviewed."))
            return redirect("selfchecks:report_detail", pk=report.pk)
        if form.is_valid() and all(f.is_valid() for _i, f in item_forms):
            with refusals(request, form):
                services.report_review(
                    report=report, actor=request.user, accept=form.cleaned_data["decision"] == "accept",
                    comment=form.cleaned_data["comment"], resubmit_by=form.cleaned_data["resubmit_by"],
                    item_comments={item.pk: f.cleaned_data["comment"] for item, f in item_forms})
                messages.success(request, _("Review recorded; the enterprise has been told."))
                return redirect("selfchecks:report_detail", pk=report.pk)
    return render(request, "selfchecks/report_detail.html", {
        "report": report, "launch": report.self_inspection, "form": form,
        "item_forms": item_forms, "can_review": can_review,
        "today": timezone.localdate(),
        "history": audit_history(report)[:30],
    })


@require_GET
@staff_required
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get(viewer=request.user, pk=pk)
    return attachment_response(evidence.file, filename=download_name(evidence.original_name,
                                                                     evidence.extension),
                               content_type=evidence.content_type)
