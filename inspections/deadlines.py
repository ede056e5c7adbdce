"""
Recounting deadlines estimated past the calendar's known years.

A deadline counted into a year whose official schedule is not loaded skips
weekends and the fixed statutory holidays only (workdays.statutory_holidays)
and is marked estimated. When an administrator adds that year (or changes
its days), every such deadline still running is counted again from when its
period started; each change is audited, and the enterprise and the officers
are told when the date moved.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record, snapshot
from core.notifications import notify

from . import workdays
from .models import Finding, FindingStatus, PeriodUnit

# Findings whose deadline still matters: the enterprise owes a rectification.
RECOUNT_STATUSES = (FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED, FindingStatus.OPEN)
FIELDS = ["deadline", "deadline_estimated", "deadline_change_reason"]


@transaction.atomic
def deadlines_recount_estimated(*, actor: User | None = None) -> int:
    """
    Count again every estimated working-day deadline still running on the
    calendar as it is now. Return how many deadlines moved. Safe to run
    twice: a second run finds nothing estimated or nothing that moves.
    """
    workdays.clear_calendar_cache()
    calendar = workdays.calendar_snapshot()
    findings = (Finding.objects.select_for_update(of=("self",))
                .filter(deadline_estimated=True, deadline_from__isnull=False,
                        period_unit=PeriodUnit.WORKING_DAYS, status__in=RECOUNT_STATUSES)
                .select_related("enterprise").order_by("pk"))
    moved = 0
    for finding in findings:
        result = workdays.add_working_days(_local_day(finding.deadline_from), finding.period)
        if result.date == finding.deadline and result.estimated == finding.deadline_estimated:
            continue
        before = snapshot(finding, FIELDS)
        old = finding.deadline
        finding.deadline = result.date
        finding.deadline_estimated = result.estimated or not calendar.is_known(result.date)
        if old != result.date:
            finding.deadline_change_reason = _("Recounted on the official holiday schedule of %(year)s") % {
                "year": result.date.year}
        finding.save(update_fields=[*FIELDS, "updated_at"])
        audit_record(actor=actor, action="finding.deadline_recount", obj=finding, before=before,
                     after=snapshot(finding, FIELDS), enterprise_id=finding.enterprise_id,
                     note=f"{old.isoformat()} → {result.date.isoformat()}")
        if old != result.date:
            moved += 1
            _tell(finding, old)
    return moved


def _local_day(moment):
    from django.utils import timezone

    return timezone.localdate(moment)


def _tell(finding: Finding, old) -> None:
    from accounts.models import Role, User

    context = {"subject": _("The rectification deadline of %(code)s has moved") % {"code": finding.issue_code_id},
               "body": _("The official holiday schedule of %(year)s has been published. The rectification "
                         "deadline of %(code)s, estimated as %(old)s, is now %(new)s.")
               % {"year": finding.deadline.year, "code": finding.issue_code_id,
                  "old": old.isoformat(), "new": finding.deadline.isoformat()}}
    key = f"finding:{finding.pk}:deadline_recount:{finding.deadline.isoformat()}"
    users = User.objects.filter(enterprise_id=finding.enterprise_id, role=Role.ENTERPRISE, is_active=True)
    notify(recipients=users, kind="deadline_recounted", event_key=key, context=context,
           url=reverse("portal:finding_detail", args=[finding.pk]))
