"""
What waits for one officer, read through each app's own selectors (so the
scoping of every list is the app's, never redone here). Each list is cut to
a few rows and counted once: the number of queries does not grow with the
data.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from cases.models import CaseStatus
from cases.selectors import case_list
from core.notifications import notification_list
from inspections.models import FindingStatus, Inspection, SampledItem, SelectionPlan
from inspections.selectors import (
    RUNNING,
    campaign_list_with_progress,
    finding_list,
    inspection_list,
    plan_list,
)
from rectification.models import ExtensionStatus, ReportResponse, ReportStatus
from rectification.selectors import extension_list, overdue_findings, report_list
from reports.notices.models import Notice, NoticeStatus
from reports.notices.selectors import notice_list

ROWS = 8
OPEN_INSPECTION = (Inspection.Status.PLANNED, Inspection.Status.DUE, Inspection.Status.IN_PROGRESS)
SAMPLING = (Inspection.Status.DUE, Inspection.Status.IN_PROGRESS)


@dataclass
class Queue:
    """A few rows of one kind of waiting work and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def _queue(queryset: QuerySet, rows: int = ROWS) -> Queue:
    items = list(queryset[:rows])
    total = len(items) if len(items) < rows else queryset.order_by().count()
    return Queue(items, total)


@dataclass
class Week:
    today: datetime.date
    start: datetime.date
    end: datetime.date = field(init=False)

    def __post_init__(self) -> None:
        self.end = self.start + datetime.timedelta(days=6)


def this_week(today: datetime.date | None = None) -> Week:
    today = today or timezone.localdate()
    return Week(today=today, start=today - datetime.timedelta(days=today.weekday()))


def supervisor_work(*, viewer: User) -> dict:
    """
    Approvals waiting (plans drawn, notices submitted, extension requests,
    cases proposed for filing, rectification reports), overdue findings and
    the progress of the active campaigns, each most urgent first.
    """
    progress = campaign_list_with_progress(viewer=viewer)
    return {
        "plans": _queue(plan_list(viewer=viewer).filter(status=SelectionPlan.Status.DRAWN)
                        .select_related("drawn_by").order_by("drawn_at", "pk")),
        "notices": _queue(notice_list(viewer=viewer, filters={"status": NoticeStatus.SUBMITTED})
                          .order_by("submitted_at", "pk")),
        "extensions": _queue(extension_list(viewer=viewer, filters={"status": ExtensionStatus.PENDING})
                             .order_by("finding__deadline", "created_at", "pk")),
        "cases": _queue(case_list(viewer=viewer, filters={"status": CaseStatus.PROPOSED})
                        .order_by("created_at", "pk")),
        "reports": _queue(report_list(viewer=viewer, filters={"status": ReportStatus.SUBMITTED})),
        "overdue": _queue(overdue_findings(viewer=viewer).select_related("enterprise", "issue_code")),
        "campaigns": [c for c in progress["campaigns"] if c.status == c.Status.ACTIVE],
        "as_of": progress["as_of"],
    }


def inspector_work(*, viewer: User, today: datetime.date | None = None) -> dict:
    """
    The officer's own inspections of this week (and any still open from
    before), samples whose checks are not finished, rectification reports
    answering their findings, their findings' deadlines this week and their
    notices in progress.
    """
    week = this_week(today)
    mine = inspection_list(viewer=viewer).filter(officers=viewer)
    return {
        "week": week,
        "inspections": _queue(
            mine.filter(status__in=OPEN_INSPECTION, planned_date__lte=week.end)
            .order_by("planned_date", "pk"), rows=15),
        "samples": _queue(
            SampledItem.objects.filter(inspection__in=mine.filter(status__in=SAMPLING),
                                       checks_completed_at__isnull=True)
            .select_related("inspection__enterprise").order_by("captured_at", "pk")),
        "reports": _queue(
            report_list(viewer=viewer, filters={"status": ReportStatus.SUBMITTED})
            .filter(pk__in=ReportResponse.objects.filter(finding__inspection__officers=viewer)
                    .values("report_id"))),
        "deadlines": _queue(
            finding_list(viewer=viewer)
            .filter(inspection__officers=viewer, status__in=RUNNING,
                    deadline__range=(week.today, week.end))
            .order_by("deadline", "pk")),
        "overdue": _queue(
            finding_list(viewer=viewer)
            .filter(inspection__officers=viewer,
                    status__in=(FindingStatus.OVERDUE, FindingStatus.ESCALATED))
            .order_by("deadline", "pk")),
        "to_notify": _queue(findings_awaiting_notice(viewer=viewer)),
        "notices": _queue(
            notice_list(viewer=viewer).filter(created_by=viewer,
                                              status__in=(NoticeStatus.DRAFT, NoticeStatus.SUBMITTED))
            .order_by("status", "-updated_at", "pk")),
    }


def findings_awaiting_notice(*, viewer: User) -> QuerySet:
    """
    The officer's finished inspections whose open findings no notice covers
    yet, one row per inspection (campaign, enterprise, how many), oldest
    first: each is a notice to draft.
    """
    covered = Notice.findings.through.objects.filter(finding_id=OuterRef("pk"))
    return (
        finding_list(viewer=viewer)
        .filter(inspection__officers=viewer, status=FindingStatus.OPEN,
                inspection__status__in=(Inspection.Status.COMPLETED, Inspection.Status.CLOSED))
        .exclude(Exists(covered))
        .values("inspection_id", "campaign_id", "enterprise_id", "enterprise__name",
                "inspection__planned_date")
        .annotate(n=Count("pk"))
        .order_by("inspection__planned_date", "inspection_id")
    )


def unread_notifications(*, viewer: User) -> Queue:
    return _queue(notification_list(viewer=viewer).filter(read_at__isnull=True)
                  .order_by("-created_at", "-pk"), rows=5)
