"""Pages of typical-issues bulletins: list, compile, edit, issue, PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import require_supervisor, staff_required, supervisor_required
from core.downloads import attachment_response, pdf_response
from core.edge import parse_id, parse_ids
from core.pages import refusals
from inspections.selectors import campaign_list

from . import selectors, services
from .forms import BulletinForm
from .models import Bulletin

# Read receipts a page: a bulletin goes to every enterprise a campaign
# inspected, ten thousand at national scale.
RECEIPTS_PAGE_SIZE = 50


@require_GET
@staff_required
def bulletin_list(request):
    return render(request, "reports/bulletins/list.html", {
        "bulletins": selectors.bulletin_list(viewer=request.user)[:100],
        "campaigns": campaign_list(viewer=request.user).order_by("-starts_on"),
    })


@require_http_methods(["GET", "POST"])
@supervisor_required
def bulletin_create(request):
    campaign_id = parse_id(request.POST.get("campaign") or request.GET.get("campaign"))
    if campaign_id is None:
        raise Http404
    campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_id)
    candidates = selectors.bulletin_candidate_findings(viewer=request.user, campaign=campaign)
    if request.method == "POST":
        chosen = list(candidates.filter(pk__in=parse_ids(request.POST.getlist("findings"))))
        named = set(parse_ids(request.POST.getlist("named")))
        with refusals(request):
            bulletin = services.bulletin_create(campaign=campaign, actor=request.user,
                                                findings=chosen, named_ids=named)
            messages.success(request, _("Bulletin compiled; check the text before issuing it."))
            return redirect(bulletin)
    return render(request, "reports/bulletins/create.html", {
        "campaign": campaign, "candidates": candidates[:500],
    })


@require_http_methods(["GET", "POST"])
@staff_required
def bulletin_detail(request, pk: int):
    bulletin = selectors.bulletin_get(viewer=request.user, pk=pk)
    editable = bulletin.status == Bulletin.Status.DRAFT and request.user.is_supervisor
    form = BulletinForm(request.POST or None, instance=bulletin) if editable else None
    if request.method == "POST":
        # Every staff member reads the bulletin; editing a draft is the supervisor's.
        require_supervisor(request.user)
        if form is None:
            raise Http404
        if form.is_valid():
            sections = {
                s.pk: {name: request.POST.get(f"section-{s.pk}-{name}", getattr(s, name))
                       for name in ("heading", "legal_basis", "compliance")}
                for s in bulletin.sections.all()
            }
            named = set(parse_ids(request.POST.getlist("named")))
            with refusals(request, form):
                services.bulletin_update(bulletin=bulletin, actor=request.user, data=form.cleaned_data,
                                         sections=sections, named_item_ids=named)
                messages.success(request, _("Bulletin saved."))
                return redirect(bulletin)
    return render(request, "reports/bulletins/detail.html", {
        "bulletin": bulletin, "form": form, "editable": editable,
        "sections": bulletin.sections.prefetch_related("items__finding__enterprise", "items__finding__issue_code"),
        "receipts": Paginator(selectors.bulletin_recipients(bulletin=bulletin), RECEIPTS_PAGE_SIZE)
        .get_page(request.GET.get("page")),
        "opened": selectors.bulletin_receipt_counts(bulletin=bulletin),
    })


@require_POST
@supervisor_required
def bulletin_issue(request, pk: int):
    bulletin = selectors.bulletin_get(viewer=request.user, pk=pk)
    with refusals(request):
        services.bulletin_issue(bulletin=bulletin, actor=request.user)
        messages.success(request, _("Bulletin issued to every enterprise in scope."))
    return redirect(bulletin)


@require_GET
@login_required
def bulletin_pdf(request, pk: int):
    """Staff, or users of a recipient enterprise (their first download is the read receipt)."""
    bulletin = selectors.bulletin_get(viewer=request.user, pk=pk)
    if not bulletin.pdf:
        if not request.user.is_staff_role:
            raise Http404
        context = services.bulletin_document_context(bulletin=bulletin, issue_date=None)
        from ..pdf import render_bulletin

        return pdf_response(render_bulletin(context), f"bulletin-{bulletin.pk}-draft.pdf")
    if request.user.is_enterprise_user:
        services.bulletin_mark_opened(bulletin=bulletin, user=request.user)
    return attachment_response(bulletin.pdf, filename=f"bulletin-{bulletin.pk}.pdf",
                               content_type="application/pdf")
