"""
Analytics pages: thin views over `reports.analytics.dashboards`. Everything is
read-only for every staff role (analysts included); the one write, a manual
roll-up refresh, is for editors. Enterprise users get 404 everywhere.

The dashboards, their selectors and exports load pandas and plotly: they
are imported in the views, so loading the URLconf does not load them.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import export_writer
from core.access import editor_required, staff_required
from core.pagination import paginate
from core.queue import enqueue_on_commit

from .forms import DIMENSIONS, AnalyticsFilterForm, DrillForm

DRILL_PAGE_SIZE = 50
DRILL_LABELS = {
    "failing": gettext_lazy("Failing a check"), "late": gettext_lazy("Late or still open"),
    "repeat": gettext_lazy("Repeat findings only"), "category": gettext_lazy("Issue category"),
    "severity": gettext_lazy("Severity"), "issue_code": gettext_lazy("Issue code"),
    "enterprise": gettext_lazy("Enterprise id"),
}
FILTER_KEYS = ("campaign", "start", "end", "role", "district", "modality", "partial")


def _drill_value(form, key: str, value):
    """A clicked point's value as people read it: "yes", or a choice's label, not its code."""
    if value is True:
        return _("yes")
    choices = dict(getattr(form.fields[key], "choices", ()))
    return choices.get(value, value)


def _qs(request) -> str:
    return urlencode(_query(request))


def _query(request, *, keep=FILTER_KEYS) -> dict:
    return {k: request.GET[k] for k in keep if request.GET.get(k)}


def _filters(request, extra=None):
    form = AnalyticsFilterForm(request.GET or None, viewer=request.user)
    return form, form.filters(extra)


def _spec(slug: str):
    from . import dashboards

    if slug not in dashboards.DASHBOARDS:
        raise Http404
    return dashboards.DASHBOARDS[slug]


@require_GET
@staff_required
def analytics_index(request):
    from . import dashboards
    from . import selectors as sel

    form, filters = _filters(request)
    overview = dashboards.build("violations", viewer=request.user, filters=filters,
                                query=_query(request))
    return render(request, "reports/analytics/index.html", {
        "form": form, "dashboard": overview, "specs": dashboards.DASHBOARDS.values(),
        "qs": _qs(request), "can_refresh": request.user.can_edit,
        "state": sel.rollup_state(),
    })


@require_GET
@staff_required
def analytics_dashboard(request, slug: str):
    from . import dashboards

    spec = _spec(slug)
    form, filters = _filters(request)
    by = request.GET.get("by") or None
    dashboard = dashboards.build(slug, viewer=request.user, filters=filters,
                                 query=_query(request), by=by)
    return render(request, "reports/analytics/dashboard.html", {
        "form": form, "spec": spec, "dashboard": dashboard, "specs": dashboards.DASHBOARDS.values(),
        "dimensions": DIMENSIONS if slug == "violations" else None, "by": by or "",
        "qs": _qs(request), "export_qs": urlencode(_query(request, keep=(*FILTER_KEYS, "by"))),
        "view": request.GET.get("view", "chart"),
    })


def _download(request, frame, *, name: str, fmt: str, title) -> HttpResponse:
    from . import exports as export_files

    machine = export_writer.wants_machine(request.GET)
    body, content_type = export_files.write(frame, fmt, title=str(title), machine=machine)
    filename = f"analytics-{name}-{export_writer.filename_stamp()}.{fmt}"
    return export_writer.attachment(HttpResponse(body, content_type=content_type), filename)


@require_GET
@staff_required
def analytics_export(request, slug: str, fmt: str):
    from . import dashboards

    _spec(slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request)
    dashboard = dashboards.build(slug, viewer=request.user, filters=filters,
                                 query=_query(request), by=request.GET.get("by") or None)
    return _download(request, dashboard.export, name=slug, fmt=fmt, title=_spec(slug).title)


@require_GET
@staff_required
def analytics_drill(request):
    from . import selectors as sel

    drill = DrillForm(request.GET)
    extra = drill.extra()
    form, filters = _filters(request, extra)
    if extra.get("kind") == "items":
        rows = sel.items_in_period(request.user, filters)
        template = "reports/analytics/drill_items.html"
    else:
        rows = sel.drill_findings(request.user, filters, basis=extra.get("basis", "created"))
        template = "reports/analytics/drill_findings.html"
    # The count stops at the cap (10,000): a point of a national chart can
    # stand for more findings than anyone pages through; the head says "10,000+".
    page = paginate(rows, DRILL_PAGE_SIZE, request.GET.get("page"))
    point = [(DRILL_LABELS[k], _drill_value(drill, k, v)) for k, v in extra.items() if k in DRILL_LABELS]
    return render(request, template, {
        "form": form, "filters": filters, "extra": extra, "point": point, "page_obj": page,
    })


@require_GET
@staff_required
def analytics_scorecard(request, pk: int):
    from . import dashboards
    from . import selectors as sel

    enterprise = sel.scorecard_enterprise(viewer=request.user, pk=pk)
    card = dashboards.scorecard(request.user, enterprise)
    return render(request, "reports/analytics/scorecard.html", {
        "enterprise": enterprise, "card": card,
    })


@require_GET
@staff_required
def analytics_scorecard_export(request, pk: int, fmt: str):
    from . import dashboards
    from . import selectors as sel

    if fmt not in ("csv", "xlsx"):
        raise Http404
    enterprise = sel.scorecard_enterprise(viewer=request.user, pk=pk)
    card = dashboards.scorecard(request.user, enterprise)
    return _download(request, card.export, name=f"scorecard-{enterprise.pk}", fmt=fmt,
                     title=_("Scorecard"))


@require_POST
@editor_required
def analytics_refresh(request):
    from .tasks import analytics_rollups_refresh_task

    actor_id = request.user.pk
    enqueue_on_commit(analytics_rollups_refresh_task, actor_id=actor_id)
    messages.success(request, _("The analytics figures are being recomputed."))
    return redirect("reports:analytics_index")
