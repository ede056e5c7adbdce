"""Campaign report pages: the list of campaigns and the PDF, always built by a background job."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from core.access import staff_required
from core.views_exports import start_export
from inspections.selectors import campaign_list


@require_GET
@staff_required
def campaign_report_index(request):
    campaigns = campaign_list(viewer=request.user).select_related("publication").order_by("-starts_on")
    return render(request, "reports/campaign_report/index.html", {"campaigns": campaigns})


@require_http_methods(["GET", "POST"])  # POST starts the background job
@staff_required
def campaign_report(request, campaign_pk: int):
    """The PDF is always built by a background job (minutes at national scale)."""
    campaign = get_object_or_404(campaign_list(viewer=request.user), pk=campaign_pk)
    return start_export(request, kind="campaign_report", params={"campaign_id": campaign.pk})
