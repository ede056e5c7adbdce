"""
Pages of notices, batch issuance and the public verification page. Thin: selector, form, one service call.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import (
    editor_required,
    enterprise_user_required,
    require_supervisor,
    staff_required,
    supervisor_required,
)
from core.audit import audit_history, client_ip
from core.downloads import attachment_response, pdf_response
from core.edge import parse_id, parse_ids
from core.pages import refusals
from inspections.selectors import campaign_list

from . import selectors, services
from .filters import NoticeFilter
from .forms import NoticeForm, ReasonForm, ServiceForm, VerifyForm
from .models import NoticeStatus

PAGE_SIZE = 50
APPROVABLE = (NoticeStatus.DRAFT, NoticeStatus.SUBMITTED)
RETURNABLE = (NoticeStatus.SUBMITTED, NoticeStatus.APPROVED)
VERIFY_LIMIT = 30  # look-ups per address per window
VERIFY_WINDOW = 600  # seconds


def _int_param(value) -> int | None:
    """A numeric query parameter, or None for a missing, malformed or out-of-range one."""
    return parse_id(value)


def _attachment(file_field, filename: str) -> FileResponse:
    return attachment_response(file_field, filename=filename, content_type="application/pdf")


# --- notices -------------------------------------------------------------------


@require_GET
@staff_required
def notice_list(request):
    filters = NoticeFilter(request.GET, viewer=request.user)
    # A bad value shows its error beside the field, over an empty list.
    notices = (selectors.notice_list(viewer=request.user, filters=request.GET)
               if filters.is_valid() else [])
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/notices/list.html", {"form": filters.form, "page_obj": page})


@require_http_methods(["GET", "POST"])
@editor_required
def notice_create(request):
    campaign = None
    campaign_id = _int_param(request.POST.get("campaign") or request.GET.get("campaign"))
    if campaign_id:
        campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_id)
    enterprise_id = _int_param(request.POST.get("enterprise") or request.GET.get("enterprise"))
    inspection_id = _int_param(request.GET.get("inspection"))
    candidates = None
    if campaign and enterprise_id:
        candidates = selectors.notice_candidate_findings(
            viewer=request.user, campaign=campaign, enterprise_id=enterprise_id)
    if request.method == "POST" and candidates is not None:
        chosen = list(candidates.filter(pk__in=parse_ids(request.POST.getlist("findings"))))
        with refusals(request):
            notice = services.notice_create(
                enterprise=chosen[0].enterprise if chosen else None, campaign=campaign,
                findings=chosen, actor=request.user) if chosen else None
            if notice is None:
                messages.error(request, _("Choose at least one finding."))
            else:
                messages.success(request, _("Draft notice created; check and complete the text."))
                return redirect("reports:notice_edit", pk=notice.pk)
    return render(request, "reports/notices/create.html", {
        "campaigns": campaign_list(viewer=request.user).order_by("-starts_on"),
        "campaign": campaign,
        "enterprises": selectors.notice_enterprises_with_candidates(viewer=request.user, campaign=campaign)
        if campaign else [],
        "enterprise_id": enterprise_id,
        "candidates": candidates,
        "preselect": inspection_id,
    })


@require_GET
@staff_required
def notice_detail(request, pk: int):
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    user = request.user
    return render(request, "reports/notices/detail.html", {
        "notice": notice,
        "findings": selectors.notice_findings(notice=notice),
        "history": audit_history(notice)[:50],
        "can_edit": user.can_edit and notice.status == NoticeStatus.DRAFT,
        "can_submit": user.can_edit and notice.status == NoticeStatus.DRAFT,
        "can_approve": user.is_supervisor and notice.status in APPROVABLE
        and notice.created_by_id != user.pk,
        "author_blocked": user.is_supervisor and notice.status in APPROVABLE
        and notice.created_by_id == user.pk,
        "can_return": user.is_supervisor and notice.status in RETURNABLE,
        "can_issue": user.is_supervisor and notice.status == NoticeStatus.APPROVED,
        "can_serve": user.can_edit and notice.status == NoticeStatus.ISSUED,
        "service_form": ServiceForm(initial={"served_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}),
        "reason_form": ReasonForm(),
        "record_view": None if notice.is_issued else selectors.notice_record_view(notice=notice),
    })


@require_http_methods(["GET", "POST"])
@editor_required
def notice_edit(request, pk: int):
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    if notice.status != NoticeStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect(notice)
    form = NoticeForm(request.POST or None, instance=notice)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form):
            services.notice_update(notice=notice, actor=request.user, data=form.cleaned_data)
            if not request.POST.get("submit_for_approval"):
                messages.success(request, _("Notice saved."))
                return redirect(notice)
            # Drafting ends with the hand-off: saved, then with the supervisors.
            return _notice_action(request, pk, services.notice_submit,
                                  _("Saved and submitted for approval; the supervisors have been told."))
    return render(request, "reports/notices/edit.html", {
        "notice": notice, "form": form, **selectors.notice_record_view(notice=notice)})


def _notice_action(request, pk: int, action, success: str, **kwargs):
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    with refusals(request):
        action(notice=notice, actor=request.user, **kwargs)
        messages.success(request, success)
    return redirect("reports:notice_detail", pk=pk)


@require_POST
@editor_required
def notice_submit(request, pk: int):
    return _notice_action(request, pk, services.notice_submit,
                          _("Submitted for approval; the supervisors have been told."))


@require_POST
@supervisor_required
def notice_approve(request, pk: int):
    return _notice_action(request, pk, services.notice_approve, _("Notice approved."))


@require_POST
@supervisor_required
def notice_return(request, pk: int):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("reports:notice_detail", pk=pk)
    return _notice_action(request, pk, services.notice_return_to_draft, _("Notice returned to draft."),
                          reason=form.cleaned_data["reason"])


@require_POST
@supervisor_required
def notice_issue(request, pk: int):
    return _notice_action(request, pk, services.notice_issue,
                          _("Notice issued; the enterprise has been notified."))


@require_POST
@editor_required
def notice_serve(request, pk: int):
    form = ServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the service method and date."))
        return redirect("reports:notice_detail", pk=pk)
    data = dict(form.cleaned_data)
    return _notice_action(request, pk, services.notice_record_service, _("Service recorded."),
                          method=data.pop("method"), served_at=data.pop("served_at"),
                          servers=list(data.pop("servers") or []), **data)


@require_GET
@staff_required
def notice_preview(request, pk: int):
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    with refusals(request):
        return pdf_response(services.notice_preview_pdf(notice=notice), f"notice-{notice.pk}-draft.pdf")
    return redirect(notice)


@require_GET
@login_required
def notice_pdf(request, pk: int):
    """The stored PDF: staff, or the party's own users once issued; 404 otherwise."""
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    return _attachment(notice.pdf, f"notice-{notice.year}-{notice.serial}.pdf")


@require_GET
@login_required
def notice_proof(request, pk: int):
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    return _attachment(notice.proof_pdf, f"proof-of-service-{notice.year}-{notice.serial}.pdf")


@require_POST
@enterprise_user_required
def notice_acknowledge(request, pk: int):
    notice = selectors.notice_get(viewer=request.user, pk=pk)
    with refusals(request):
        services.notice_acknowledge(notice=notice, actor=request.user, ip_address=client_ip(request),
                                    consent=request.POST.get("consent") == "1")
        messages.success(request, _("Receipt acknowledged. The date of service is recorded."))
    return redirect("portal:home")


# --- batch issuance -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def notice_batch(request, campaign_pk: int):
    campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_pk)
    if request.method == "POST":
        # Every staff member follows the batch; starting it is the supervisor's.
        require_supervisor(request.user)
        with refusals(request):
            batch = services.batch_issue_start(campaign=campaign, actor=request.user)
            return redirect(f"{request.path}?batch={batch.pk}")
        return redirect(request.path)
    batches = selectors.batch_list(viewer=request.user, campaign=campaign)[:10]
    current = None
    batch_id = _int_param(request.GET.get("batch"))
    if batch_id:
        current = selectors.batch_get(viewer=request.user, pk=batch_id)
    elif batches:
        current = batches[0]
    return render(request, "reports/notices/batch.html", {
        "campaign": campaign, "batches": batches, "current": current,
        "counts": selectors.campaign_notice_counts(viewer=request.user, campaign=campaign),
    })


@require_GET
@staff_required
def notice_batch_status(request, pk: int):
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    return JsonResponse({
        "status": batch.status, "status_label": batch.get_status_display(), "total": batch.total,
        "issued": batch.issued, "skipped": batch.skipped, "failed": batch.failed,
        "percent": batch.percent, "error": batch.error,
    })


@require_POST
@supervisor_required
def notice_batch_resume(request, pk: int):
    batch = selectors.batch_get(viewer=request.user, pk=pk)
    with refusals(request):
        services.batch_issue_resume(batch=batch, actor=request.user)
    return redirect(f"{_batch_url(batch)}?batch={batch.pk}")


def _batch_url(batch) -> str:
    from django.urls import reverse

    return reverse("reports:notice_batch", args=[batch.campaign_id])


# --- public verification ----------------------------------------------------------


def _rate_limited(request) -> bool:
    key = f"reports:verify:{client_ip(request) or ''}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, VERIFY_WINDOW)
        count = 1
    return count > VERIFY_LIMIT


def _verify_file(data: bytes, code: str | None) -> dict:
    """
    An uploaded PDF is authentic when its bytes are those of an issued
    document (a notice, its proof of service, a case document: the SHA-256
    on record) AND its signature is intact, covers the whole file and was
    made with the certificate on record. A file altered, or signed again by
    anyone (even over an intact agency signature), is not. With a notice's
    code, the file must be that notice or its proof.
    """
    from reports.signing import check_signature

    found = selectors.issued_file_by_sha256(sha256=hashlib.sha256(data).hexdigest())
    expected = selectors.notice_by_verification_code(code=code) if code else None
    if found is not None and (expected is None or expected.pk == found.notice_id):
        signature = check_signature(data, found.agency, certificate=found.signer_sha256)
        if not found.signer_sha256 and not signature.signed:
            # Issued before documents were signed (no certificate on record): the
            # bytes on record are the proof; an unsigned copy of them is authentic.
            return {"kind": "file_match_unsigned", "document": found}
        kind = "file_match" if signature.valid else "file_signature_invalid"
        return {"kind": kind, "document": found, "signature": signature}
    if expected is not None:
        return {"kind": "file_altered", "document": selectors.notice_file(expected),
                "signature": check_signature(data, expected.agency, certificate=expected.signer_sha256)}
    return {"kind": "file_unknown"}


@require_http_methods(["GET", "POST"])
def verify(request):
    """
    Public (no login): is this an authentic issued notice (or proof of
    service, or case document)? Shows what it is, number, party and date of
    issue only.
    """
    data = request.POST if request.method == "POST" else (request.GET if request.GET.get("code") else None)
    form = VerifyForm(data, request.FILES or None)
    result = None
    status = 200
    if data is not None:
        if _rate_limited(request):
            return render(request, "reports/notices/verify.html", {"form": VerifyForm(), "limited": True}, status=429)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            code = form.cleaned_data.get("code")
            if upload is not None:
                result = _verify_file(upload.read(), code)
            else:
                notice = selectors.notice_by_verification_code(code=code)
                result = ({"kind": "code_match", "document": selectors.notice_file(notice)} if notice
                          else {"kind": "code_unknown"})
    return render(request, "reports/notices/verify.html", {"form": form, "result": result}, status=status)
