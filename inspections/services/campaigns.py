"""
Campaigns, their inspection teams, and selection plans (双随机): a plan is
drawn from its frame filters and seed and, once approved, creates the
inspections with the sample size of each service.
"""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.access import require_supervisor
from core.audit import audit_record, snapshot

from .. import sampling
from ..models import (
    Campaign,
    Inspection,
    SamplingRule,
)

CAMPAIGN_FIELDS = [
    "name", "code", "agency", "notice_prefix", "starts_on", "ends_on", "legal_basis",
    "sampling_rule", "aql", "detection_rate", "detection_confidence", "status",
]



def _campaign_state(campaign: Campaign) -> dict:
    return {**snapshot(campaign, CAMPAIGN_FIELDS),
            "focus_codes": sorted(campaign.focus_codes.values_list("pk", flat=True)),
            "team": sorted(campaign.team.values_list("pk", flat=True))}


@transaction.atomic
def campaign_create(*, actor: User, fields: dict, focus_codes=(), team=()) -> Campaign:
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
def campaign_update(*, campaign: Campaign, actor: User, fields: dict, focus_codes=None, team=None) -> Campaign:
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


def campaign_team_add(*, campaign: Campaign, user_ids, actor: User) -> list[int]:
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


# --- sample sizes (selection plans: see plans.py) ---------------------------------


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
