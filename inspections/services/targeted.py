"""
Targeted inspections (定向检查): an inspection of a named enterprise opened
on a tip-off, a referral or a supervisor's decision, with the reason on
record. The same rules as drawn inspections: at least two officers, none
in conflict with the enterprise (回避), one sampled service per service
with the campaign's sample size. They are counted apart from random ones
and never published as 双随机 results.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Role, User
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, NotPermitted
from enterprises.models import EnterpriseStatus, Service

from .. import sampling
from ..models import (
    Campaign,
    Inspection,
    InspectionOrigin,
    InspectionService,
    OfficerConflict,
    TargetBasis,
)
from .campaigns import campaign_team_add, sample_plan_for

MAX_REASON = 2000
AUDIT_FIELDS = ["origin", "target_basis", "target_reason", "planned_date", "method", "status"]


def _names(users) -> str:
    return pgettext("list separator", ", ").join(u.get_full_name() or u.username for u in users)


@transaction.atomic
def targeted_open(
    *, campaign: Campaign, enterprise, basis: str, reason: str, officers, planned_date, method: str,
    actor: User,
) -> Inspection:
    """Open a targeted inspection (supervisors only) and put it on record."""
    if actor.role != Role.SUPERVISOR:
        raise NotPermitted(_("Only a supervisor opens a targeted inspection."))
    if basis not in TargetBasis.values:
        raise ApplicationError(_("Say on what basis the inspection is opened."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for the targeted inspection."))
    if campaign.status != Campaign.Status.ACTIVE:
        raise ApplicationError(_("Targeted inspections are opened in an active campaign."))
    if enterprise.status != EnterpriseStatus.ACTIVE:
        raise ApplicationError(_("%(enterprise)s is not an active enterprise.") % {"enterprise": enterprise.name})
    officers = list({o.pk: o for o in officers}.values())
    if len(officers) < 2:
        raise ApplicationError(_("An inspection needs at least two officers."))
    if any(not o.can_edit for o in officers):
        raise ApplicationError(_("Only inspectors and supervisors can be officers."))
    conflicted = set(OfficerConflict.objects.filter(
        enterprise=enterprise, officer__in=officers).values_list("officer_id", flat=True))
    if conflicted:
        raise ApplicationError(_("%(names)s must stand aside (回避) from %(enterprise)s: choose other "
                                 "officers.") % {
            "names": _names([o for o in officers if o.pk in conflicted]), "enterprise": enterprise.name})
    if planned_date < timezone.localdate():
        raise ApplicationError(_("The planned date cannot be in the past."))
    inspection = Inspection(
        campaign=campaign, enterprise=enterprise, planned_date=planned_date, method=method,
        origin=InspectionOrigin.TARGETED, target_basis=basis, target_reason=reason[:MAX_REASON],
    )
    inspection.full_clean()
    inspection.save()
    inspection.officers.set(officers)
    campaign_team_add(campaign=campaign, user_ids=[o.pk for o in officers], actor=actor)
    months = campaign.months
    InspectionService.objects.bulk_create([
        InspectionService(
            inspection=inspection, service=s, lot_size=sampling.lot_size(monthly_volume=s.monthly_aigc_volume, months=months),
            **sample_plan_for(campaign=campaign, lot_size=sampling.lot_size(
                monthly_volume=s.monthly_aigc_volume, months=months)),
        )
        for s in Service.objects.filter(enterprise=enterprise).order_by("pk")
    ])
    audit_record(actor=actor, action="inspection.create", obj=inspection,
                 after={**snapshot(inspection, AUDIT_FIELDS), "officers": sorted(o.pk for o in officers)},
                 note=reason[:MAX_REASON])
    return inspection
