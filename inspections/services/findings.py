"""
Findings: recorded (by hand or from a failed check), moved through their
lifecycle (lifecycle.FINDING_TRANSITIONS), deadlines counted and changed,
and the scheduled reminders and overdue marking.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.access import require_supervisor
from core.audit import audit_event, audit_record, audit_record_many, snapshot
from core.exceptions import ApplicationError, IllegalTransition
from core.lifecycle import check_transition

from .. import labels, lifecycle, selectors, workdays
from ..models import (
    SEVERITY_RAISED,
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    IssueCode,
    ItemCheck,
    PeriodUnit,
    SampledItem,
)
from .inspections import require_inspection_editor
from .label_results import CHECKER_RULES

FINDING_AUDIT_FIELDS = [
    "status", "severity", "period", "period_unit", "deadline", "deadline_at", "deadline_from",
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


@transaction.atomic
def finding_create(
    *,
    inspection: Inspection,
    issue_code: IssueCode,
    actor: User,
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
    if inspection.status == Inspection.Status.CLOSED:
        raise ApplicationError(_("A closed inspection takes no new findings."))
    if period is not None and period != issue_code.default_period:
        require_supervisor(actor, _("Only a supervisor may set a non-default rectification period."))
        if not change_reason.strip():
            raise ApplicationError(_("Give a reason for the non-default rectification period."))
    period = issue_code.default_period if period is None else period
    repeat_of = selectors.find_repeat_of(
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
        created_by=actor if actor.pk else None,
    )
    finding.full_clean()
    finding.save()
    if evidence_items:
        finding.evidence_items.set(evidence_items)
    audit_record(actor=actor, action="finding.create", obj=finding,
                 after=snapshot(finding, FINDING_AUDIT_FIELDS))
    return finding


@transaction.atomic
def finding_transition(*, finding: Finding, to_status: str, actor: User | None, note: str = "") -> Finding:
    """
    Move a finding along its lifecycle (inspections.lifecycle). Illegal moves
    raise IllegalTransition; withdrawal needs a supervisor and a reason.
    """
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    check_transition(lifecycle.FINDING_TRANSITIONS, FindingStatus, finding.status, to_status,
                     subject=Finding._meta.verbose_name)
    if to_status == FindingStatus.WITHDRAWN:
        require_supervisor(actor, _("Only a supervisor may withdraw a finding."))
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
    *, finding: Finding, actor: User, deadline: datetime.date | None = None,
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


@dataclass(frozen=True)
class DeadlineStart:
    """A finding whose deadline a notice's issuance starts: the new deadline and why."""

    finding: Finding
    deadline: datetime.date
    deadline_at: datetime.datetime | None
    reason: str
    notice_number: str
    # When the period started running (service); None while it does not run yet.
    start: datetime.datetime | None = None
    estimated: bool | None = None


def findings_start_deadlines(*, starts: list[DeadlineStart], actor: User) -> None:
    """
    The bulk form of finding_set_deadline + finding_transition(→ notified)
    for the findings of notices issued together: each finding gets its new
    deadline, open findings become notified, and the trail gets the same
    two events per finding as one-by-one issuance, in a few statements
    whatever the batch size. The caller holds the transaction and has
    locked the notices that own these findings.
    """
    if not starts:
        return
    by_pk = {s.finding.pk: s for s in starts}
    findings = list(Finding.objects.select_for_update(of=("self",)).filter(pk__in=by_pk)
                    .select_related("enterprise").order_by("pk"))
    calendar = workdays.calendar_snapshot()
    now = timezone.now()
    events = []
    for finding in findings:
        start = by_pk[finding.pk]
        before = snapshot(finding, FINDING_AUDIT_FIELDS)
        finding.deadline, finding.deadline_at = start.deadline, start.deadline_at
        finding.deadline_estimated = (start.estimated if start.estimated is not None
                                      else not calendar.is_known(start.deadline))
        finding.deadline_from = start.start
        finding.deadline_change_reason = start.reason
        finding.updated_at = now
        events.append(audit_event(actor=actor, action="finding.deadline", obj=finding, before=before,
                                  after=snapshot(finding, FINDING_AUDIT_FIELDS), note=start.reason))
        if finding.status == FindingStatus.OPEN:
            check_transition(lifecycle.FINDING_TRANSITIONS, FindingStatus, finding.status,
                             FindingStatus.NOTIFIED, subject=Finding._meta.verbose_name)
            before = snapshot(finding, FINDING_AUDIT_FIELDS)
            finding.status = FindingStatus.NOTIFIED
            finding.notified_at = finding.notified_at or now
            events.append(audit_event(actor=actor, action=f"finding.{FindingStatus.NOTIFIED}", obj=finding,
                                      before=before, after=snapshot(finding, FINDING_AUDIT_FIELDS),
                                      note=start.notice_number))
    # One UPDATE per group of findings that take the same values (usually a
    # notice's findings), rather than bulk_update's slow CASE per field.
    fields = ["deadline", "deadline_at", "deadline_estimated", "deadline_from", "deadline_change_reason",
              "status", "notified_at", "updated_at"]
    groups: dict[tuple, list[int]] = {}
    for finding in findings:
        groups.setdefault(tuple(getattr(finding, f) for f in fields), []).append(finding.pk)
    for values, pks in groups.items():
        Finding.objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))
    audit_record_many(events)


def finding_description_for_check(*, check: ItemCheck) -> str:
    """
    The facts of a finding drawn from a check: the issue, the sampled file
    (name and SHA-256) or content, and the checker's or inspector's note.
    Written in the record's language (Chinese): it goes into the notice.
    """
    item, code = check.item, check.issue_code
    with translation.override(settings.LANGUAGE_CODE):
        if item.file_sha256:
            evidence = _("Sampled file “%(name)s” (SHA-256 %(sha)s) from %(ref)s.") % {
                "name": item.file_name or item.content_ref, "sha": item.file_sha256,
                "ref": item.content_ref}
        else:
            evidence = _("Sampled content %(ref)s.") % {"ref": item.content_ref}
        parts = [f"{code.title_zh}。", evidence]
        if code.pk in CHECKER_RULES:
            parts.append(_("Label checker %(version)s: %(message)s") % {
                "version": item.checker_version or labels.CHECKER_VERSION,
                "message": check.note or code.title_zh})
        elif check.source == ItemCheck.Source.AUTOMATIC and item.explicit_checker_version:
            from .explicit_results import explicit_description

            parts.append(explicit_description(check=check))
        elif check.note:
            parts.append(check.note)
    return "".join(parts)  # Chinese sentences run on without spaces


def finding_create_from_check(*, check: ItemCheck, actor: User, description: str = "", **kwargs) -> Finding:
    """
    A finding from a failed check, with code, legal basis and evidence
    prefilled. One finding per item and code: a second one is refused.
    """
    if check.result != CheckResult.FAIL:
        raise ApplicationError(_("Only a failed check becomes a finding."))
    item = check.item
    require_inspection_editor(item.inspection, actor)
    if item.findings.filter(issue_code_id=check.issue_code_id).exists():
        raise ApplicationError(_("A finding for this check of the item already exists."))
    if not description and check.source == ItemCheck.Source.MANUAL:
        # The inspector's own note already states the facts.
        description = check.note or check.issue_code.title_zh
    text = description or finding_description_for_check(check=check)
    return finding_create(inspection=item.inspection, issue_code=check.issue_code, actor=actor,
                          description=text, evidence_items=[item], **kwargs)


# --- scheduled work (called by Celery tasks) ---------------------------------------


def _notify(*, recipients, kind: str, event_key: str, context: dict, url: str = "") -> None:
    from core.notifications import notify

    notify(recipients=recipients, kind=kind, event_key=event_key, context=context, url=url)


REMINDER_DAYS = 3
# Statuses in which the enterprise still has to act before the deadline.
# Findings whose rectification clock runs (reminders, overdue): only once
# notified, because issuing the notice recounts the deadline.
RUNNING_STATUSES = (FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED)
# A notified finding whose notice is not yet served: its period does not run
# (deadlines run from service, 送达), so it is neither reminded nor overdue.
NOT_YET_RUNNING = Q(status=FindingStatus.NOTIFIED, deadline_from__isnull=True)


def _finding_officers(finding: Finding) -> list:
    return list(finding.inspection.officers.filter(is_active=True))


def _enterprise_users(finding: Finding) -> list:
    return list(User.objects.filter(role=Role.ENTERPRISE, is_active=True,
                                    enterprise_id=finding.enterprise_id))


def findings_send_reminders(*, today: datetime.date | None = None) -> int:
    """
    Remind officers and the enterprise when a notified finding's deadline is
    at most three working days away. The event key names the deadline, so a
    reminder goes out once per deadline however often this runs. E-mails are
    rendered from templates in each recipient's language.
    """
    from django.urls import reverse

    today = today or timezone.localdate()
    horizon = workdays.add_working_days(today, REMINDER_DAYS).date
    candidates = (Finding.objects.filter(status__in=RUNNING_STATUSES, deadline__gte=today,
                                         deadline__lte=horizon).exclude(NOT_YET_RUNNING)
                  .select_related("enterprise", "issue_code", "inspection"))
    sent = 0
    for finding in candidates:
        key = f"finding:{finding.pk}:reminder:{finding.deadline.isoformat()}"
        context = {
            "finding": finding, "enterprise": finding.enterprise, "deadline": finding.deadline,
            "working_days_left": workdays.working_days_between(today, finding.deadline),
        }
        _notify(recipients=_finding_officers(finding), kind="finding_deadline", event_key=key,
                context=context, url=finding.get_absolute_url())
        # Enterprise users read the finding in the portal, never on staff pages.
        _notify(recipients=_enterprise_users(finding), kind="deadline_reminder",
                event_key=key, context=context,
                url=reverse("portal:finding_detail", args=[finding.pk]))
        sent += 1
    return sent


def findings_mark_overdue(*, now: datetime.datetime | None = None) -> int:
    """Turn running findings past their deadline overdue and tell the officers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Finding.objects.filter(status__in=RUNNING_STATUSES, deadline__lte=today).exclude(NOT_YET_RUNNING)
    count = 0
    for finding in candidates.select_related("enterprise"):
        if not finding.is_past_deadline(now):
            continue
        try:
            finding = finding_transition(finding=finding, to_status=FindingStatus.OVERDUE, actor=None,
                                         note=_("deadline passed"))
        except IllegalTransition:
            continue
        count += 1
        # The enterprise's overdue reminder is the first step of the escalation
        # ladder (rectification.services.escalation_record_reminder).
        _notify(
            recipients=_finding_officers(finding), kind="finding_overdue",
            event_key=f"finding:{finding.pk}:overdue",
            context={"finding": finding, "enterprise": finding.enterprise,
                     "deadline": finding.deadline},
            url=finding.get_absolute_url(),
        )
    return count
