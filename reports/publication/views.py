"""
Published inspection results (双随机、一公开): the supervisor's page that
publishes a campaign's results, and the public pages (no login) that read
the published snapshot only.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import staff_required, supervisor_required
from core.pages import refusals
from core.pagination import paginate
from inspections.selectors import campaign_list

from . import selectors, services
from .models import PublishedOutcome

PUBLIC_PAGE_SIZE = 50


@require_GET
@staff_required
def campaign_publication(request, campaign_pk: int):
    """What publishing would show for a campaign, and what is public now."""
    campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_pk)
    publication = selectors.publication_for(campaign=campaign)
    pending, held_back = selectors.campaign_results_overview(campaign=campaign)
    return render(request, "reports/publication/campaign.html", {
        "campaign": campaign,
        "publication": publication,
        "pending": _outcome_rows(pending),
        "held_back": held_back,
        "published": _outcome_rows(selectors.publication_outcome_counts(publication=publication))
        if publication else None,
    })


@require_POST
@supervisor_required
def campaign_publication_publish(request, campaign_pk: int):
    campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_pk)
    with refusals(request):
        publication = services.campaign_results_publish(campaign=campaign, actor=request.user)
        messages.success(request, _("Published: %(n)s inspected enterprises are on the public page.")
                         % {"n": publication.inspections})
    return redirect("reports:campaign_publication", campaign_pk=campaign.pk)


@require_POST
@supervisor_required
def campaign_publication_withdraw(request, campaign_pk: int):
    campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_pk)
    with refusals(request):
        services.campaign_results_withdraw(campaign=campaign, actor=request.user)
        messages.success(request, _("Withdrawn: the campaign's results are no longer public."))
    return redirect("reports:campaign_publication", campaign_pk=campaign.pk)


@require_GET
def public_results(request):
    """Public (no login): the campaigns whose results are published."""
    return render(request, "reports/publication/public_list.html", {"publications": selectors.publication_list()})


@require_GET
def public_result_detail(request, campaign_pk: int):
    """Public (no login): one campaign's published results, searchable."""
    publication = selectors.publication_get(campaign_pk=campaign_pk)
    q = request.GET.get("q", "")[:100]
    outcome = request.GET.get("outcome", "")
    rows = selectors.published_results(publication=publication, q=q, outcome=outcome)
    return render(request, "reports/publication/public_detail.html", {
        "publication": publication,
        "counts": _outcome_rows(selectors.publication_outcome_counts(publication=publication)),
        "page_obj": paginate(rows, PUBLIC_PAGE_SIZE, request.GET.get("page")),
        "q": q, "outcome": outcome, "outcomes": PublishedOutcome.choices,
    })


def _outcome_rows(counts: dict[str, int]) -> list[tuple[str, str | Promise, int]]:
    """(value, label, count) for every outcome, in the order of PublishedOutcome."""
    return [(value, label, counts.get(value, 0)) for value, label in PublishedOutcome.choices]
