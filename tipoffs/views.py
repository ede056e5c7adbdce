"""
Tip-off pages. Public (no login): report, then follow the report by its
tracking code. Staff: list, detail with triage steps, statistics.
"""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import editor_required, staff_required, supervisor_required
from core.audit import audit_history, client_ip
from core.pages import refusals
from core.pagination import paginate

from . import selectors, services
from .forms import (
    AssignForm,
    ConvertFindingForm,
    ConvertInspectionForm,
    DecisionForm,
    FilterForm,
    LinkForm,
    MergeForm,
    PublicTipOffForm,
    TrackForm,
)

PAGE_SIZE = 50


def _limited(request, scope: str, limit: int, window: int) -> bool:
    """True when this address has used up `limit` requests of `scope` in `window` seconds."""
    key = f"tipoffs:{scope}:{client_ip(request) or ''}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        count = 1
    return count > limit


# --- public ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request):
    form = PublicTipOffForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _limited(request, "report", getattr(settings, "TIPOFF_RATE_LIMIT", 5), 3600):
            return render(request, "tipoffs/report.html", {"form": PublicTipOffForm(), "limited": True},
                          status=429)
        if form.is_valid():
            with refusals(request, form):
                tipoff = services.tipoff_submit(
                    fields=form.service_fields(), upload=form.cleaned_data.get("file"),
                    upload_info=getattr(form, "upload_info", None))
                request.session["tipoff_submitted"] = tipoff.pk
                return redirect("tipoffs:submitted")
        form.refresh_captcha()
    return render(request, "tipoffs/report.html", {"form": form})


@require_GET
def submitted(request):
    """The tracking code, shown once after the report (a reload shows the status page)."""
    from .models import TipOff

    pk = request.session.get("tipoff_submitted")
    tipoff = TipOff.objects.filter(pk=pk).first() if pk else None
    if tipoff is None:
        return redirect("tipoffs:track")
    return render(request, "tipoffs/submitted.html", {
        "tipoff": tipoff, "status": selectors.public_status(code=tipoff.tracking_code),
        "track_url": request.build_absolute_uri(reverse("tipoffs:track") + f"?code={tipoff.tracking_code}"),
    })


@require_GET
def track(request):
    form = TrackForm(request.GET or None)
    status, searched = None, False
    if request.GET:
        if _limited(request, "track", 30, 600):
            return render(request, "tipoffs/track.html", {"form": TrackForm(), "limited": True}, status=429)
        if form.is_valid():
            searched = True
            status = selectors.public_status(code=form.cleaned_data["code"])
    return render(request, "tipoffs/track.html", {"form": form, "status": status, "searched": searched})


# --- staff ----------------------------------------------------------------------------


@require_GET
@staff_required
def tipoff_list(request):
    form = FilterForm(request.GET or None)
    page = paginate(selectors.tipoff_filtered(viewer=request.user, filters=form.filters()),
                    PAGE_SIZE, request.GET.get("page"))
    return render(request, "tipoffs/list.html", {"form": form, "page_obj": page,
                                                  "today": timezone.localdate()})


@require_GET
@staff_required
def tipoff_detail(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    return render(request, "tipoffs/detail.html", {
        "tipoff": tipoff,
        "show_contact": services.can_see_contact(tipoff=tipoff, user=request.user),
        "can_triage": services.can_triage(request.user),
        "duplicates": tipoff.duplicates.order_by("created_at"),
        "decision_form": DecisionForm(), "assign_form": AssignForm(initial={"assignee": tipoff.assigned_to}),
        "link_form": LinkForm(initial={"enterprise": tipoff.enterprise.uscc if tipoff.enterprise else ""}),
        "merge_form": MergeForm(),
        "convert_inspection_form": ConvertInspectionForm(initial={"reason": tipoff.reason}),
        "convert_finding_form": ConvertFindingForm(
            inspections=selectors.open_inspections_for(tipoff=tipoff, viewer=request.user),
            initial={"description": tipoff.reason}),
        "history": audit_history(tipoff)[:30],
    })


def _after(request, tipoff, call, success: str):
    with refusals(request):
        call()
        messages.success(request, success)
    return redirect(tipoff)


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


@require_POST
@editor_required
def tipoff_decide(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(tipoff)
    return _after(request, tipoff, lambda: services.tipoff_transition(
        tipoff=tipoff, to_status=form.cleaned_data["to"], actor=request.user,
        reason=form.cleaned_data["reason"]), _("The decision is recorded."))


@require_POST
@supervisor_required
def tipoff_assign(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(tipoff)
    return _after(request, tipoff, lambda: services.tipoff_assign(
        tipoff=tipoff, assignee=form.cleaned_data["assignee"], actor=request.user),
        _("The tip-off is assigned."))


@require_POST
@editor_required
def tipoff_link(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(tipoff)
    return _after(request, tipoff, lambda: services.tipoff_link_enterprise(
        tipoff=tipoff, enterprise=form.cleaned_data["enterprise"], actor=request.user),
        _("The tip-off is linked to the enterprise."))


@require_POST
@editor_required
def tipoff_merge(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(tipoff)
    return _after(request, tipoff, lambda: services.tipoff_merge(
        tipoff=tipoff, into=form.cleaned_data["into"], actor=request.user,
        reason=form.cleaned_data["reason"]), _("The tip-off is merged."))


@require_POST
@supervisor_required
def tipoff_convert_inspection(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    form = ConvertInspectionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(tipoff)
    data = form.cleaned_data
    return _after(request, tipoff, lambda: services.tipoff_convert_inspection(
        tipoff=tipoff, actor=request.user, campaign=data["campaign"], officers=list(data["officers"]),
        planned_date=data["planned_date"], method=data["method"], reason=data["reason"]),
        _("A targeted inspection is opened on this tip-off."))


@require_POST
@editor_required
def tipoff_convert_finding(request, pk: int):
    tipoff = selectors.tipoff_get(viewer=request.user, pk=pk)
    form = ConvertFindingForm(request.POST, inspections=selectors.open_inspections_for(
        tipoff=tipoff, viewer=request.user))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(tipoff)
    data = form.cleaned_data
    return _after(request, tipoff, lambda: services.tipoff_convert_finding(
        tipoff=tipoff, actor=request.user, inspection=data["inspection"],
        issue_code=data["issue_code"], description=data["description"]),
        _("The finding is recorded from this tip-off."))


@require_GET
@staff_required
def tipoff_stats(request):
    return render(request, "tipoffs/stats.html", selectors.statistics(viewer=request.user))
