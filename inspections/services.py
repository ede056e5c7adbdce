"""
Business rules for inspections and findings. Every write goes through a
function here: it validates, writes in a transaction and records an audit
event.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, IllegalTransition

from . import lifecycle, workdays
from .models import (
    SEVERITY_RAISED,
    Campaign,
    Finding,
    FindingStatus,
    Inspection,
    IssueCode,
    PeriodUnit,
    SampledItem,
)

FINDING_AUDIT_FIELDS = [
    "status", "severity", "period", "period_unit", "deadline", "deadline_at",
    "deadline_change_reason", "is_repeat", "notified_at", "closed_at",
]


def compute_deadline(
    *, start: datetime.datetime, period: int, unit: str
) -> tuple[datetime.date, datetime.datetime | None, bool]:
    """
    Return (deadline date, exact deadline or None, estimated) for a period
    counted from `start`: working days on the official calendar, or clock
    hours for immediate orders (CNT, TMP).
    """
    if unit == PeriodUnit.HOURS:
        moment = start + datetime.timedelta(hours=period)
        return timezone.localdate(moment), moment, False
    result = workdays.add_working_days(timezone.localdate(start), period)
    return result.date, None, result.estimated


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


@transaction.atomic
def finding_create(
    *,
    inspection: Inspection,
    issue_code: IssueCode,
    actor,
    description: str,
    severity: str | None = None,
    period: int | None = None,
    change_reason: str = "",
    legal_basis: str | None = None,
    evidence_items: list[SampledItem] | tuple = (),
    start: datetime.datetime | None = None,
) -> Finding:
    """
    Record a finding. Severity, legal basis and deadline default from the
    issue code; a repeat (same code at the same enterprise in an earlier
    campaign) is raised one severity level. A non-default period needs a
    supervisor and a reason.
    """
    if period is not None and period != issue_code.default_period:
        if not getattr(actor, "is_supervisor", False):
            raise ApplicationError(_("Only a supervisor may set a non-default rectification period."))
        if not change_reason.strip():
            raise ApplicationError(_("Give a reason for the non-default rectification period."))
    period = issue_code.default_period if period is None else period
    repeat_of = find_repeat_of(
        enterprise_id=inspection.enterprise_id,
        issue_code_id=issue_code.pk,
        campaign=inspection.campaign,
    )
    severity = severity or issue_code.default_severity
    if repeat_of is not None:
        severity = SEVERITY_RAISED[severity]
    deadline, deadline_at, estimated = compute_deadline(
        start=start or timezone.now(), period=period, unit=issue_code.period_unit
    )
    finding = Finding(
        inspection=inspection,
        enterprise_id=inspection.enterprise_id,
        campaign_id=inspection.campaign_id,
        issue_code=issue_code,
        severity=severity,
        legal_basis=legal_basis if legal_basis is not None else issue_code.legal_basis,
        description=description,
        period=period,
        period_unit=issue_code.period_unit,
        deadline=deadline,
        deadline_at=deadline_at,
        deadline_estimated=estimated,
        deadline_change_reason=change_reason,
        is_repeat=repeat_of is not None,
        repeat_of=repeat_of,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    finding.full_clean()
    finding.save()
    if evidence_items:
        finding.evidence_items.set(evidence_items)
    audit_record(actor=actor, action="finding.create", obj=finding,
                 after=snapshot(finding, FINDING_AUDIT_FIELDS))
    return finding


@transaction.atomic
def finding_transition(*, finding: Finding, to_status: str, actor, note: str = "") -> Finding:
    """
    Move a finding along its lifecycle (inspections.lifecycle). Illegal moves
    raise IllegalTransition; withdrawal needs a supervisor and a reason.
    """
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not lifecycle.can_transition(finding.status, to_status):
        raise IllegalTransition(
            _("A finding cannot go from “%(from)s” to “%(to)s”.")
            % {"from": FindingStatus(finding.status).label, "to": FindingStatus(to_status).label}
        )
    if to_status == FindingStatus.WITHDRAWN:
        if actor is None or not actor.is_supervisor:
            raise ApplicationError(_("Only a supervisor may withdraw a finding."))
        if not note.strip():
            raise ApplicationError(_("Give a reason for withdrawing the finding."))
    before = snapshot(finding, FINDING_AUDIT_FIELDS)
    finding.status = to_status
    now = timezone.now()
    if to_status == FindingStatus.NOTIFIED and finding.notified_at is None:
        finding.notified_at = now
    if to_status in (FindingStatus.ACCEPTED, FindingStatus.WITHDRAWN):
        finding.closed_at = now
    finding.save(update_fields=["status", "notified_at", "closed_at", "updated_at"])
    audit_record(actor=actor, action=f"finding.{to_status}", obj=finding, before=before,
                 after=snapshot(finding, FINDING_AUDIT_FIELDS), note=note)
    return finding


@transaction.atomic
def finding_set_deadline(
    *, finding: Finding, actor, deadline: datetime.date | None = None,
    period: int | None = None, start: datetime.datetime | None = None, reason: str = "",
    deadline_at: datetime.datetime | None = None,
) -> Finding:
    """
    Move a finding's deadline: to a given date (an approved extension), or by
    recounting a period from `start` (a notice's issuance). Always audited.
    """
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    before = snapshot(finding, FINDING_AUDIT_FIELDS)
    if deadline is not None:
        finding.deadline = deadline
        finding.deadline_at = deadline_at
        finding.deadline_estimated = not workdays.calendar_snapshot().is_known(deadline)
    else:
        finding.period = period if period is not None else finding.period
        finding.deadline, finding.deadline_at, finding.deadline_estimated = compute_deadline(
            start=start or timezone.now(), period=finding.period, unit=finding.period_unit
        )
    if reason:
        finding.deadline_change_reason = reason
    finding.full_clean()
    finding.save()
    audit_record(actor=actor, action="finding.deadline", obj=finding, before=before,
                 after=snapshot(finding, FINDING_AUDIT_FIELDS), note=reason)
    return finding
