"""
Reads of inspections data, scoped to the viewer. Every view, export, API
and task that reads these objects goes through a function here.
"""

import calendar as pycalendar
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from accounts.models import STAFF_ROLES, Role, User
from core.filters import apply_filters
from core.pagination import count_of
from enterprises.models import (
    MODALITY_FIELDS,
    ROLE_FIELDS,
    District,
    Enterprise,
    EnterpriseRole,
    EnterpriseStatus,
    Modality,
    RiskTier,
    Service,
)

from . import checker_text, sampling, workdays
from .filters import CampaignFilter, FindingFilter, InspectionFilter, PlanFilter
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    CalendarDay,
    Campaign,
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    InspectionOrigin,
    IssueCode,
    ItemCheck,
    LabelVerdict,
    PlanDraw,
    PlanEntry,
    SampledItem,
    SelectionPlan,
    TargetBasis,
)

# Statuses in which the enterprise still has to act before the deadline.
RUNNING = (FindingStatus.OPEN, FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED)


def sees_every_campaign(viewer: User) -> bool:
    """Supervisors, analysts and admins; an inspector sees the campaigns assigned (DOMAIN §2)."""
    return bool(viewer.is_authenticated and viewer.role in STAFF_ROLES and viewer.role != Role.INSPECTOR)


def scope_to_campaigns(queryset: QuerySet, viewer: User, *, field: str = "campaign") -> QuerySet:
    """
    Scope any staff queryset by campaign: supervisors, analysts and admins
    see every row, an inspector the rows whose `field` is a campaign on whose
    team they are, anyone else nothing. `field` is the lookup of the
    campaign's id on the queryset's model ("pk" for campaigns themselves).
    """
    if sees_every_campaign(viewer):
        return queryset
    if viewer.is_authenticated and viewer.role == Role.INSPECTOR:
        lookup = "pk__in" if field == "pk" else f"{field}_id__in"
        return queryset.filter(**{lookup: assigned_campaign_ids(viewer)})
    return queryset.none()


# The teams read during one request (inspections.middleware.TeamMemoMiddleware
# opens it): a page whose scoped reads each asked for the inspector's
# campaigns (the enterprise page: eight times) reads them once. Outside a
# request (tasks, the shell) there is no memo and every call reads afresh.
_team_memo: contextvars.ContextVar[dict[int, list[int]] | None] = contextvars.ContextVar(
    "team_memo", default=None)


def team_memo_open() -> contextvars.Token:
    return _team_memo.set({})


def team_memo_close(token: contextvars.Token) -> None:
    _team_memo.reset(token)


def team_memo_clear(**kwargs) -> None:
    """m2m_changed receiver of campaign teams: a request that changes a team reads it afresh."""
    memo = _team_memo.get()
    if memo is not None:
        memo.clear()


def assigned_campaign_ids(viewer: User) -> list[int]:
    """
    The ids of the campaigns an inspector is on the team of (a handful), as a
    literal list rather than a subquery: PostgreSQL then plans the big
    tables' range scans as it does for a supervisor (the analytics
    drill-down's capped count: 167 ms with a subquery, under 30 ms with the
    list, at national scale). Never cached on the user, since a team may
    change while the object lives: read once per request (the memo above).
    """
    memo = _team_memo.get()
    if memo is not None and viewer.pk in memo:
        return list(memo[viewer.pk])
    ids = sorted(Campaign.team.through.objects.filter(user_id=viewer.pk)
                 .values_list("campaign_id", flat=True))
    if memo is not None:
        memo[viewer.pk] = ids
    return list(ids)


def campaign_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Campaign]:
    """
    The campaigns the viewer sees; with `filters`, narrowed by
    CampaignFilter's parameters (ValidationError for a bad value).
    """
    campaigns = scope_to_campaigns(Campaign.objects.all(), viewer, field="pk")
    if filters is None:
        return campaigns
    return apply_filters(CampaignFilter, data=filters, queryset=campaigns, viewer=viewer)


def inspection_list(*, viewer: User) -> QuerySet[Inspection]:
    """Inspections are internal: staff of their campaign see them, enterprises none."""
    return scope_to_campaigns(Inspection.objects.select_related("enterprise", "campaign"), viewer)


def finding_list(*, viewer: User) -> QuerySet[Finding]:
    """
    Staff see the findings of the campaigns they see; an enterprise user sees
    its own enterprise's findings once they have been notified (never open
    internal drafts).
    """
    queryset = Finding.objects.select_related("enterprise", "campaign", "issue_code")
    if not viewer.is_authenticated:
        return queryset.none()
    if viewer.role in STAFF_ROLES:
        return scope_to_campaigns(queryset, viewer)
    if viewer.role == Role.ENTERPRISE and viewer.enterprise_id:
        return queryset.filter(
            enterprise_id=viewer.enterprise_id, notified_at__isnull=False
        )
    return queryset.none()


def finding_get(*, viewer: User, pk: int) -> Finding:
    """One finding the viewer may see, or 404."""
    return get_object_or_404(finding_list(viewer=viewer), pk=pk)


# --- campaigns -------------------------------------------------------------------


def campaign_get(*, viewer: User, pk: int) -> Campaign:
    return get_object_or_404(campaign_list(viewer=viewer), pk=pk)


def overdue_q(prefix: str = "") -> Q:
    """Findings overdue by status, or still running past their deadline."""
    today = timezone.localdate()
    return Q(**{f"{prefix}status__in": [FindingStatus.OVERDUE, FindingStatus.ESCALATED]}) | Q(
        **{f"{prefix}status__in": list(RUNNING), f"{prefix}deadline__lt": today}
    )


# Per-campaign status counts for the campaign list and board. Counting live
# took seconds at national scale (200k inspections, 400k findings): two
# GROUP BY queries over the whole tables on every request. They are computed
# in those two grouped queries and kept in Django's cache for
# CAMPAIGN_COUNTS_TTL seconds; the pages show the time they were computed.
# Chosen over explicit invalidation: statuses change in many places (services,
# rectification, the hourly overdue task, bulk updates) and a LocMem cache is
# per process, so only the TTL can promise freshness; chosen over a roll-up
# table refreshed by Celery beat because a 60-second TTL is fresher, needs no
# migration or running beat, and is never empty.
CAMPAIGN_COUNTS_KEY = "inspections:campaign_counts"
CAMPAIGN_COUNTS_TTL = 60


def campaign_status_counts_compute() -> dict:
    """
    Count inspections and findings per campaign and status (two grouped
    queries) and return {"as_of": datetime, "campaigns": {id: counts}}.
    """
    today = timezone.localdate()
    campaigns: dict[int, dict] = defaultdict(lambda: {
        "planned": 0, "due": 0, "in_progress": 0, "done": 0, "total": 0,
        "open": 0, "closed": 0, "overdue": 0, "repeat": 0, "findings": 0,
    })
    done_statuses = {Inspection.Status.COMPLETED, Inspection.Status.CLOSED}
    for row in Inspection.objects.values("campaign_id", "status").annotate(n=Count("id")):
        counts = campaigns[row["campaign_id"]]
        counts["total"] += row["n"]
        if row["status"] in done_statuses:
            counts["done"] += row["n"]
        elif row["status"] in (Inspection.Status.PLANNED, Inspection.Status.DUE,
                               Inspection.Status.IN_PROGRESS):
            counts[row["status"]] += row["n"]
    overdue_statuses = {FindingStatus.OVERDUE, FindingStatus.ESCALATED}
    # A withdrawn finding was annulled, not closed: it counts nowhere, as in
    # the analytics and the published results.
    rows = Finding.objects.exclude(status=FindingStatus.WITHDRAWN).values("campaign_id", "status").annotate(
        n=Count("id"), past=Count("id", filter=Q(deadline__lt=today)),
        repeat=Count("id", filter=Q(is_repeat=True)))
    for row in rows:
        counts = campaigns[row["campaign_id"]]
        counts["findings"] += row["n"]
        counts["repeat"] += row["repeat"]
        if row["status"] in OPEN_STATUSES:
            counts["open"] += row["n"]
        if row["status"] in CLOSED_STATUSES:
            counts["closed"] += row["n"]
        if row["status"] in overdue_statuses:
            counts["overdue"] += row["n"]
        elif row["status"] in RUNNING:
            counts["overdue"] += row["past"]
    return {"as_of": timezone.now(), "campaigns": {k: dict(v) for k, v in campaigns.items()}}


def campaign_status_counts() -> dict:
    """Return the per-campaign counts, from the cache when fresh (see above)."""
    # django-stubs types get_or_set as possibly None; with a callable default
    # it returns the cached or the freshly computed value, never None.
    return cache.get_or_set(CAMPAIGN_COUNTS_KEY, campaign_status_counts_compute,  # type: ignore[return-value]
                            CAMPAIGN_COUNTS_TTL)


EMPTY_COUNTS = {"planned": 0, "due": 0, "in_progress": 0, "done": 0, "total": 0,
                "open": 0, "closed": 0, "overdue": 0, "repeat": 0, "findings": 0}


def campaign_list_with_progress(*, viewer: User) -> dict:
    """
    Campaigns, each with .counts (inspections by status, findings open,
    closed and overdue), and the time the counts were computed.
    """
    counts = campaign_status_counts()
    campaigns = list(campaign_list(viewer=viewer))
    for campaign in campaigns:
        campaign.counts = counts["campaigns"].get(campaign.pk, EMPTY_COUNTS)
    return {"campaigns": campaigns, "as_of": counts["as_of"]}


def campaign_board(*, campaign: Campaign) -> dict:
    """KPIs of one campaign: inspections by status, findings open/closed/overdue, by code."""
    all_counts = campaign_status_counts()
    counts = all_counts["campaigns"].get(campaign.pk, EMPTY_COUNTS)
    total, done = counts["total"], counts["done"]
    by_code = list(
        campaign.findings.exclude(status=FindingStatus.WITHDRAWN)
        .values("issue_code_id", "issue_code__title_zh", "issue_code__title_en")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(status__in=list(OPEN_STATUSES))))
        .order_by("-n", "issue_code_id")[:12]
    )
    return {
        "planned": counts["planned"],
        "due": counts["due"],
        "in_progress": counts["in_progress"],
        "done": done,
        "total": total,
        "done_pct": round(100 * done / total) if total else 0,
        "findings": {"open": counts["open"], "closed": counts["closed"],
                     "overdue": counts["overdue"], "repeat": counts["repeat"],
                     "total": counts["findings"]},
        "by_code": by_code,
        "as_of": all_counts["as_of"],
    }


def campaign_origin_counts(*, campaign: Campaign) -> list[dict]:
    """
    The campaign's inspections and findings by origin (random draw, targeted,
    re-verification), so targeted work is reported apart from the 双随机 draw.
    """
    done = [Inspection.Status.COMPLETED, Inspection.Status.CLOSED]
    inspections = {
        row["origin"]: row for row in
        Inspection.objects.filter(campaign=campaign).order_by().values("origin")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status__in=done)))
    }
    findings: dict[str, int] = {}
    for (origin, _basis), n in findings_by_origin(Finding.objects.filter(campaign=campaign)).items():
        findings[origin] = findings.get(origin, 0) + n
    none = {"total": 0, "done": 0}
    return [
        {"origin": origin, "label": label, "total": inspections.get(origin, none)["total"],
         "done": inspections.get(origin, none)["done"], "findings": findings.get(origin, 0)}
        for origin, label in InspectionOrigin.choices
    ]


def findings_by_origin(findings: QuerySet[Finding]) -> dict[tuple[str, str], int]:
    """
    The findings (withdrawn ones excluded) by their inspection's origin and,
    for targeted ones, basis: {(origin, basis): n}. Most findings come from
    the random draw, so they are counted without their inspections (from
    the findings' indexes alone) and only the others are joined to theirs
    (few, through the index of inspections not drawn): the random draw's
    count is the difference. A join of every finding with its inspection
    took 300 ms for a year's findings at national scale.
    """
    findings = findings.exclude(status=FindingStatus.WITHDRAWN).order_by()
    found: dict[tuple[str, str], int] = {}
    for origin, basis, n in (findings.exclude(inspection__origin=InspectionOrigin.RANDOM)
                             .values_list("inspection__origin", "inspection__target_basis")
                             .annotate(n=Count("id"))):
        key = (origin, basis if origin == InspectionOrigin.TARGETED else "")
        found[key] = found.get(key, 0) + n
    random = findings.count() - sum(found.values())
    if random:
        found[(InspectionOrigin.RANDOM, "")] = random
    return found


def origin_rows() -> list[dict]:
    """
    The origins inspections and findings are reported by, in order: the
    random draw (双随机), targeted inspections by their basis (a tip-off, a
    referral, a supervisor's decision), re-verifications.
    """
    rows = [{"origin": InspectionOrigin.RANDOM, "basis": "", "label": InspectionOrigin.RANDOM.label}]
    rows += [{"origin": InspectionOrigin.TARGETED, "basis": basis,
              "label": f"{InspectionOrigin.TARGETED.label} · {label}"}
             for basis, label in TargetBasis.choices]
    rows.append({"origin": InspectionOrigin.FOLLOW_UP, "basis": "",
                 "label": InspectionOrigin.FOLLOW_UP.label})
    return rows


def origin_breakdown(*, inspections: QuerySet[Inspection], findings: QuerySet[Finding]) -> list[dict]:
    """
    Inspections (all, finished) and findings (withdrawn ones excluded) of
    the given querysets by origin_rows(), in two grouped queries.
    """
    done = [Inspection.Status.COMPLETED, Inspection.Status.CLOSED]
    counted = {
        (row["origin"], row["target_basis"] if row["origin"] == InspectionOrigin.TARGETED else ""): row
        for row in inspections.order_by().values("origin", "target_basis")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status__in=done)))
    }
    found = findings_by_origin(findings)
    none = {"total": 0, "done": 0}
    rows = []
    for row in origin_rows():
        key = (row["origin"], row["basis"])
        rows.append({**row, "total": counted.get(key, none)["total"],
                     "done": counted.get(key, none)["done"], "findings": found.get(key, 0)})
    return rows


# --- plans -------------------------------------------------------------------------


def plan_list(*, viewer: User, campaign: Campaign | None = None,
              filters: Mapping[str, Any] | None = None) -> QuerySet[SelectionPlan]:
    """
    The selection plans of the campaigns the viewer sees (of `campaign`
    only, if given), narrowed by PlanFilter's parameters in `filters`.
    """
    plans = SelectionPlan.objects.filter(campaign__in=campaign_list(viewer=viewer))
    if campaign is not None:
        plans = plans.filter(campaign=campaign)
    if filters is not None:
        plans = apply_filters(PlanFilter, data=filters, queryset=plans, viewer=viewer)
    return plans.select_related("campaign", "approved_by").annotate(n_entries=Count("entries"))


def plan_get(*, viewer: User, pk: int) -> SelectionPlan:
    return get_object_or_404(
        SelectionPlan.objects.filter(campaign__in=campaign_list(viewer=viewer))
        .select_related("campaign", "created_by", "approved_by"), pk=pk)


def plan_frame(*, filters: dict) -> QuerySet[Enterprise]:
    """
    The eligible enterprises for frame filters (roles: any of; districts,
    risk tiers: one of; modalities: has a service with one of them), active
    only, in a stable order.
    """
    queryset = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    roles = [r for r in filters.get("roles") or [] if r in ROLE_FIELDS]
    if roles:
        condition = Q()
        for role in roles:
            condition |= Q(**{ROLE_FIELDS[role]: True})
        queryset = queryset.filter(condition)
    if filters.get("districts"):
        queryset = queryset.filter(district__in=filters["districts"])
    if filters.get("risk_tiers"):
        queryset = queryset.filter(risk_tier__in=filters["risk_tiers"])
    modalities = [m for m in filters.get("modalities") or [] if m in MODALITY_FIELDS]
    if modalities:
        condition = Q()
        for modality in modalities:
            condition |= Q(**{MODALITY_FIELDS[modality]: True})
        queryset = queryset.filter(pk__in=Service.objects.filter(condition).values("enterprise_id"))
    return queryset.order_by("pk")


def frame_tiers(*, filters: dict) -> dict[str, int]:
    """How many enterprises of each risk tier the frame holds today."""
    tiers = dict.fromkeys((RiskTier.HIGH, RiskTier.MEDIUM, RiskTier.LOW), 0)
    for tier, n in (plan_frame(filters=filters).order_by().values_list("risk_tier")
                    .annotate(n=Count("id"))):
        tiers[tier] = tiers.get(tier, 0) + n
    return {str(k): v for k, v in tiers.items()}


def frame_size(*, filters: dict) -> int:
    return plan_frame(filters=filters).count()


# Frame filter keys and the choices their values come from.
FRAME_FILTERS = {
    "roles": (gettext_lazy("Roles (any of)"), EnterpriseRole),
    "districts": (gettext_lazy("Districts"), District),
    "risk_tiers": (gettext_lazy("Risk tiers"), RiskTier),
    "modalities": (gettext_lazy("Content modalities (any of)"), Modality),
}


def frame_filter_labels(filters: dict) -> list[tuple[str, str]]:
    """A plan's frame filters as people read them: [(label, "value, value")]."""
    rows = []
    for key, (label, choices) in FRAME_FILTERS.items():
        values = filters.get(key) or []
        if values:
            names = dict(choices.choices)
            rows.append((str(label), pgettext("list separator", ", ").join(
                str(names.get(v, v)) for v in values)))
    return rows


def plan_draws(*, plan: SelectionPlan) -> QuerySet[PlanDraw]:
    """The draws of a plan, newest first, without their (large) records."""
    return (plan.draws.select_related("drawn_by").defer("record", "result").order_by("-number"))


def verification_text(result) -> str:
    """The outcome of plans.plan_verification in a sentence."""
    if result.state == "legacy":
        return _("This plan was drawn before draws were recorded whole (the frame's tiers, scores "
                 "and conflicts at the time were not kept): it cannot be redone from its record.")
    if result.state == "not_drawn":
        return _("The plan has not been drawn yet.")
    if result.ok:
        return ngettext(
            "Redone from the record alone: the draw gives exactly the recorded enterprises, "
            "officers and dates (%(n)s draw checked).",
            "Redone from the record alone: every draw gives exactly the recorded enterprises, "
            "officers and dates (%(n)s draws checked).", len(result.draws)) % {"n": len(result.draws)}
    bad = [str(d["number"]) for d in result.draws if not d["matches"]]
    if bad:
        return _("Redone from the record, draw %(numbers)s does NOT give the recorded outcome.") % {
            "numbers": ", ".join(bad)}
    return _("The draw reproduces from its record, but the plan's entries differ from it.")


def plan_entries(*, plan: SelectionPlan) -> QuerySet[PlanEntry]:
    """
    A plan's drawn entries with what the plan page and the API show of them
    (a national draw lists hundreds: whole enterprise, inspection and user
    rows were half the page's time).
    """
    officers = Prefetch("officers", queryset=User.objects.only("id", "username", "first_name", "last_name"))
    return (plan.entries.select_related("enterprise", "inspection")
            .only("id", "plan_id", "position", "stratum", "planned_date", "enterprise__id", "enterprise__name",
                  "inspection__id", "inspection__status", "inspection__plan_entry_id")
            .prefetch_related(officers).order_by("position"))


# --- inspections -------------------------------------------------------------------


def inspection_filtered(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Inspection]:
    """
    Inspections for the list page and API v1: narrowed and sorted by
    InspectionFilter's parameters in `filters`; ValidationError for a bad value.
    """
    queryset = apply_filters(InspectionFilter, data=filters, queryset=inspection_list(viewer=viewer),
                             viewer=viewer)
    # Per-row counts as correlated subqueries: computed for the page's rows
    # only, never a GROUP BY over inspections x items x findings. The date
    # orders are served by the (-planned_date, -id) index, read either way.
    return queryset.prefetch_related("officers").annotate(
        n_items=count_of(SampledItem.objects.all(), link="inspection"),
        n_findings=count_of(Finding.objects.all(), link="inspection"),
    )


def inspection_get(*, viewer: User, pk: int) -> Inspection:
    return get_object_or_404(
        inspection_list(viewer=viewer).select_related("plan_entry__plan")
        .prefetch_related("officers"), pk=pk)


def inspection_items(*, inspection: Inspection) -> QuerySet[SampledItem]:
    return (inspection.items.select_related("service", "captured_by")
            .annotate(n_checks=Count("checks"),
                      n_failed=Count("checks", filter=Q(checks__result=CheckResult.FAIL)))
            .order_by("captured_at", "id"))


def inspection_sampled_services(*, inspection: Inspection) -> list[dict]:
    """
    Per sampled service: the plan (n, rule, Ac/Re), items recorded and fully
    checked, items with a failed check, the verdict once decided, and the
    violation rate with its Wilson 95 % interval once n items are checked.
    """
    failed = Exists(ItemCheck.objects.filter(item=OuterRef("pk"), result=CheckResult.FAIL))
    stats = {
        row["service_id"]: row
        for row in inspection.items.annotate(has_fail=failed).values("service_id").annotate(
            recorded=Count("pk"),
            checked=Count("pk", filter=Q(checks_completed_at__isnull=False)),
            failed=Count("pk", filter=Q(checks_completed_at__isnull=False, has_fail=True)),
        )
    }
    rows = []
    for sampled in inspection.sampled_services.select_related("service").order_by("service__name"):
        row = stats.get(sampled.service_id, {"recorded": 0, "checked": 0, "failed": 0})
        done = row["checked"] >= sampled.sample_size and sampled.sample_size > 0
        verdict = None
        if row["failed"] >= sampled.reject_number:
            verdict = "reject"  # decided early: Re reached whatever the rest shows
        elif done:
            verdict = "accept" if sampling.accept_or_reject(
                row["failed"], sampled.accept_number, sampled.reject_number) else "reject"
        interval = sampling.wilson_interval(row["failed"], row["checked"]) if done else None
        rows.append({"sampled": sampled, **row, "done": done, "verdict": verdict,
                     "interval": interval,
                     "progress_pct": min(100, round(100 * row["checked"] / sampled.sample_size))
                     if sampled.sample_size else 100})
    return rows


def item_get(*, viewer: User, pk: int) -> SampledItem:
    return get_object_or_404(
        SampledItem.objects.filter(inspection__in=inspection_list(viewer=viewer))
        .select_related("inspection__enterprise", "inspection__campaign", "service", "captured_by"),
        pk=pk)


def item_check_rows(*, item: SampledItem) -> list[dict]:
    """The applicable checks of an item with the recorded answer of each."""
    recorded = {c.issue_code_id: c for c in item.checks.select_related("checked_by")}
    codes = applicable_codes(modality=item.modality, roles=item.inspection.enterprise.roles)
    findings = dict(item.findings.values_list("issue_code_id", "pk"))
    return [{"code": code, "check": recorded.get(code.pk), "finding_id": findings.get(code.pk)}
            for code in codes]


# --- findings ----------------------------------------------------------------------


def finding_filtered(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Finding]:
    """
    Findings for the list page and API v1, nearest deadline first, narrowed
    by FindingFilter's parameters in `filters`; ValidationError for a bad value.
    """
    queryset = apply_filters(FindingFilter, data=filters, queryset=finding_list(viewer=viewer),
                             viewer=viewer)
    return queryset.order_by("deadline", "-id")


def finding_detail(*, viewer: User, pk: int) -> Finding:
    return get_object_or_404(
        finding_list(viewer=viewer).select_related("inspection", "repeat_of", "created_by")
        .prefetch_related("evidence_items"), pk=pk)


# --- calendar and history ----------------------------------------------------------


def calendar_month(*, viewer: User, year: int, month: int) -> dict:
    """
    A month grid (weeks of days) with the number of inspections planned and
    of open finding deadlines on each day (counted in the database, GROUP BY
    date), holidays and make-up days marked.
    """
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    inspections = dict(
        inspection_list(viewer=viewer).filter(planned_date__range=(first, last))
        .order_by().values_list("planned_date").annotate(n=Count("id")))
    deadlines = dict(
        finding_list(viewer=viewer).filter(deadline__range=(first, last),
                                           status__in=list(OPEN_STATUSES))
        .order_by().values_list("deadline").annotate(n=Count("id")))
    exceptions = dict(((d, (w, n)) for d, w, n in CalendarDay.objects.filter(
        date__range=(first, last)).values_list("date", "is_workday", "name")))
    snapshot = workdays.calendar_snapshot()
    today = timezone.localdate()
    grid = [[{
        "date": day, "in_month": day.month == month, "today": day == today,
        "working": snapshot.is_working_day(day), "known": snapshot.is_known(day),
        "exception": exceptions.get(day), "n_inspections": inspections.get(day, 0),
        "n_deadlines": deadlines.get(day, 0),
    } for day in week] for week in weeks]
    return {"weeks": grid, "known": snapshot.is_known(datetime.date(year, month, 1)),
            "n_inspections": sum(inspections.values()),
            "n_deadlines": sum(deadlines.values())}


def enterprise_history(*, viewer: User, enterprise) -> dict:
    """An enterprise's inspections and findings, newest first (staff only)."""
    return {
        "inspections": list(inspection_list(viewer=viewer).filter(enterprise=enterprise)
                            .annotate(n_findings=Count("findings"))[:50]),
        "findings": list(finding_list(viewer=viewer).filter(enterprise=enterprise)
                         .order_by("-created_at")[:100]),
    }


# --- automatic label checks ----------------------------------------------------------

# Long raw label values (hostile files) are cut for display; the stored
# result keeps what the checker returned.
RAW_DISPLAY_CHARS = 2000


def checker_rule_roles() -> dict[str, list[str]]:
    """The enterprise roles each checker rule (an IMP taxonomy code) binds; empty: every role."""
    return dict(IssueCode.objects.filter(code__startswith="IMP-").values_list("code", "roles"))


def _role_note(*, result: dict, verdict: str, roles: list[str],
               rule_roles: dict[str, list[str]]) -> str:
    """
    Why no finding is offered from a result whose rules do not bind the
    enterprise (a platform-only enterprise and the providers' IMP rules),
    so an inspector does not read "not found" as nothing to see.
    """
    rules = sorted({str(f.get("rule", "")) for f in result.get("findings") or [] if isinstance(f, dict)})
    if verdict == LabelVerdict.NOT_FOUND and "IMP-01" not in rules:
        rules.append("IMP-01")
    outside = [rule for rule in rules
               if rule_roles.get(rule) and not set(rule_roles[rule]) & set(roles)]
    if not outside:
        return ""
    bound = sorted({role for rule in outside for role in rule_roles[rule]})
    return _("%(rules)s bind %(bound)s; this enterprise is registered as %(roles)s, so the result "
             "is shown for information and no finding is offered from it.") % {
        "rules": "、".join(outside),
        "bound": "、".join(str(EnterpriseRole(role).label) for role in bound if role in EnterpriseRole.values),
        "roles": "、".join(str(EnterpriseRole(role).label) for role in roles if role in EnterpriseRole.values)
                 or _("no role"),
    }


def _json_object(value: object) -> dict:
    """A part of a stored checker result when it is a JSON object, else empty."""
    return value if isinstance(value, dict) else {}


def label_view(*, item: SampledItem, current_version: str,
               rule_roles: dict[str, list[str]] | None = None) -> dict | None:
    """
    The stored label-check result of an item, shaped for display: verdict,
    reason, format, the label fields as found (in Annex E order), every
    site, the rules broken, extra information (C2PA, IPTC), whether an
    older checker version produced it, and why no finding is offered when
    the rules do not bind the enterprise's roles (``rule_roles`` from
    checker_rule_roles, passed in by list pages). None when not checked.
    """
    result = item.label_result if isinstance(item.label_result, dict) else None
    if result is None and not item.label_verdict:
        return None
    if rule_roles is None:
        rule_roles = checker_rule_roles()
    result = result or {}
    from .labels.rules import LABEL_FIELDS

    label = _json_object(result.get("label"))
    order = {name: i for i, name in enumerate(LABEL_FIELDS)}
    fields = sorted(((str(k), v) for k, v in label.items()),
                    key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    sites = [
        {"location": str(s.get("location", "")), "raw": str(s.get("raw", ""))[:RAW_DISPLAY_CHARS],
         "cut": len(str(s.get("raw", ""))) > RAW_DISPLAY_CHARS}
        for s in result.get("sites") or [] if isinstance(s, dict)
    ]
    # Said in the reader's language from the finding's kind and parameters.
    findings = [{"rule": str(f.get("rule", "")), "message": checker_text.finding_text(f)}
                for f in result.get("findings") or [] if isinstance(f, dict)]
    info = _json_object(result.get("info"))
    return {
        "verdict": item.label_verdict, "reason": result.get("reason") or "",
        "format": result.get("format") or "", "fields": fields, "sites": sites,
        "findings": findings, "info": sorted((str(k), v) for k, v in info.items()),
        "version": item.checker_version, "checked_at": item.label_checked_at,
        "stale": bool(item.checker_version) and item.checker_version != current_version,
        "elapsed_ms": result.get("elapsed_ms"),
        "role_note": _role_note(result=result, verdict=item.label_verdict,
                                roles=item.inspection.enterprise.roles, rule_roles=rule_roles),
    }


def inspection_label_rows(*, inspection: Inspection, current_version: str) -> list[dict]:
    """
    Per sampled file of the inspection: the item, its label view, and the
    findings the checker suggests (failing automatic checks with no finding
    of that code for the item yet). Three queries whatever the item count.
    """
    failing = (ItemCheck.objects.filter(result=CheckResult.FAIL, source=ItemCheck.Source.AUTOMATIC)
               .select_related("issue_code").order_by("issue_code_id"))
    items = (inspection.items.filter(Q(file__gt="") | ~Q(label_verdict=""))
             .prefetch_related(Prefetch("checks", queryset=failing, to_attr="failing_checks"),
                               Prefetch("findings", queryset=Finding.objects.only("pk", "issue_code_id"),
                                        to_attr="finding_refs"))
             .order_by("captured_at", "id"))
    rows = []
    rule_roles = checker_rule_roles()
    for item in items:
        found = {f.issue_code_id: f.pk for f in item.finding_refs}
        suggestions = [{"check": c, "finding_id": found.get(c.issue_code_id)}
                       for c in item.failing_checks]
        rows.append({"item": item, "label": label_view(item=item, current_version=current_version,
                                                          rule_roles=rule_roles),
                     "suggestions": suggestions,
                     "open_suggestions": sum(1 for s in suggestions if not s["finding_id"])})
    return rows


def inspection_label_summary(*, rows: list[dict]) -> dict:
    """Counts by verdict, stale and pending results, and open suggestions."""
    summary = {"files": 0, "pending": 0, "stale": 0, "suggestions": 0,
               "compliant": 0, "noncompliant": 0, "not_found": 0, "inconclusive": 0}
    for row in rows:
        summary["files"] += 1
        view = row["label"]
        if view is None:
            summary["pending"] += 1
            continue
        summary[view["verdict"]] = summary.get(view["verdict"], 0) + 1
        summary["stale"] += view["stale"]
        summary["suggestions"] += row["open_suggestions"]
    return summary


def explicit_view(*, item: SampledItem) -> dict | None:
    """
    The stored explicit-label result of an item, shaped for display: status,
    the marks (text, place, height, contrast, times), the rules broken in the
    reader's language, the evidence files, and whether an older checker
    version produced it. None when the file was not checked.
    """
    from .labels.explicit import EXPLICIT_CHECKER_VERSION

    record = item.explicit_result if isinstance(item.explicit_result, dict) else None
    if record is None:
        return None
    marks = []
    for mark in record.get("marks") or []:
        if not isinstance(mark, dict):
            continue
        ratio, contrast = mark.get("height_ratio"), mark.get("contrast")
        marks.append({
            "kind": mark.get("kind"), "text": mark.get("text") or "", "where": mark.get("where") or "",
            "height_percent": None if ratio is None else round(float(ratio) * 100, 1),
            "contrast": contrast, "start_s": mark.get("start_s"), "end_s": mark.get("end_s"),
            "conforming": mark.get("conforming", True)})
    findings = [{"rule": str(f.get("rule", "")), "message": checker_text.finding_text(f)}
                for f in record.get("findings") or [] if isinstance(f, dict)]
    evidence = list(item.explicit_evidence.all())
    details = record.get("details") if isinstance(record.get("details"), dict) else {}
    return {
        "status": item.explicit_status, "modality": record.get("modality"),
        "reason": record.get("reason") or "", "marks": marks, "findings": findings,
        "evidence": evidence, "details": details,
        "speech": any(m["kind"] == "voice" for m in marks),
        "version": item.explicit_checker_version, "checked_at": item.explicit_checked_at,
        "stale": item.explicit_checker_version != EXPLICIT_CHECKER_VERSION,
    }


# --- plans, taxonomy, repeats ------------------------------------------------------


def applicable_codes(*, modality: str, roles: list[str]) -> list[IssueCode]:
    """Item-level taxonomy codes for a modality at an enterprise with these roles."""
    codes = IssueCode.objects.filter(active=True, item_level=True).order_by("code")
    return [
        c for c in codes
        if (not c.modalities or modality in c.modalities)
        and (not c.roles or set(c.roles) & set(roles))
    ]


def find_repeat_of(*, enterprise_id: int, issue_code_id: str, campaign: Campaign) -> Finding | None:
    """The latest finding with the same code at the same enterprise in an earlier campaign."""
    return (
        Finding.objects.filter(
            enterprise_id=enterprise_id,
            issue_code_id=issue_code_id,
            campaign__starts_on__lt=campaign.starts_on,
        )
        .exclude(status=FindingStatus.WITHDRAWN)
        .order_by("-created_at")
        .first()
    )
