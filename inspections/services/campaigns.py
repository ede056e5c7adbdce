"""
Campaigns, their inspection teams, and selection plans (双随机): a plan is
drawn from its frame filters and seed and, once approved, creates the
inspections with the sample size of each service.
"""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError
from enterprises.models import (
    Service,
)

from .. import sampling, selection, selectors, workdays
from ..models import (
    Campaign,
    Inspection,
    InspectionService,
    OfficerConflict,
    PlanEntry,
    SamplingRule,
    SelectionPlan,
)
from .inspections import INSPECTION_FIELDS, require_supervisor

CAMPAIGN_FIELDS = [
    "name", "code", "agency", "notice_prefix", "starts_on", "ends_on", "legal_basis",
    "sampling_rule", "aql", "detection_rate", "detection_confidence", "status",
]



def _campaign_state(campaign: Campaign) -> dict:
    return {**snapshot(campaign, CAMPAIGN_FIELDS),
            "focus_codes": sorted(campaign.focus_codes.values_list("pk", flat=True)),
            "team": sorted(campaign.team.values_list("pk", flat=True))}


@transaction.atomic
def campaign_create(*, actor, fields: dict, focus_codes=(), team=()) -> Campaign:
    """Open a campaign (supervisors only) with its inspection team."""
    require_supervisor(actor, _("Only a supervisor may open a campaign."))
    campaign = Campaign(created_by=actor, **fields)
    campaign.full_clean()
    campaign.save()
    campaign.focus_codes.set(focus_codes)
    campaign.team.set(team)
    audit_record(actor=actor, action="campaign.create", obj=campaign, after=_campaign_state(campaign))
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor, fields: dict, focus_codes=None, team=None) -> Campaign:
    """Change a campaign's data (supervisors only); audited field by field."""
    require_supervisor(actor, _("Only a supervisor may change a campaign."))
    before = _campaign_state(campaign)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    if focus_codes is not None:
        campaign.focus_codes.set(focus_codes)
    if team is not None:
        _check_team_keeps_officers(campaign, {user.pk for user in team})
        campaign.team.set(team)
    audit_record(actor=actor, action="campaign.update", obj=campaign, before=before,
                 after=_campaign_state(campaign))
    return campaign


def _check_team_keeps_officers(campaign: Campaign, team_ids: set[int]) -> None:
    """
    Refuse to take off the team an officer of one of the campaign's
    inspections that is not closed yet: they would lose sight of their own
    inspection and of the rectification reports they review.
    """
    busy = sorted(set(
        Inspection.officers.through.objects
        .filter(inspection__campaign=campaign)
        .exclude(inspection__status=Inspection.Status.CLOSED)
        # An officer whose account is deactivated cannot be offered on the
        # form, so cannot hold the campaign's other changes hostage.
        .filter(user__role=Role.INSPECTOR, user__is_active=True).exclude(user_id__in=team_ids)
        .values_list("user__first_name", "user__username")
    ))
    if busy:
        names = "、".join(first or username for first, username in busy)
        raise ValidationError({"team": _(
            "%(names)s still inspect for this campaign (inspections not closed); they stay on the team "
            "until those inspections are closed.") % {"names": names}})


def campaign_team_add(*, campaign: Campaign, user_ids, actor) -> list[int]:
    """
    Put officers on the campaign's team (DOMAIN §2: an inspector sees the
    campaigns assigned), so that whoever is drawn or named to inspect for a
    campaign can open its inspections. Returns the ids added, audited.
    """
    Team = Campaign.team.through
    present = set(Team.objects.filter(campaign=campaign).values_list("user_id", flat=True))
    # Only inspectors: every other staff role sees every campaign anyway.
    inspectors = User.objects.filter(pk__in=set(user_ids), role=Role.INSPECTOR).values_list("pk", flat=True)
    added = sorted(set(inspectors) - present)
    if added:
        Team.objects.bulk_create([Team(campaign_id=campaign.pk, user_id=pk) for pk in added])
        audit_record(actor=actor, action="campaign.team_add", obj=campaign,
                     before={"team": sorted(present)}, after={"team": sorted(present | set(added))})
    return added


# --- selection plans (双随机) -------------------------------------------------

PLAN_FIELDS = [
    "name", "frame_filters", "high_risk_mode", "high_risk_k", "random_n", "verification_n",
    "officers_per_inspection", "seed", "method", "first_date", "last_date", "status",
]



@transaction.atomic
def plan_create(*, campaign: Campaign, actor, fields: dict, officer_pool) -> SelectionPlan:
    """Record a plan's frame filters, strata sizes, officer pool and seed (a draft)."""
    if not getattr(actor, "can_edit", False):
        raise PermissionDenied(_("Analysts cannot draw plans."))
    plan = SelectionPlan(campaign=campaign, created_by=actor, **fields)
    if plan.officers_per_inspection < 2:
        raise ApplicationError(_("An inspection needs at least two officers."))
    plan.full_clean()
    plan.save()
    plan.officer_pool.set(officer_pool)
    audit_record(actor=actor, action="plan.create", obj=plan,
                 after={**snapshot(plan, PLAN_FIELDS),
                        "officer_pool": sorted(o.pk for o in officer_pool)})
    return plan


@transaction.atomic
def plan_draw(*, plan: SelectionPlan, actor) -> SelectionPlan:
    """
    Draw (or draw again) the plan from its frame filters and seed: the frame
    is recomputed, recorded, and the entries replaced. Approved plans are
    final.
    """
    plan = SelectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == SelectionPlan.Status.APPROVED:
        raise ApplicationError(_("An approved plan cannot be drawn again."))
    if not getattr(actor, "can_edit", False):
        raise PermissionDenied(_("Analysts cannot draw plans."))
    frame = list(selectors.plan_frame(filters=plan.frame_filters).values_list("pk", "risk_tier", "risk_score"))
    candidates = [selection.Candidate(pk, tier, score) for pk, tier, score in frame]
    officer_ids = list(plan.officer_pool.values_list("pk", flat=True))
    conflicts = set(OfficerConflict.objects.filter(officer_id__in=officer_ids)
                    .values_list("officer_id", "enterprise_id"))
    try:
        draw = selection.draw_plan(
            frame=candidates, seed=plan.seed, high_risk_mode=plan.high_risk_mode,
            high_risk_k=plan.high_risk_k, random_n=plan.random_n,
            verification_n=plan.verification_n, officer_ids=officer_ids, conflicts=conflicts,
            per_inspection=plan.officers_per_inspection,
            days=workdays.working_days_in(plan.first_date, plan.last_date),
        )
    except selection.DrawError as error:
        raise ApplicationError(_("The plan cannot be drawn: %(reason)s") % {"reason": error})
    plan.entries.all().delete()
    entries = PlanEntry.objects.bulk_create([
        PlanEntry(plan=plan, enterprise_id=e.enterprise_id, stratum=e.stratum,
                  position=e.position, planned_date=e.planned_date)
        for e in draw.entries
    ])
    Through = PlanEntry.officers.through
    Through.objects.bulk_create([
        Through(planentry_id=entry.pk, user_id=officer)
        for entry, drawn in zip(entries, draw.entries, strict=True)
        for officer in drawn.officer_ids
    ])
    before = snapshot(plan, PLAN_FIELDS)
    plan.frame_enterprise_ids = [c.id for c in candidates]
    plan.strata = {**draw.strata, "officer_load": {str(k): v for k, v in draw.officer_load.items()}}
    plan.status = SelectionPlan.Status.DRAWN
    plan.drawn_at = timezone.now()
    plan.save(update_fields=["frame_enterprise_ids", "strata", "status", "drawn_at", "updated_at"])
    audit_record(actor=actor, action="plan.draw", obj=plan, before=before,
                 after={**snapshot(plan, PLAN_FIELDS), "strata": plan.strata,
                        "entries": [[e.enterprise_id, e.stratum, list(e.officer_ids)]
                                    for e in draw.entries]})
    return plan



def sample_plan_for(*, campaign: Campaign, lot_size: int, rule: str | None = None) -> dict:
    """The InspectionService values for one lot under the campaign's rule."""
    rule = rule or campaign.sampling_rule
    if rule == SamplingRule.ZERO_ACCEPTANCE:
        plan = sampling.zero_acceptance_plan(
            lot_size, float(campaign.detection_rate), float(campaign.detection_confidence)
        )
        return {"rule": rule, "aql": None, "code_letter": "", "plan_letter": "",
                "sample_size": plan.sample_size, "accept_number": 0, "reject_number": 1,
                "detection_rate": campaign.detection_rate,
                "detection_confidence": campaign.detection_confidence}
    plan = sampling.gb2828_plan(lot_size, campaign.aql, "II")
    return {"rule": rule, "aql": campaign.aql, "code_letter": plan.code_letter,
            "plan_letter": plan.plan_letter, "sample_size": plan.sample_size,
            "accept_number": plan.accept, "reject_number": plan.reject,
            "detection_rate": None, "detection_confidence": None}


@transaction.atomic
def plan_approve(*, plan: SelectionPlan, actor) -> list[Inspection]:
    """
    Approve a drawn plan (supervisors only) and create its inspections, with
    one sampled service per service of the enterprise and its sample size.
    """
    require_supervisor(actor, _("Only a supervisor may approve a selection plan."))
    plan = SelectionPlan.objects.select_for_update().select_related("campaign").get(pk=plan.pk)
    if plan.status != SelectionPlan.Status.DRAWN:
        raise ApplicationError(_("Only a drawn plan that is not yet approved can be approved."))
    campaign = plan.campaign
    months = campaign.months
    entries = list(plan.entries.prefetch_related("officers").order_by("position"))
    inspections = Inspection.objects.bulk_create([
        Inspection(campaign=campaign, enterprise_id=e.enterprise_id, plan_entry=e,
                   planned_date=e.planned_date, method=plan.method)
        for e in entries
    ])
    Through = Inspection.officers.through
    Through.objects.bulk_create([
        Through(inspection_id=inspection.pk, user_id=officer.pk)
        for inspection, entry in zip(inspections, entries, strict=True)
        for officer in entry.officers.all()
    ])
    campaign_team_add(campaign=campaign, actor=actor,
                      user_ids={officer.pk for entry in entries for officer in entry.officers.all()})
    by_enterprise = {i.enterprise_id: i for i in inspections}
    services = Service.objects.filter(enterprise_id__in=by_enterprise).order_by("pk")
    InspectionService.objects.bulk_create([
        InspectionService(
            inspection=by_enterprise[s.enterprise_id], service=s,
            lot_size=s.monthly_aigc_volume * months,
            **sample_plan_for(campaign=campaign, lot_size=s.monthly_aigc_volume * months),
        )
        for s in services
    ])
    before = snapshot(plan, PLAN_FIELDS)
    plan.status = SelectionPlan.Status.APPROVED
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action="plan.approve", obj=plan, before=before,
                 after={**snapshot(plan, PLAN_FIELDS), "inspections": [i.pk for i in inspections]})
    for inspection in inspections:
        audit_record(actor=actor, action="inspection.create", obj=inspection,
                     after=snapshot(inspection, INSPECTION_FIELDS), note=str(plan))
    return inspections
