"""
Reads of the rectification loop, scoped to the viewer. Staff see the
records of the campaigns they see (an inspector: the campaigns assigned); an
enterprise user only its own enterprise's; anyone else nothing.
Views, downloads and the timeline read through these functions only.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import STAFF_ROLES, Role, User
from core.access import scope_to_enterprise
from core.filters import apply_filters
from core.pagination import count_of
from core.timeline import TIMELINE_SOURCES, TimelineEntry
from core.tones import tone
from inspections.models import CLOSED_STATUSES, Finding
from inspections.selectors import finding_list, scope_to_campaigns, sees_every_campaign
from inspections.workdays import working_days_between

from .filters import ExtensionFilter, ReportFilter
from .models import (
    Decision,
    Escalation,
    ExtensionRequest,
    ExtensionStatus,
    RectificationReport,
    ReportEvidence,
    ReportResponse,
    ReportStatus,
)


def _scoped(queryset: QuerySet, viewer: User, *, enterprise: str, campaign: str) -> QuerySet:
    """Staff: rows of the campaigns they see (through `campaign`); enterprise users: their own."""
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        return scope_to_campaigns(queryset, viewer, field=campaign)
    return scope_to_enterprise(queryset, viewer, field=enterprise)


def _reports_scoped(queryset: QuerySet, viewer: User) -> QuerySet:
    """
    A report answers findings, which belong to campaigns: an inspector sees
    the reports that answer at least one finding of a campaign assigned.
    """
    if viewer.is_authenticated and viewer.role in STAFF_ROLES and not sees_every_campaign(viewer):
        answered = scope_to_campaigns(ReportResponse.objects.all(), viewer, field="finding__campaign")
        return queryset.filter(pk__in=answered.values("report_id"))
    return scope_to_enterprise(queryset, viewer)


def report_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[RectificationReport]:
    """
    Reports the viewer may see, newest first (submitted ones: the longest
    waiting first), narrowed by ReportFilter's parameters in `filters`
    (ValidationError for a bad value).
    """
    queryset = _reports_scoped(
        RectificationReport.objects.select_related("enterprise", "submitted_by", "reviewed_by"),
        viewer,
    ).annotate(
        n_responses=count_of(_responses_scoped(ReportResponse.objects.all(), viewer), link="report"),
        n_pending=count_of(_responses_scoped(ReportResponse.objects.filter(decision=Decision.PENDING), viewer),
                           link="report"),
    )
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        # Staff never see enterprise drafts: they are not filed yet.
        queryset = queryset.exclude(status=ReportStatus.DRAFT)
    return apply_filters(ReportFilter, data=filters, queryset=queryset, viewer=viewer)


def _responses_scoped(queryset: QuerySet, viewer: User) -> QuerySet:
    """An inspector sees the answers to findings of the campaigns assigned only."""
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        return scope_to_campaigns(queryset, viewer, field="finding__campaign")
    return queryset


def report_get(*, viewer: User, pk: int) -> RectificationReport:
    """One report with its responses (those the viewer may see), findings and evidence, or 404."""
    evidence = Prefetch("evidence", queryset=ReportEvidence.objects.order_by("uploaded_at", "id"))
    responses = Prefetch(
        "responses",
        queryset=_responses_scoped(ReportResponse.objects.select_related(
            "finding", "finding__issue_code", "finding__inspection", "decided_by",
            "reverification",
        ).prefetch_related(evidence, "finding__evidence_items", "finding__inspection__officers"), viewer),
    )
    queryset = report_list(viewer=viewer).select_related("previous").prefetch_related(responses)
    return get_object_or_404(queryset, pk=pk)


def report_versions(*, report: RectificationReport) -> list[RectificationReport]:
    """Every version of the report's chain, oldest first (a handful of rows)."""
    chain = [report]
    seen = {report.pk}
    current = report
    while current.previous_id and current.previous_id not in seen:
        current = RectificationReport.objects.get(pk=current.previous_id)
        chain.insert(0, current)
        seen.add(current.pk)
    following = RectificationReport.objects.filter(previous=report).first()
    while following and following.pk not in seen:
        chain.append(following)
        seen.add(following.pk)
        following = RectificationReport.objects.filter(previous=following).first()
    return chain


def response_get(*, viewer: User, pk: int) -> ReportResponse:
    queryset = _scoped(
        ReportResponse.objects.select_related("report", "finding", "finding__issue_code"),
        viewer, enterprise="report__enterprise_id", campaign="finding__campaign",
    )
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        queryset = queryset.exclude(report__status=ReportStatus.DRAFT)
    return get_object_or_404(queryset, pk=pk)


def evidence_get(*, viewer: User, pk: int) -> ReportEvidence:
    """An evidence file the viewer may download, or 404."""
    queryset = _scoped(
        ReportEvidence.objects.select_related("response__report"),
        viewer, enterprise="response__report__enterprise_id", campaign="response__finding__campaign",
    )
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        queryset = queryset.exclude(response__report__status=ReportStatus.DRAFT)
    return get_object_or_404(queryset, pk=pk)


def extension_list(*, viewer: User, filters: Mapping[str, Any] | None = None) -> QuerySet[ExtensionRequest]:
    """
    Extension requests the viewer may see, newest first (pending ones: the
    longest waiting first), narrowed by ExtensionFilter's parameters in
    `filters` (ValidationError for a bad value).
    """
    queryset = _scoped(
        ExtensionRequest.objects.select_related(
            "finding", "finding__issue_code", "enterprise", "requested_by", "decided_by"
        ),
        viewer, enterprise="enterprise", campaign="finding__campaign",
    )
    return apply_filters(ExtensionFilter, data=filters, queryset=queryset, viewer=viewer)


def extension_get(*, viewer: User, pk: int) -> ExtensionRequest:
    return get_object_or_404(extension_list(viewer=viewer), pk=pk)


def escalation_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Escalation]:
    filters = filters or {}
    escalations = Escalation.objects.select_related("enterprise", "finding", "finding__issue_code",
                                                    "recorded_by")
    queryset = _scoped(escalations, viewer, enterprise="enterprise", campaign="finding__campaign")
    if viewer.is_authenticated and viewer.role in STAFF_ROLES and not sees_every_campaign(viewer):
        # A step against the whole enterprise belongs to no campaign: every
        # inspector may see it.
        queryset = queryset | escalations.filter(finding__isnull=True)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("enterprise"):
        queryset = queryset.filter(enterprise_id=filters["enterprise"])
    return queryset


def escalation_get(*, viewer: User, pk: int) -> Escalation:
    return get_object_or_404(escalation_list(viewer=viewer), pk=pk)


def overdue_findings(*, viewer: User) -> QuerySet[Finding]:
    """Findings past their deadline, with their highest step so far, for the ladder page."""
    return (
        finding_list(viewer=viewer)
        .filter(status__in=("overdue", "escalated"))
        # Correlated counts, evaluated only for the rows shown; the order is
        # served by the partial index finding_overdue_ladder_idx.
        .annotate(
            n_reminders=count_of(Escalation.objects.filter(kind="reminder"), link="finding"),
            n_interviews=count_of(Escalation.objects.filter(kind="interview"), link="finding"),
            n_warnings=count_of(Escalation.objects.filter(kind="warning"), link="finding"),
            n_referrals=count_of(Escalation.objects.filter(kind="penalty_referral"),
                                 link="finding"),
        )
        .order_by("deadline", "pk")
    )


# --- portal -----------------------------------------------------------------


@dataclass
class PortalCase:
    finding: Finding
    working_days_left: int
    pending_extension: ExtensionRequest | None

    @property
    def days_overdue(self) -> int:
        return max(0, -self.working_days_left)


def portal_findings(*, viewer: User, today: datetime.date | None = None) -> tuple[list, QuerySet]:
    """
    The enterprise's open findings with working days left (ascending) and its
    closed findings. finding_list already hides open internal drafts.
    """
    today = today or timezone.localdate()
    visible = finding_list(viewer=viewer)
    pending = Prefetch(
        "extension_requests",
        queryset=ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING),
        to_attr="pending_extensions",
    )
    open_rows = list(
        visible.exclude(status__in=CLOSED_STATUSES).prefetch_related(pending)
        .order_by("deadline", "pk")
    )
    cases = [
        PortalCase(f, working_days_between(today, f.deadline),
                   f.pending_extensions[0] if f.pending_extensions else None)
        for f in open_rows
    ]
    closed = visible.filter(status__in=CLOSED_STATUSES).order_by("-closed_at", "-pk")
    return cases, closed


# --- timeline ---------------------------------------------------------------


def enterprise_timeline(*, viewer: User, enterprise_id: int, limit: int = 60) -> list[TimelineEntry]:
    """
    Escalation steps, notices, report versions and extension requests of one
    enterprise, newest first. Enterprise users see only their own, and no
    internal notes.
    """
    from django.urls import reverse
    from django.utils.translation import gettext as _

    staff = viewer.is_authenticated and viewer.role in STAFF_ROLES
    own = viewer.is_authenticated and viewer.role == Role.ENTERPRISE and \
        viewer.enterprise_id == enterprise_id
    if not (staff or own):
        return []
    prefix = "rectification" if staff else "portal"
    entries: list[TimelineEntry] = []
    tz = timezone.get_current_timezone()

    def day(d: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(d, datetime.time(12), tzinfo=tz)

    # Each list is read through its scoped selector, narrowed to the columns
    # an entry shows (the selectors join the people and codes their pages
    # show: a third to a half of the timeline's CPU on the portal home).
    escalations = (escalation_list(viewer=viewer, filters={"enterprise": enterprise_id})
                   .select_related(None).select_related("finding")
                   .only("occurred_on", "case_number", "kind", "finding__issue_code"))
    for e in escalations[:limit]:
        detail = e.finding.issue_code_id if e.finding else _("Whole enterprise")
        if e.case_number:
            detail += " · " + _("case %(n)s") % {"n": e.case_number}
        entries.append(TimelineEntry(
            day(e.occurred_on), "escalation", e.get_kind_display(), detail,
            reverse("rectification:escalation_detail", args=[e.pk]) if staff else "",
            tone(e.kind),
        ))
    reports = (report_list(viewer=viewer, filters={"enterprise": enterprise_id})
               .exclude(status=ReportStatus.DRAFT)
               .select_related(None).only("submitted_at", "created_at", "version", "status"))[:limit]
    for r in reports:
        entries.append(TimelineEntry(
            r.submitted_at or r.created_at, "report",
            _("Rectification report v%(v)s") % {"v": r.version}, r.get_status_display(),
            reverse(f"{prefix}:report_detail", args=[r.pk]),
            tone(r.status),
        ))
    extensions = (extension_list(viewer=viewer).filter(enterprise_id=enterprise_id)
                  .select_related(None).select_related("finding")
                  .only("created_at", "requested_deadline", "status", "finding__issue_code"))
    for x in extensions[:limit]:
        entries.append(TimelineEntry(
            x.created_at, "extension",
            _("Extension request to %(date)s") % {"date": x.requested_deadline.isoformat()},
            f"{x.finding.issue_code_id} · {x.get_status_display()}",
            reverse("rectification:extension_detail", args=[x.pk]) if staff
            else reverse("portal:finding_detail", args=[x.finding_id]),
            tone(x.status),
        ))
    # Notices live in the reports app, above this one: it registers a source
    # (core.timeline) that reads them through its own scoped selectors.
    for source in TIMELINE_SOURCES:
        entries.extend(source(viewer=viewer, enterprise_id=enterprise_id, limit=limit))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
