"""
Reads for the analytics dashboards: the database aggregates (GROUP BY over
findings, or over the violation roll-up for sampled items) and each selector
returns a small DataFrame; `reports.analytics.stats` computes the statistics.

Analytics are internal: every selector is scoped through the inspections
selectors (`scope_to_campaigns`: an inspector sees the campaigns assigned,
other staff all) or `core.access.is_staff_user`, so an enterprise user gets
empty results even if a view forgot its decorator.
"""

import datetime

import pandas as pd
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from core.access import is_staff_user, scope_to_enterprise
from enterprises.models import ROLE_FIELDS, Enterprise
from inspections import workdays
from inspections.models import (
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    IssueCode,
    ItemCheck,
    SampledItem,
)
from inspections.selectors import (
    campaign_list,
    finding_list,
    inspection_list,
    origin_breakdown,
    scope_to_campaigns,
)

from .filters import AnalyticsFilters, _local_midnight, _next_month, default_period, month_start  # noqa: F401 (read here too)
from .models import (
    FindingDueRollup,
    FindingRollup,
    InspectionRollup,
    RectificationRollup,
    RepeatRollup,
    RollupState,
    ViolationRollup,
)

VIOLATION_ROLLUP = "violations"
FINDINGS_ROLLUP = "findings"
# Dimensions a violation-rate chart can be broken down by.
VIOLATION_DIMENSIONS = ("role", "district", "modality", "category")


def _month_frame(rows, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    if "month" in frame and not frame.empty:
        # TruncMonth returns aware datetimes; charts work with naive months.
        frame["month"] = pd.to_datetime(
            [m.date() if isinstance(m, datetime.datetime) else m for m in frame["month"]]
        )
    elif "month" in frame:
        frame["month"] = pd.to_datetime(frame["month"])
    return frame


# --- findings --------------------------------------------------------------

def _filtered_findings(viewer: User, filters: AnalyticsFilters) -> QuerySet[Finding]:
    """Findings the viewer may analyse, narrowed by the common filters."""
    queryset = finding_list(viewer=viewer) if is_staff_user(viewer) else Finding.objects.none()
    queryset = queryset.exclude(status=FindingStatus.WITHDRAWN)
    if filters.campaign_id:
        queryset = queryset.filter(campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{f"enterprise__{ROLE_FIELDS[filters.role]}": True})
    if filters.district:
        queryset = queryset.filter(enterprise__district=filters.district)
    if filters.modality:
        evidence = Finding.evidence_items.through.objects.filter(
            finding_id=OuterRef("pk"), sampleditem__modality=filters.modality
        )
        queryset = queryset.filter(Exists(evidence))
    return queryset


def findings_in_period(viewer: User, filters: AnalyticsFilters) -> QuerySet[Finding]:
    """Findings recorded in the period (the base of counts and drill-downs)."""
    return _filtered_findings(viewer, filters).filter(
        created_at__gte=filters.start_at, created_at__lt=filters.end_at
    )


def findings_monthly(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """Findings and repeat findings per month of recording."""
    rows = (
        findings_in_period(viewer, filters)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(findings=Count("id"), n_repeats=Count("id", filter=Q(is_repeat=True)))
        .order_by("month")
        .values_list("month", "findings", "n_repeats")
    )
    return _month_frame(rows, ["month", "findings", "repeats"])


def findings_by_code_monthly(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """Findings per month and issue code (a few hundred rows at most)."""
    rows = (
        findings_in_period(viewer, filters)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "issue_code_id")
        .annotate(findings=Count("id"))
        .order_by("month", "issue_code_id")
        .values_list("month", "issue_code_id", "findings")
    )
    return _month_frame(rows, ["month", "issue_code", "findings"])


def _on_time_q() -> Q:
    """Closed by the deadline: the exact moment for hour-based periods, else the day."""
    return Q(status=FindingStatus.ACCEPTED) & (
        Q(deadline_at__isnull=False, closed_at__lte=F("deadline_at"))
        | Q(deadline_at__isnull=True, closed_day__lte=F("deadline"))
    )


def _due_q(today: datetime.date) -> Q:
    """Findings that can be judged: closed, or past their deadline while open."""
    return Q(status=FindingStatus.ACCEPTED) | Q(deadline__lt=today)


def findings_due_in_period(viewer: User, filters: AnalyticsFilters, today=None) -> QuerySet[Finding]:
    """Findings whose deadline falls in the period and that can be judged."""
    today = today or timezone.localdate()
    return (
        _filtered_findings(viewer, filters)
        .filter(deadline__gte=filters.start, deadline__lt=_next_month(filters.end))
        .filter(_due_q(today))
        .annotate(closed_day=TruncDate("closed_at"))
    )


def on_time_counts(*, viewer: User, filters: AnalyticsFilters, by: str = "month") -> pd.DataFrame:
    """
    Due and on-time findings per deadline month (by="month") or per
    severity. A finding still open after its deadline counts as late.
    """
    queryset = findings_due_in_period(viewer, filters)
    if by == "month":
        queryset = queryset.annotate(month=TruncMonth("deadline", output_field=DateField()))
        key = "month"
    else:
        key = "severity"
    rows = (
        queryset.values(key)
        .annotate(due=Count("id"), on_time=Count("id", filter=_on_time_q()))
        .order_by(key)
        .values_list(key, "due", "on_time")
    )
    return _month_frame(rows, [key, "due", "on_time"])


def rectification_durations(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """
    Accepted findings closed in the period, grouped by (severity, start day,
    closing day) with their count. The clock starts when the enterprise was
    notified (or, lacking a notice date, when the finding was recorded).
    """
    rows = (
        _filtered_findings(viewer, filters)
        .filter(
            status=FindingStatus.ACCEPTED,
            closed_at__gte=filters.start_at,
            closed_at__lt=filters.end_at,
        )
        .annotate(
            start=TruncDate(Coalesce("notified_at", "created_at")),
            end=TruncDate("closed_at"),
        )
        .values("severity", "start", "end")
        .annotate(n=Count("id"))
        .order_by("severity", "start", "end")
        .values_list("severity", "start", "end", "n")
    )
    return pd.DataFrame.from_records(list(rows), columns=["severity", "start", "end", "n"])


def calendar_exceptions() -> tuple[list[datetime.date], list[datetime.date]]:
    """
    (weekday holidays, weekend make-up working days) from the official
    calendar, for `reports.analytics.stats.working_days`.
    """
    snapshot = workdays.calendar_snapshot()
    holidays = [d for d, work in snapshot.exceptions.items() if not work and d.weekday() < 5]
    makeup = [d for d, work in snapshot.exceptions.items() if work and d.weekday() >= 5]
    # The years after the known ones count as the workdays module estimates
    # them: the fixed statutory holidays (a few years ahead is enough here).
    last = max(snapshot.known_years, default=timezone.localdate().year - 1)
    for year in range(last + 1, last + 4):
        holidays += [d for d in workdays.statutory_holidays(year) if d.weekday() < 5]
    return sorted(holidays), sorted(makeup)


def repeat_offenders(*, viewer: User, filters: AnalyticsFilters, limit: int = 25) -> pd.DataFrame:
    """
    Enterprises with repeat findings (same code again after an earlier
    campaign) recorded in the period, most repeats first.
    """
    rows = (
        findings_in_period(viewer, filters)
        .filter(is_repeat=True)
        .values("enterprise_id", "enterprise__name", "enterprise__district")
        .annotate(
            n_repeats=Count("id"),
            codes=Count("issue_code_id", distinct=True),
            last_at=Max("created_at"),
        )
        .order_by("-n_repeats", "-codes", "enterprise__name")[:limit]
        .values_list(
            "enterprise_id", "enterprise__name", "enterprise__district", "n_repeats", "codes", "last_at"
        )
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["enterprise_id", "enterprise", "district", "repeats", "codes", "last_at"]
    )


def campaign_findings(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """Per campaign: findings, repeats, due and on-time (whole campaigns)."""
    today = timezone.localdate()
    rows = (
        _filtered_findings(viewer, filters)
        .annotate(closed_day=TruncDate("closed_at"))
        .values("campaign_id")
        .annotate(
            findings=Count("id"),
            n_repeats=Count("id", filter=Q(is_repeat=True)),
            due=Count("id", filter=_due_q(today)),
            on_time=Count("id", filter=_due_q(today) & _on_time_q()),
        )
        .order_by("campaign_id")
        .values_list("campaign_id", "findings", "n_repeats", "due", "on_time")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["campaign_id", "findings", "repeats", "due", "on_time"]
    )


def campaign_inspections(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """Per campaign: inspections and enterprises inspected."""
    queryset = inspection_list(viewer=viewer)
    if filters.campaign_id:
        queryset = queryset.filter(campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{f"enterprise__{ROLE_FIELDS[filters.role]}": True})
    if filters.district:
        queryset = queryset.filter(enterprise__district=filters.district)
    rows = (
        queryset.values("campaign_id")
        .annotate(inspections=Count("id"), enterprises=Count("enterprise_id", distinct=True))
        .order_by("campaign_id")
        .values_list("campaign_id", "inspections", "enterprises")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["campaign_id", "inspections", "enterprises"]
    )


def origin_counts(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """
    Inspections planned in the period and findings recorded in it, by origin
    (random draw, targeted by basis, re-verification), in two grouped queries.
    """
    queryset = inspection_list(viewer=viewer) if is_staff_user(viewer) else Inspection.objects.none()
    queryset = queryset.filter(planned_date__gte=filters.start, planned_date__lt=filters.end_at.date())
    if filters.campaign_id:
        queryset = queryset.filter(campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{f"enterprise__{ROLE_FIELDS[filters.role]}": True})
    if filters.district:
        queryset = queryset.filter(enterprise__district=filters.district)
    rows = origin_breakdown(inspections=queryset, findings=findings_in_period(viewer, filters))
    return pd.DataFrame.from_records(
        [(r["origin"], r["basis"], str(r["label"]), r["total"], r["done"], r["findings"]) for r in rows],
        columns=["origin", "basis", "label", "inspections", "completed", "findings"])


def campaigns(*, viewer: User) -> pd.DataFrame:
    """Campaigns the viewer may see, oldest first (for comparisons)."""
    rows = campaign_list(viewer=viewer).order_by("starts_on", "id").values_list(
        "id", "name", "code", "starts_on"
    )
    return pd.DataFrame.from_records(list(rows), columns=["campaign_id", "campaign", "code", "starts_on"])


def issue_codes() -> pd.DataFrame:
    """The taxonomy (tens of rows): code, category and both titles."""
    rows = IssueCode.objects.order_by("code").values_list("code", "category", "title_zh", "title_en")
    return pd.DataFrame.from_records(list(rows), columns=["issue_code", "category", "title_zh", "title_en"])


# --- sampled items (violation roll-up) -------------------------------------

def _rollup_rows(viewer: User, filters: AnalyticsFilters) -> QuerySet[ViolationRollup]:
    queryset = scope_to_campaigns(ViolationRollup.objects.all(), viewer).filter(
        month__gte=filters.start, month__lte=filters.end
    )
    if filters.campaign_id:
        queryset = queryset.filter(campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{ROLE_FIELDS[filters.role]: True})
    if filters.district:
        queryset = queryset.filter(district=filters.district)
    if filters.modality:
        queryset = queryset.filter(modality=filters.modality)
    return queryset


def violation_monthly(*, viewer: User, filters: AnalyticsFilters, by: str | None = None) -> pd.DataFrame:
    """
    Sampled items checked and failing per capture month, overall or broken
    down by role, district, modality or issue category. Columns: month,
    [by,] checked, failed.
    """
    queryset = _rollup_rows(viewer, filters)
    if by == "category":
        queryset = queryset.exclude(category="")
    else:
        queryset = queryset.filter(category="")
    if by == "role":
        sums = {}
        for role, flag in ROLE_FIELDS.items():
            sums[f"{role}__checked"] = Coalesce(Sum("checked", filter=Q(**{flag: True})), 0)
            sums[f"{role}__failed"] = Coalesce(Sum("failed", filter=Q(**{flag: True})), 0)
        rows = queryset.values("month").annotate(**sums).order_by("month").values_list("month", *sums)
        frame = _month_frame(rows, ["month", *sums])
        from .stats import melt_roles

        long = melt_roles(frame, [str(role) for role in ROLE_FIELDS])
        return long[long["checked"] > 0].reset_index(drop=True)
    keys = ["month"] + ([by] if by else [])
    rows = (
        queryset.values(*keys)
        .annotate(checked=Sum("checked"), failed=Sum("failed"))
        .order_by(*keys)
        .values_list(*keys, "checked", "failed")
    )
    return _month_frame(rows, [*keys, "checked", "failed"])


def violation_by_campaign(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """Items checked and failing per campaign over the whole roll-up."""
    campaign_filters = AnalyticsFilters(
        start=datetime.date(1970, 1, 1), end=datetime.date(9999, 12, 1),
        campaign_id=filters.campaign_id, role=filters.role,
        district=filters.district, modality=filters.modality,
    )
    rows = (
        _rollup_rows(viewer, campaign_filters)
        .filter(category="")
        .values("campaign_id")
        .annotate(checked=Sum("checked"), failed=Sum("failed"))
        .order_by("campaign_id")
        .values_list("campaign_id", "checked", "failed")
    )
    return pd.DataFrame.from_records(list(rows), columns=["campaign_id", "checked", "failed"])


def rollup_state(name: str = VIOLATION_ROLLUP) -> RollupState | None:
    return RollupState.objects.filter(name=name).first()


def items_in_period(viewer: User, filters: AnalyticsFilters) -> QuerySet[SampledItem]:
    """
    Sampled items behind a violation chart point: captured in the period,
    with the common filters, and (with extra["failing"]) failing at least
    one check, of extra["category"] when given.
    """
    queryset = scope_to_campaigns(SampledItem.objects.all(), viewer, field="inspection__campaign").filter(
        captured_at__gte=filters.start_at, captured_at__lt=filters.end_at
    ).select_related("inspection__enterprise", "inspection__campaign")
    if filters.campaign_id:
        queryset = queryset.filter(inspection__campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{f"inspection__enterprise__{ROLE_FIELDS[filters.role]}": True})
    if filters.district:
        queryset = queryset.filter(inspection__enterprise__district=filters.district)
    if filters.modality:
        queryset = queryset.filter(modality=filters.modality)
    checks = ItemCheck.objects.filter(item_id=OuterRef("pk"))
    category = filters.extra.get("category")
    if category:
        checks = checks.filter(issue_code__category=category)
    if filters.extra.get("failing"):
        queryset = queryset.filter(Exists(checks.filter(result=CheckResult.FAIL)))
    else:
        queryset = queryset.filter(Exists(checks.exclude(result=CheckResult.NOT_APPLICABLE)))
    return queryset.order_by("-captured_at", "-id")


def drill_findings(viewer: User, filters: AnalyticsFilters, *, basis: str = "created") -> QuerySet[Finding]:
    """
    Findings behind a findings chart point: recorded in the period
    (basis="created"), due in it (basis="due"), or closed in it
    (basis="closed"), narrowed by extra keys severity, issue_code, category,
    campaign, enterprise, repeat and late.
    """
    extra = filters.extra
    if basis == "due":
        queryset = findings_due_in_period(viewer, filters)
        if extra.get("late"):
            queryset = queryset.exclude(_on_time_q())
    elif basis == "closed":
        queryset = _filtered_findings(viewer, filters).filter(
            status=FindingStatus.ACCEPTED,
            closed_at__gte=filters.start_at, closed_at__lt=filters.end_at,
        )
    else:
        queryset = findings_in_period(viewer, filters)
    if extra.get("severity"):
        queryset = queryset.filter(severity=extra["severity"])
    if extra.get("issue_code"):
        queryset = queryset.filter(issue_code_id=extra["issue_code"])
    if extra.get("category"):
        queryset = queryset.filter(issue_code__category=extra["category"])
    if extra.get("enterprise"):
        queryset = queryset.filter(enterprise_id=extra["enterprise"])
    if extra.get("repeat"):
        queryset = queryset.filter(is_repeat=True)
    return queryset.select_related("enterprise", "campaign", "issue_code").order_by(
        "-created_at", "-id"
    )


# --- findings (roll-ups) ----------------------------------------------------------
# The dashboards read these: the same figures as the live selectors above
# (which the drill-downs and scorecards keep using), summed from the
# findings roll-ups so that no page aggregates the findings table.

ALL_TIME = (datetime.date(1970, 1, 1), datetime.date(9999, 12, 1))


def _cube_rows(model, viewer: User, filters: AnalyticsFilters, *, period: bool = True) -> QuerySet:
    """Roll-up rows matching the chart filters: one modality slice, months in the period."""
    queryset = scope_to_campaigns(model.objects.all(), viewer).filter(modality=filters.modality or "")
    if period:
        queryset = queryset.filter(month__gte=month_start(filters.start),
                                   month__lte=month_start(filters.end))
    if filters.campaign_id:
        queryset = queryset.filter(campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{ROLE_FIELDS[filters.role]: True})
    if filters.district:
        queryset = queryset.filter(district=filters.district)
    return queryset


def rollup_findings_monthly(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """As `findings_monthly`, from the findings roll-up."""
    rows = (
        _cube_rows(FindingRollup, viewer, filters).values("month")
        .annotate(findings=Sum("findings"), repeats=Sum("repeats"))
        .order_by("month").values_list("month", "findings", "repeats")
    )
    return _month_frame(rows, ["month", "findings", "repeats"])


def rollup_findings_by_code_monthly(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """As `findings_by_code_monthly`, from the findings roll-up."""
    rows = (
        _cube_rows(FindingRollup, viewer, filters).values("month", "issue_code")
        .annotate(n=Sum("findings"))
        .order_by("month", "issue_code").values_list("month", "issue_code", "n")
    )
    return _month_frame(rows, ["month", "issue_code", "findings"])


def rollup_on_time_counts(*, viewer: User, filters: AnalyticsFilters, by: str = "month") -> pd.DataFrame:
    """As `on_time_counts` (due judged on the day of the last refresh)."""
    key = "month" if by == "month" else "severity"
    rows = (
        _cube_rows(FindingDueRollup, viewer, filters).values(key)
        .annotate(n_due=Sum("due"), n_on_time=Sum("on_time"))
        .order_by(key).values_list(key, "n_due", "n_on_time")
    )
    return _month_frame(rows, [key, "due", "on_time"])


def rollup_rectification_days(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """
    Accepted findings closed in the period per severity and working days
    to rectify (a histogram: a few hundred rows), for
    `reports.analytics.stats.rectification_times_from_days`.
    """
    rows = (
        _cube_rows(RectificationRollup, viewer, filters).values("severity", "working_days")
        .annotate(n=Sum("findings"))
        .order_by("severity", "working_days").values_list("severity", "working_days", "n")
    )
    return pd.DataFrame.from_records(list(rows), columns=["severity", "days", "n"])


def rollup_repeat_offenders(*, viewer: User, filters: AnalyticsFilters, limit: int = 25) -> pd.DataFrame:
    """As `repeat_offenders`, from the repeat roll-up."""
    rows = (
        _cube_rows(RepeatRollup, viewer, filters)
        .values("enterprise_id", "enterprise__name", "enterprise__district")
        .annotate(
            n_repeats=Sum("repeats"),
            codes=Count("issue_code", distinct=True),
            last=Max("last_at"),
        )
        .order_by("-n_repeats", "-codes", "enterprise__name")[:limit]
        .values_list("enterprise_id", "enterprise__name", "enterprise__district",
                     "n_repeats", "codes", "last")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["enterprise_id", "enterprise", "district", "repeats", "codes", "last_at"]
    )


def rollup_campaign_findings(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """As `campaign_findings` (whole campaigns), from the findings roll-ups."""
    found = (
        _cube_rows(FindingRollup, viewer, filters, period=False).values("campaign_id")
        .annotate(n=Sum("findings"), rep=Sum("repeats"))
        .order_by("campaign_id").values_list("campaign_id", "n", "rep")
    )
    due = (
        _cube_rows(FindingDueRollup, viewer, filters, period=False).values("campaign_id")
        .annotate(n_due=Sum("due"), ok=Sum("on_time"))
        .order_by("campaign_id").values_list("campaign_id", "n_due", "ok")
    )
    frame = pd.DataFrame.from_records(list(found), columns=["campaign_id", "findings", "repeats"])
    due_frame = pd.DataFrame.from_records(list(due), columns=["campaign_id", "due", "on_time"])
    frame = frame.merge(due_frame, on="campaign_id", how="outer").fillna(0)
    return frame.astype("int64").sort_values("campaign_id").reset_index(drop=True)[
        ["campaign_id", "findings", "repeats", "due", "on_time"]]


def rollup_campaign_inspections(*, viewer: User, filters: AnalyticsFilters) -> pd.DataFrame:
    """As `campaign_inspections` (whole campaigns), from the inspections roll-up."""
    queryset = scope_to_campaigns(InspectionRollup.objects.all(), viewer)
    if filters.campaign_id:
        queryset = queryset.filter(campaign_id=filters.campaign_id)
    if filters.role in ROLE_FIELDS:
        queryset = queryset.filter(**{ROLE_FIELDS[filters.role]: True})
    if filters.district:
        queryset = queryset.filter(district=filters.district)
    rows = (
        queryset.values("campaign_id")
        .annotate(n=Sum("inspections"), ents=Sum("enterprises"))
        .order_by("campaign_id").values_list("campaign_id", "n", "ents")
    )
    return pd.DataFrame.from_records(list(rows), columns=["campaign_id", "inspections", "enterprises"])


# --- one enterprise ---------------------------------------------------------

def scorecard_enterprise(*, viewer: User, pk: int) -> Enterprise:
    """The enterprise of a scorecard, if the viewer may see it; else 404."""
    if not is_staff_user(viewer):
        return get_object_or_404(Enterprise.objects.none(), pk=pk)
    return get_object_or_404(scope_to_enterprise(Enterprise.objects.all(), viewer, field="pk"), pk=pk)


def scorecard_counts(*, viewer: User, enterprise: Enterprise) -> dict:
    """Inspections and findings of one enterprise, by status, in two queries."""
    today = timezone.localdate()
    inspections = inspection_list(viewer=viewer).filter(enterprise=enterprise).aggregate(
        inspections=Count("id"),
        completed=Count("id", filter=Q(status__in=[Inspection.Status.COMPLETED, Inspection.Status.CLOSED])),
        last_date=Max("planned_date"),
    )
    findings = (
        finding_list(viewer=viewer)
        .filter(enterprise=enterprise)
        .exclude(status=FindingStatus.WITHDRAWN)
        .annotate(closed_day=TruncDate("closed_at"))
        .aggregate(
            findings=Count("id"),
            open=Count("id", filter=~Q(status=FindingStatus.ACCEPTED)),
            overdue=Count("id", filter=Q(status__in=[FindingStatus.OVERDUE, FindingStatus.ESCALATED])),
            repeats=Count("id", filter=Q(is_repeat=True)),
            high=Count("id", filter=Q(severity="high")),
            due=Count("id", filter=_due_q(today)),
            on_time=Count("id", filter=_due_q(today) & _on_time_q()),
        )
    )
    return {**inspections, **findings}


def scorecard_findings_by_category(*, viewer: User, enterprise: Enterprise) -> pd.DataFrame:
    rows = (
        finding_list(viewer=viewer)
        .filter(enterprise=enterprise)
        .exclude(status=FindingStatus.WITHDRAWN)
        .values("issue_code__category")
        .annotate(findings=Count("id"), open=Count("id", filter=~Q(status=FindingStatus.ACCEPTED)))
        .order_by("issue_code__category")
        .values_list("issue_code__category", "findings", "open")
    )
    return pd.DataFrame.from_records(list(rows), columns=["category", "findings", "open"])


def scorecard_violation_monthly(*, viewer: User, enterprise: Enterprise, months: int = 24) -> pd.DataFrame:
    """
    One enterprise's monthly violation rate, live from its item checks (a
    few hundred rows, through the inspection's enterprise index).
    """
    if not is_staff_user(viewer):
        return pd.DataFrame(columns=["month", "checked", "failed"])
    since = _local_midnight(
        (month_start(timezone.localdate()) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    )
    fails = ItemCheck.objects.filter(item_id=OuterRef("pk"), result=CheckResult.FAIL)
    checked = ItemCheck.objects.filter(item_id=OuterRef("pk")).exclude(result=CheckResult.NOT_APPLICABLE)
    rows = (
        scope_to_campaigns(SampledItem.objects.all(), viewer, field="inspection__campaign")
        .filter(inspection__enterprise=enterprise, captured_at__gte=since)
        .annotate(month=TruncMonth("captured_at"), has_fail=Exists(fails), has_check=Exists(checked))
        .values("month")
        .annotate(
            checked=Count("id", filter=Q(has_check=True)),
            failed=Count("id", filter=Q(has_fail=True)),
        )
        .order_by("month")
        .values_list("month", "checked", "failed")
    )
    frame = _month_frame(rows, ["month", "checked", "failed"])
    return frame[frame["checked"] > 0].reset_index(drop=True)


def scorecard_durations(*, viewer: User, enterprise: Enterprise) -> pd.DataFrame:
    rows = (
        finding_list(viewer=viewer)
        .filter(enterprise=enterprise, status=FindingStatus.ACCEPTED, closed_at__isnull=False)
        .annotate(
            start=TruncDate(Coalesce("notified_at", "created_at")),
            end=TruncDate("closed_at"),
        )
        .values("severity", "start", "end")
        .annotate(n=Count("id"))
        .order_by("severity", "start", "end")
        .values_list("severity", "start", "end", "n")
    )
    return pd.DataFrame.from_records(list(rows), columns=["severity", "start", "end", "n"])

