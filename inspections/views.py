"""
Staff pages of inspections: campaigns and their board, the plan wizard,
inspections with items and checks, findings, the calendar. Thin views:
selector (scoped to the viewer), form, one service call.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import editor_required, require_editor, staff_required, supervisor_required
from core.audit import audit_history
from core.downloads import attachment_response, download_name
from core.pages import refusals
from core.pagination import paginate
from enterprises.models import Modality

from . import labels, selectors, workdays
from .filters import FindingFilter, InspectionFilter
from .forms import (
    CampaignForm,
    ConfirmForm,
    DeadlineForm,
    FindingForm,
    FrameForm,
    ItemForm,
    NoteForm,
    RedrawForm,
    StrataForm,
    TargetedForm,
)
from .lifecycle import FINDING_TRANSITIONS, INSPECTION_TRANSITIONS
from .models import CheckResult, FindingStatus, Inspection, ItemCheck, PeriodUnit
from .services import campaigns as campaign_services
from .services import explicit_results as explicit_services
from .services import findings as finding_services
from .services import inspections as inspection_services
from .services import label_results as label_services
from .services import plans, targeted

PAGE_SIZE = 50


# --- campaigns -------------------------------------------------------------------


@require_GET
@staff_required
def campaign_list(request):
    return render(request, "inspections/campaign_list.html",
                  selectors.campaign_list_with_progress(viewer=request.user))


@require_GET
@staff_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(viewer=request.user, pk=pk)
    return render(request, "inspections/campaign_detail.html", {
        "campaign": campaign,
        "board": selectors.campaign_board(campaign=campaign),
        "plans": selectors.plan_list(viewer=request.user, campaign=campaign),
        "by_origin": selectors.campaign_origin_counts(campaign=campaign),
        "focus_codes": campaign.focus_codes.all(),
        "team": campaign.team.order_by("username"),
    })


def _campaign_edit(request, campaign):
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            if campaign is None:
                campaign = campaign_services.campaign_create(
                    actor=request.user, fields=form.service_fields(),
                    focus_codes=list(form.cleaned_data["focus_codes"]),
                    team=list(form.cleaned_data["team"]))
            else:
                campaign_services.campaign_update(
                    campaign=campaign, actor=request.user, fields=form.service_fields(),
                    focus_codes=list(form.cleaned_data["focus_codes"]),
                    team=list(form.cleaned_data["team"]))
            messages.success(request, _("The campaign has been saved."))
            return redirect(campaign)
    return render(request, "inspections/campaign_form.html", {"form": form, "campaign": campaign})


@supervisor_required
def campaign_create(request):
    return _campaign_edit(request, None)


@supervisor_required
def campaign_edit(request, pk: int):
    return _campaign_edit(request, selectors.campaign_get(viewer=request.user, pk=pk))


# --- plan wizard -------------------------------------------------------------------


def _plan_form_page(request, campaign, plan=None):
    """Steps 1 (frame, by GET) and 2 (strata, POST) of the wizard, for a new or a draft plan."""
    if request.GET or plan is None:
        frame_form = FrameForm(request.GET or None)
        filters = frame_form.filters()
    else:
        frame_form = FrameForm(initial=plan.frame_filters)
        filters = plan.frame_filters
    tiers = selectors.frame_tiers(filters=filters)
    initial = {} if plan else {
        "name": f"{campaign.name} · {_('selection plan')}",
        "first_date": max(campaign.starts_on, timezone.localdate()),
        "last_date": campaign.ends_on,
    }
    if plan is not None:
        initial["officer_pool"] = list(plan.officer_pool.all())
    form = StrataForm(request.POST or None, instance=plan, initial=initial, frame_filters=filters,
                      team=campaign.team.filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        fields = {**form.service_fields(), "frame_filters": filters}
        pool = list(form.cleaned_data["officer_pool"])
        with refusals(request, form):
            if plan is None:
                plan = plans.plan_create(campaign=campaign, actor=request.user, fields=fields,
                                         officer_pool=pool)
            else:
                plan = plans.plan_update(plan=plan, actor=request.user, fields=fields,
                                         officer_pool=pool)
            messages.success(request, _("The plan is recorded. Draw it when ready."))
            return redirect(plan)
    return render(request, "inspections/plan_form.html", {
        "campaign": campaign, "frame_form": frame_form, "form": form, "filters": filters,
        "frame_labels": selectors.frame_filter_labels(filters),
        "frame_count": sum(tiers.values()), "tiers": tiers, "plan": plan,
        "step": "strata" if (request.GET or plan is not None) else "frame",
    })


@editor_required
def plan_create(request, campaign_pk: int):
    campaign = selectors.campaign_get(viewer=request.user, pk=campaign_pk)
    return _plan_form_page(request, campaign)


@editor_required
def plan_edit(request, pk: int):
    plan = selectors.plan_get(viewer=request.user, pk=pk)
    if plan.status == plan.Status.APPROVED:
        messages.error(request, _("An approved plan cannot be changed."))
        return redirect(plan)
    return _plan_form_page(request, plan.campaign, plan)


@require_POST
@editor_required
def plan_delete(request, pk: int):
    plan = selectors.plan_get(viewer=request.user, pk=pk)
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the confirmation to delete the plan."))
        return redirect(plan)
    campaign = plan.campaign
    with refusals(request):
        plans.plan_delete(plan=plan, actor=request.user)
        messages.success(request, _("The draft plan has been deleted."))
        return redirect(campaign)
    return redirect(plan)


@require_GET
@staff_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get(viewer=request.user, pk=pk)
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "entries": selectors.plan_entries(plan=plan),
        "frame_labels": selectors.frame_filter_labels(plan.frame_filters),
        "frame_now": selectors.frame_size(filters=plan.frame_filters),
        "draws": selectors.plan_draws(plan=plan),
        "pool": plan.officer_pool.order_by("username"), "history": audit_history(plan)[:30],
        "approval_refusal": (plans.approval_refusal(plan=plan, user=request.user)
                             if plan.status == plan.Status.DRAWN else None),
    })


@require_POST
@editor_required
def plan_draw(request, pk: int):
    plan = selectors.plan_get(viewer=request.user, pk=pk)
    form = RedrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(plan)
    with refusals(request):
        plan = plans.plan_draw(plan=plan, actor=request.user, reason=reason)
        messages.success(request, _("The plan has been drawn with the system's seed %(seed)s.")
                         % {"seed": plan.seed})
    return redirect(plan)


@require_POST
@staff_required
def plan_verify(request, pk: int):
    plan = selectors.plan_get(viewer=request.user, pk=pk)
    result = plans.plan_verify(plan=plan, actor=request.user)
    text = selectors.verification_text(result)
    (messages.success if result.ok else messages.error)(request, text)
    return redirect(plan)


@require_POST
@supervisor_required
def plan_approve(request, pk: int):
    plan = selectors.plan_get(viewer=request.user, pk=pk)
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Tick the confirmation to approve the plan."))
        return redirect(plan)
    with refusals(request):
        created = plans.plan_approve(plan=plan, actor=request.user)
        messages.success(request, _("Plan approved: %(n)s inspections created.") % {"n": len(created)})
    return redirect(plan)


# --- targeted inspections -------------------------------------------------------------


@supervisor_required
def targeted_create(request, campaign_pk: int):
    campaign = selectors.campaign_get(viewer=request.user, pk=campaign_pk)
    form = TargetedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form):
            inspection = targeted.targeted_open(
                campaign=campaign, enterprise=data["enterprise"], basis=data["basis"],
                reason=data["reason"], officers=list(data["officers"]),
                planned_date=data["planned_date"], method=data["method"], actor=request.user)
            messages.success(request, _("The targeted inspection is opened."))
            return redirect(inspection)
    return render(request, "inspections/targeted_form.html", {"campaign": campaign, "form": form})


# --- inspections -------------------------------------------------------------------


@require_GET
@staff_required
def inspection_list(request):
    data = InspectionFilter.page_data(request.GET, viewer=request.user)
    filters = InspectionFilter(data, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    inspections = (selectors.inspection_filtered(viewer=request.user, filters=data)
                   if filters.is_valid() else [])
    page = paginate(inspections, PAGE_SIZE, request.GET.get("page"))
    return render(request, "inspections/inspection_list.html", {
        "form": filters.form, "page_obj": page,
        "sort": filters.sort_key() if filters.is_valid() else ""})


def _inspection_page(request, inspection, *, item_form=None, finding_form=None):
    can_edit = inspection_services.inspection_can_edit(inspection=inspection, user=request.user)
    label_rows = selectors.inspection_label_rows(inspection=inspection,
                                                 current_version=labels.CHECKER_VERSION)
    return render(request, "inspections/inspection_detail.html", {
        "label_rows": label_rows,
        "label_summary": selectors.inspection_label_summary(rows=label_rows),
        "checker_version": labels.CHECKER_VERSION,
        "inspection": inspection,
        "services": selectors.inspection_sampled_services(inspection=inspection),
        "items": selectors.inspection_items(inspection=inspection),
        "findings": inspection.findings.select_related("issue_code").order_by("-created_at"),
        "can_edit": can_edit,
        "writable": can_edit and inspection.accepts_evidence,
        "next_statuses": [Inspection.Status(s) for s in INSPECTION_TRANSITIONS[inspection.status]],
        "item_form": item_form or ItemForm(inspection=inspection),
        "finding_form": finding_form or FindingForm(),
        "history": audit_history(inspection)[:30],
    })


@require_GET
@staff_required
def inspection_detail(request, pk: int):
    return _inspection_page(request, selectors.inspection_get(viewer=request.user, pk=pk))


@require_POST
@editor_required
def inspection_transition(request, pk: int):
    inspection = selectors.inspection_get(viewer=request.user, pk=pk)
    form = NoteForm(request.POST)
    form.is_valid()
    with refusals(request):
        try:
            inspection_services.inspection_transition(
                inspection=inspection, to_status=request.POST.get("to", ""), actor=request.user,
                note=form.cleaned_data.get("note", ""))
        except ValueError:
            raise Http404 from None
    return redirect(inspection)


@require_POST
@editor_required
def item_create(request, pk: int):
    inspection = selectors.inspection_get(viewer=request.user, pk=pk)
    form = ItemForm(request.POST, request.FILES, inspection=inspection)
    if len(request.FILES) > 2:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        # The inspection page holds several forms: the refusal is flashed too.
        with refusals(request, form, flash=True):
            item = inspection_services.item_create(
                inspection=inspection, actor=request.user, service=data["service"],
                modality=data["modality"], content_ref=data["content_ref"], channel=data["channel"],
                captured_at=data["captured_at"], text_sample=data["text_sample"], note=data["note"],
                file=data["file"], screenshot=data["screenshot"])
            messages.success(request, _("The item has been recorded."))
            codes = [inspection_services.EXPLICIT_TEXT_CODE,
                     inspection_services.NO_EXPLICIT_LABEL_CODE]
            # Only a text sample's own check speaks of "the text sample" (a
            # picture's EXP-01 comes from its explicit-label check, on its page).
            text_checked = bool(item.text_sample.strip())
            explicit = item.checks.filter(issue_code_id__in=codes, source=ItemCheck.Source.AUTOMATIC,
                                          result=CheckResult.FAIL).first() if text_checked else None
            if explicit is None and text_checked:
                explicit = item.checks.filter(issue_code_id=inspection_services.EXPLICIT_TEXT_CODE,
                                              source=ItemCheck.Source.AUTOMATIC).first()
            if explicit is not None and explicit.issue_code_id == inspection_services.NO_EXPLICIT_LABEL_CODE:
                messages.warning(request, _("EXP-01: the text sample has no explicit label."))
            elif explicit is not None and explicit.result == CheckResult.FAIL:
                messages.warning(request, _("EXP-03: the text sample has no conforming explicit label."))
            elif explicit is not None:
                messages.success(request, _("EXP-03: the text sample carries an explicit label."))
            return redirect("inspections:item_detail", item.pk)
    return _inspection_page(request, inspection, item_form=form)


@require_POST
@editor_required
def finding_create(request, pk: int):
    inspection = selectors.inspection_get(viewer=request.user, pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals(request, form, flash=True):
            inspection_services.require_inspection_editor(inspection, request.user)
            finding = finding_services.finding_create(
                inspection=inspection, issue_code=data["issue_code"], actor=request.user,
                description=data["description"], severity=data["severity"] or None,
                period=data["period"], change_reason=data["change_reason"],
                legal_basis=data["legal_basis"] or None)
            messages.success(request, _("The finding has been recorded."))
            return redirect(finding)
    return _inspection_page(request, inspection, finding_form=form)


# --- items and checks ----------------------------------------------------------------


@staff_required
def item_detail(request, pk: int):
    item = selectors.item_get(viewer=request.user, pk=pk)
    inspection = item.inspection
    can_edit = inspection_services.inspection_can_edit(inspection=inspection, user=request.user)
    if request.method == "POST":
        require_editor(request.user)
        rows = selectors.item_check_rows(item=item)
        results = {}
        for row in rows:
            code = row["code"].pk
            answer = request.POST.get(f"result_{code}", "")
            if answer in CheckResult.values:
                results[code] = (answer, request.POST.get(f"note_{code}", "").strip())
        with refusals(request):
            item = inspection_services.item_checks_save(
                item=item, actor=request.user, results=results,
                remaining=request.POST.get("remaining", ""))
            messages.success(request, _("The checks have been saved."))
            if (request.POST.get("remaining") and item.checks_completed_at
                    and not item.checks.filter(result=CheckResult.FAIL).exists()):
                # Done and clean: back to the inspection, ready for the next file.
                return redirect(f"{inspection.get_absolute_url()}#add-item")
        return redirect("inspections:item_detail", item.pk)
    explicit = None
    if item.modality == Modality.TEXT and item.text_sample.strip():
        outcome = labels.check_explicit_text(item.text_sample)
        explicit = {"passed": outcome.passed,
                    "message": inspection_services.explicit_text_message(outcome)}
    rows = selectors.item_check_rows(item=item)
    awaiting = inspection_services.awaiting_automatic_checks(item)
    open_codes = [row["code"].pk for row in rows if row["check"] is None]
    return render(request, "inspections/item_detail.html", {
        "rows": rows, "awaiting_codes": awaiting,
        "awaiting": sum(code in awaiting for code in open_codes),
        "unanswered": sum(code not in awaiting for code in open_codes),
        "label": selectors.label_view(item=item, current_version=labels.CHECKER_VERSION),
        "explicit_check": selectors.explicit_view(item=item),
        "explicit_pending": bool(item.file) and item.modality in explicit_services.CHECKED_MODALITIES,
        "checker_version": labels.CHECKER_VERSION, "explicit": explicit,
        "can_recheck": can_edit and bool(item.file) and inspection.accepts_evidence,
        "item": item, "inspection": inspection,
        "can_edit": can_edit and inspection.accepts_evidence,
        "results": CheckResult.choices, "history": audit_history(item)[:20],
    })


@require_GET
@staff_required
def item_file(request, pk: int, kind: str):
    """Serve an item's file or screenshot as a download, never inline."""
    item = selectors.item_get(viewer=request.user, pk=pk)
    field = {"file": item.file, "screenshot": item.screenshot}.get(kind)
    if not field:
        raise Http404
    detected = {"file": item.file_type, "screenshot": item.screenshot_type}[kind]
    if kind == "file" and detected == "ooxml":
        # The checker names the document kind (docx, xlsx, pptx) once it has read it.
        detected = (item.label_result or {}).get("format") or detected
    original = item.file_name if kind == "file" else ""
    name = download_name(original, detected, fallback=f"item-{item.pk}-{kind}")
    return attachment_response(field, filename=name)


@require_GET
@staff_required
def item_explicit_evidence(request, pk: int, evidence_id: int):
    """
    A file the explicit-label checker made (a crop, a frame, a waveform, an
    excerpt), scoped like its item. PNG and WAV made by the checker are
    shown inline on the item page; ?download=1 gives an attachment.
    """
    item = selectors.item_get(viewer=request.user, pk=pk)
    evidence = get_object_or_404(item.explicit_evidence, pk=evidence_id)
    if request.GET.get("download") or evidence.media_type not in ("image/png", "audio/wav"):
        return attachment_response(evidence.file, filename=f"item-{item.pk}-{evidence.name}",
                                   content_type=evidence.media_type)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=evidence.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@editor_required
def check_finding_create(request, pk: int):
    """A finding from a failed check: code, legal basis and evidence prefilled."""
    check = get_object_or_404(
        ItemCheck.objects.select_related("issue_code", "item__inspection__enterprise")
        .filter(item__inspection__in=selectors.inspection_list(viewer=request.user)), pk=pk)
    item = check.item
    if check.result != CheckResult.FAIL:
        raise Http404
    existing = item.findings.filter(issue_code_id=check.issue_code_id).first()
    if existing is not None:
        messages.info(request, _("A finding for this check already exists."))
        return redirect(existing)
    description = (check.note or check.issue_code.title_zh
                   if check.source == ItemCheck.Source.MANUAL
                   else finding_services.finding_description_for_check(check=check))
    initial = {"issue_code": check.issue_code, "legal_basis": check.issue_code.legal_basis,
               "description": description}
    form = FindingForm(request.POST or None, initial=initial)
    form.fields["issue_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, form):
            finding = finding_services.finding_create_from_check(
                check=check, actor=request.user, description=data["description"],
                severity=data["severity"] or None, period=data["period"],
                change_reason=data["change_reason"], legal_basis=data["legal_basis"] or None)
            messages.success(request, _("The finding has been recorded."))
            return redirect(finding)
    return render(request, "inspections/finding_form.html", {
        "form": form, "check": check, "item": item, "inspection": item.inspection})


@require_POST
@editor_required
def inspection_labels_recheck(request, pk: int):
    """Re-queue the label check of stale files (all files when forced)."""
    inspection = selectors.inspection_get(viewer=request.user, pk=pk)
    force = request.POST.get("force") == "1"
    with refusals(request):
        queued = label_services.inspection_labels_recheck(inspection=inspection, actor=request.user,
                                                          force=force)
        if queued:
            messages.success(request, _("Label check queued for %(n)s files.") % {"n": len(queued)})
        else:
            messages.info(request, _("Every file was already checked by checker %(v)s.")
                          % {"v": labels.CHECKER_VERSION})
    return redirect(f"{inspection.get_absolute_url()}#label-checks")


@require_POST
@editor_required
def item_labels_recheck(request, pk: int):
    """Re-queue one item's label check (forced: the inspector asked for it)."""
    item = selectors.item_get(viewer=request.user, pk=pk)
    with refusals(request):
        queued = label_services.item_labels_recheck(item=item, actor=request.user, force=True)
        if queued:
            messages.success(request, _("The label check has been queued again."))
        else:
            messages.info(request, _("The item has no file to check."))
    return redirect("inspections:item_detail", item.pk)


# --- findings ----------------------------------------------------------------------


@require_GET
@staff_required
def finding_list(request):
    filters = FindingFilter(request.GET, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    findings = (selectors.finding_filtered(viewer=request.user, filters=request.GET)
                if filters.is_valid() else [])
    page = paginate(findings, PAGE_SIZE, request.GET.get("page"))
    return render(request, "inspections/finding_list.html", {
        "form": filters.form, "page_obj": page, "today": timezone.localdate()})


@require_GET
@staff_required
def finding_detail(request, pk: int):
    finding = selectors.finding_detail(viewer=request.user, pk=pk)
    left = None
    if finding.is_open and finding.period_unit == PeriodUnit.WORKING_DAYS:
        left = workdays.working_days_between(timezone.localdate(), finding.deadline)
    return render(request, "inspections/finding_detail.html", {
        "finding": finding, "history": audit_history(finding),
        "working_days_left": left,
        "deadline_form": DeadlineForm(), "note_form": NoteForm(),
        "can_withdraw": request.user.is_supervisor
        and FindingStatus.WITHDRAWN in FINDING_TRANSITIONS[finding.status],
        "can_escalate": request.user.is_supervisor
        and FindingStatus.ESCALATED in FINDING_TRANSITIONS[finding.status],
    })


@require_POST
@supervisor_required
def finding_deadline(request, pk: int):
    finding = selectors.finding_detail(viewer=request.user, pk=pk)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(finding)
    data = form.cleaned_data
    with refusals(request):
        if data["deadline"]:
            finding_services.finding_set_deadline(finding=finding, actor=request.user,
                                                  deadline=data["deadline"], reason=data["reason"])
        else:
            finding_services.finding_set_deadline(finding=finding, actor=request.user,
                                                  period=data["period"], reason=data["reason"])
        messages.success(request, _("The deadline has been changed."))
    return redirect(finding)


@require_POST
@supervisor_required
def finding_transition(request, pk: int):
    finding = selectors.finding_detail(viewer=request.user, pk=pk)
    to_status = request.POST.get("to", "")
    if to_status not in (FindingStatus.WITHDRAWN, FindingStatus.ESCALATED):
        raise Http404
    form = NoteForm(request.POST)
    form.is_valid()
    with refusals(request):
        finding_services.finding_transition(finding=finding, to_status=to_status, actor=request.user,
                                            note=form.cleaned_data.get("note", ""))
    return redirect(finding)


# --- calendar ----------------------------------------------------------------------


@require_GET
@staff_required
def calendar_view(request):
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in request.GET.get("month", "").split("-"))
        datetime.date(year, month, 1)
        if not 1900 < year < 9999:
            raise ValueError("month out of range")
    except ValueError:
        year, month = today.year, today.month
    first = datetime.date(year, month, 1)
    prev_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "inspections/calendar.html", {
        "month": first, "prev": prev_month, "next": next_month,
        **selectors.calendar_month(viewer=request.user, year=year, month=month),
        "url": reverse("inspections:calendar"),
    })
