"""
Reads of self-inspections, scoped to the viewer: staff by campaign (an
inspector sees the campaigns of their team), an enterprise user its own
reports only; a foreign object is 404. Rates are aggregated in the database.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import STAFF_ROLES, Role, User
from core.pagination import count_of
from inspections.models import FindingStatus, IssueCode
from inspections.selectors import scope_to_campaigns

from .models import (
    DECLARED,
    EDITABLE,
    Answer,
    Contradiction,
    ReportStatus,
    SelfInspection,
    SelfReport,
    SelfReportEvidence,
    SelfReportItem,
)


def _is_staff(viewer: User) -> bool:
    return bool(viewer.is_authenticated and viewer.role in STAFF_ROLES)


def _own_enterprise(viewer: User) -> int | None:
    if viewer.is_authenticated and viewer.role == Role.ENTERPRISE and viewer.enterprise_id:
        return viewer.enterprise_id
    return None


def selfinspection_list(*, viewer: User, campaign_id: int | None = None) -> QuerySet[SelfInspection]:
    """Self-inspections of the campaigns the viewer sees, with their counts."""
    queryset = scope_to_campaigns(SelfInspection.objects.select_related("campaign", "launched_by"),
                                  viewer)
    if campaign_id is not None:
        queryset = queryset.filter(campaign_id=campaign_id)
    return queryset.annotate(
        n_reports=Count("reports"),
        n_submitted=Count("reports", filter=Q(reports__status__in=DECLARED)),
    )


def selfinspection_get(*, viewer: User, pk: int) -> SelfInspection:
    return get_object_or_404(scope_to_campaigns(
        SelfInspection.objects.select_related("campaign", "launched_by"), viewer), pk=pk)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def selfinspection_figures(*, self_inspection: SelfInspection) -> dict:
    """
    Submission and declared-compliance rates of one self-inspection, overall
    and per checklist code, counted in the database (flat in the number of
    enterprises). Declarations count once a report has been submitted;
    "not applicable" is left out of the compliance rate.
    """
    today = timezone.localdate()
    reports = self_inspection.reports.order_by()
    by_status = dict(reports.values("status").annotate(n=Count("id")).values_list("status", "n"))
    total = sum(by_status.values())
    submitted = sum(by_status.get(s, 0) for s in DECLARED)
    overdue = reports.filter(status__in=EDITABLE, due_date__lt=today).count()
    items = SelfReportItem.objects.filter(report__self_inspection=self_inspection,
                                          report__status__in=DECLARED).order_by()
    answer_counts = {
        "compliant": Count("id", filter=Q(answer=Answer.COMPLIANT)),
        "noncompliant": Count("id", filter=Q(answer=Answer.NONCOMPLIANT)),
        "not_applicable": Count("id", filter=Q(answer=Answer.NOT_APPLICABLE)),
        "contradicted": Count("contradictions__item_id", distinct=True),
    }
    overall = items.aggregate(**answer_counts)
    titles = {c.code: c.title for c in IssueCode.objects.all()}
    per_code = []
    for values in items.values("issue_code_id").annotate(**answer_counts).order_by("issue_code_id"):
        row: dict = dict(values)
        answered = row["compliant"] + row["noncompliant"]
        per_code.append({**row, "title": titles.get(row["issue_code_id"], ""),
                         "rate": _rate(row["compliant"], answered)})
    answered = overall["compliant"] + overall["noncompliant"]
    return {
        "total": total,
        "by_status": [{"status": s, "label": label, "n": by_status.get(s, 0)}
                      for s, label in ReportStatus.choices],
        "submitted": submitted,
        "submission_rate": _rate(submitted, total),
        "overdue": overdue,
        "overall": overall,
        "compliance_rate": _rate(overall["compliant"], answered),
        "per_code": per_code,
    }


def selfinspection_reports(*, self_inspection: SelfInspection, status: str = "",
                           overdue: bool = False) -> QuerySet[SelfReport]:
    """The enterprises' reports of one self-inspection, with their answer counts."""
    queryset = self_inspection.reports.select_related("enterprise")
    if status in ReportStatus.values:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(status__in=EDITABLE, due_date__lt=timezone.localdate())
    # Correlated counts, evaluated for the rows of the page only.
    return queryset.annotate(
        n_noncompliant=count_of(SelfReportItem.objects.filter(answer=Answer.NONCOMPLIANT),
                                link="report"),
        n_contradictions=count_of(Contradiction.objects.all(), link="item__report"),
    ).order_by("enterprise__name", "pk")


def report_list(*, viewer: User) -> QuerySet[SelfReport]:
    """Staff: reports of the campaigns they see; an enterprise user: its own."""
    queryset = SelfReport.objects.select_related("self_inspection", "self_inspection__campaign",
                                                 "enterprise")
    enterprise_id = _own_enterprise(viewer)
    if enterprise_id is not None:
        return queryset.filter(enterprise_id=enterprise_id)
    if _is_staff(viewer):
        return scope_to_campaigns(queryset, viewer, field="self_inspection__campaign")
    return queryset.none()


def report_get(*, viewer: User, pk: int) -> SelfReport:
    """One report with its checklist, evidence and contradictions, or 404."""
    items = (SelfReportItem.objects.select_related("issue_code")
             .prefetch_related("evidence", Prefetch(
                 "contradictions", queryset=Contradiction.objects.select_related(
                     "finding", "finding__inspection"))))
    return get_object_or_404(report_list(viewer=viewer).prefetch_related(
        Prefetch("items", queryset=items)), pk=pk)


def evidence_get(*, viewer: User, pk: int) -> SelfReportEvidence:
    queryset = SelfReportEvidence.objects.select_related("item__report")
    enterprise_id = _own_enterprise(viewer)
    if enterprise_id is not None:
        return get_object_or_404(queryset, pk=pk, item__report__enterprise_id=enterprise_id)
    if _is_staff(viewer):
        return get_object_or_404(scope_to_campaigns(
            queryset, viewer, field="item__report__self_inspection__campaign"), pk=pk)
    return get_object_or_404(queryset.none(), pk=pk)


def portal_open_reports(*, viewer: User) -> QuerySet[SelfReport]:
    """The enterprise's self-inspections still to be (re)submitted, soonest due first."""
    return report_list(viewer=viewer).filter(status__in=EDITABLE).order_by("due_date", "pk")


def contradictions_for_finding(*, viewer: User, finding_id: int) -> QuerySet[Contradiction]:
    """Staff only: the self-inspection declarations a finding contradicts."""
    if not _is_staff(viewer):
        return Contradiction.objects.none()
    return (scope_to_campaigns(Contradiction.objects.filter(finding_id=finding_id), viewer,
                               field="finding__campaign")
            .exclude(finding__status=FindingStatus.WITHDRAWN)
            .select_related("item__report__self_inspection", "item__issue_code"))


def contradictions_for_enterprise(*, viewer: User, enterprise_id: int) -> QuerySet[Contradiction]:
    """Staff only: an enterprise's contradictions, newest first (findings not withdrawn)."""
    if not _is_staff(viewer):
        return Contradiction.objects.none()
    return (scope_to_campaigns(Contradiction.objects.filter(enterprise_id=enterprise_id), viewer,
                               field="finding__campaign")
            .exclude(finding__status=FindingStatus.WITHDRAWN)
            .select_related("item__report__self_inspection", "finding", "item__issue_code"))
