"""
Business rules for inspections and findings. Every write goes through a
function here: it validates, writes in a transaction and records an audit
event.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.audit import audit_event, audit_record, audit_record_many, snapshot
from core.exceptions import ApplicationError, IllegalTransition
from enterprises.models import (
    MODALITY_FIELDS,
    ROLE_FIELDS,
    Enterprise,
    EnterpriseStatus,
    Modality,
    Service,
)

from . import checker_text, labels, lifecycle, sampling, selection, uploads, workdays
from .models import (
    SEVERITY_RAISED,
    Campaign,
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    InspectionService,
    IssueCode,
    ItemCheck,
    LabelVerdict,
    OfficerConflict,
    PeriodUnit,
    PlanEntry,
    SampledItem,
    SamplingRule,
    SelectionPlan,
)

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
    if inspection.status == Inspection.Status.CLOSED:
        raise ApplicationError(_("A closed inspection takes no new findings."))
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


def findings_start_deadlines(*, starts: list[DeadlineStart], actor) -> None:
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
            if not lifecycle.can_transition(finding.status, FindingStatus.NOTIFIED):
                raise IllegalTransition(
                    _("A finding cannot go from “%(from)s” to “%(to)s”.")
                    % {"from": FindingStatus(finding.status).label, "to": FindingStatus.NOTIFIED.label}
                )
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


# --- campaigns ---------------------------------------------------------------

CAMPAIGN_FIELDS = [
    "name", "code", "agency", "notice_prefix", "starts_on", "ends_on", "legal_basis",
    "sampling_rule", "aql", "detection_rate", "detection_confidence", "status",
]


def _require_supervisor(actor, message: str) -> None:
    if actor is None or not getattr(actor, "is_supervisor", False):
        raise PermissionDenied(message)


def _campaign_state(campaign: Campaign) -> dict:
    return {**snapshot(campaign, CAMPAIGN_FIELDS),
            "focus_codes": sorted(campaign.focus_codes.values_list("pk", flat=True)),
            "team": sorted(campaign.team.values_list("pk", flat=True))}


@transaction.atomic
def campaign_create(*, actor, fields: dict, focus_codes=(), team=()) -> Campaign:
    """Open a campaign (supervisors only) with its inspection team."""
    _require_supervisor(actor, _("Only a supervisor may open a campaign."))
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
    _require_supervisor(actor, _("Only a supervisor may change a campaign."))
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


def plan_frame(*, filters: dict) -> QuerySet:
    """
    The eligible enterprises for frame filters (roles: any of; districts,
    risk tiers: one of; modalities: has a service with one of them), active
    only, in a stable order.
    """
    queryset = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE)
    roles = [r for r in filters.get("roles") or [] if r in ROLE_FIELDS]
    if roles:
        condition = Q()
        for role in roles:
            condition |= Q(**{ROLE_FIELDS[role]: True})
        queryset = queryset.filter(condition)
    if filters.get("districts"):
        queryset = queryset.filter(district__in=filters["districts"])
    if filters.get("risk_tiers"):
        queryset = queryset.filter(risk_tier__in=filters["risk_tiers"])
    modalities = [m for m in filters.get("modalities") or [] if m in MODALITY_FIELDS]
    if modalities:
        condition = Q()
        for modality in modalities:
            condition |= Q(**{MODALITY_FIELDS[modality]: True})
        queryset = queryset.filter(pk__in=Service.objects.filter(condition).values("enterprise_id"))
    return queryset.order_by("pk")


def working_days_in(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every working day from `first` to `last` inclusive."""
    calendar = workdays.calendar_snapshot()
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


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
    frame = list(plan_frame(filters=plan.frame_filters).values_list("pk", "risk_tier", "risk_score"))
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
            days=working_days_in(plan.first_date, plan.last_date),
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


def campaign_months(campaign: Campaign) -> int:
    """The campaign's length in whole months (at least one): the lot period."""
    days = (campaign.ends_on - campaign.starts_on).days + 1
    return max(1, round(days / 30.4375))


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
    _require_supervisor(actor, _("Only a supervisor may approve a selection plan."))
    plan = SelectionPlan.objects.select_for_update().select_related("campaign").get(pk=plan.pk)
    if plan.status != SelectionPlan.Status.DRAWN:
        raise ApplicationError(_("Only a drawn plan that is not yet approved can be approved."))
    campaign = plan.campaign
    months = campaign_months(campaign)
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


# --- inspections ---------------------------------------------------------------

INSPECTION_FIELDS = ["status", "planned_date", "method", "started_at", "completed_at", "closed_at"]


def inspection_can_edit(*, inspection: Inspection, user) -> bool:
    """Officers of the inspection and supervisors may change it."""
    if user is None or not getattr(user, "can_edit", False):
        return False
    if user.is_supervisor:
        return True
    return inspection.officers.filter(pk=user.pk).exists()


def _require_inspection_editor(inspection: Inspection, actor) -> None:
    if not inspection_can_edit(inspection=inspection, user=actor):
        raise PermissionDenied(_("Only the inspection's officers or a supervisor may change it."))


@transaction.atomic
def inspection_transition(*, inspection: Inspection, to_status: str, actor, note: str = "") -> Inspection:
    """
    Move an inspection along planned → due → in progress → completed →
    closed (lifecycle.INSPECTION_TRANSITIONS). Closing needs a supervisor;
    the system (actor None) may only make inspections due.
    """
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not lifecycle.can_transition_inspection(inspection.status, to_status):
        raise IllegalTransition(
            _("An inspection cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Inspection.Status(inspection.status).label,
               "to": Inspection.Status(to_status).label}
        )
    if actor is None:
        if to_status != Inspection.Status.DUE:
            raise ApplicationError(_("Only an officer can change this inspection."))
    elif to_status == Inspection.Status.CLOSED:
        _require_supervisor(actor, _("Only a supervisor may close an inspection."))
    else:
        _require_inspection_editor(inspection, actor)
    before = snapshot(inspection, INSPECTION_FIELDS)
    now = timezone.now()
    inspection.status = to_status
    if to_status == Inspection.Status.IN_PROGRESS and inspection.started_at is None:
        inspection.started_at = now
    if to_status == Inspection.Status.COMPLETED:
        inspection.completed_at = now
    if to_status == Inspection.Status.CLOSED:
        inspection.closed_at = now
    inspection.save(update_fields=["status", "started_at", "completed_at", "closed_at", "updated_at"])
    audit_record(actor=actor, action=f"inspection.{to_status}", obj=inspection, before=before,
                 after=snapshot(inspection, INSPECTION_FIELDS), note=note)
    return inspection


def _writable(inspection: Inspection) -> None:
    if inspection.status not in (Inspection.Status.DUE, Inspection.Status.IN_PROGRESS):
        raise ApplicationError(_("Evidence and checks are recorded while the inspection is due or in progress."))


ITEM_FIELDS = [
    "service_id", "modality", "content_ref", "channel", "captured_at", "captured_by_id",
    "file_name", "file_sha256", "file_size", "file_type", "screenshot_sha256",
    "label_verdict", "checker_version", "checks_completed_at", "note",
]


@transaction.atomic
def item_create(
    *, inspection: Inspection, actor, modality: str, content_ref: str, channel: str,
    captured_at: datetime.datetime, service: Service | None = None, text_sample: str = "",
    note: str = "", file=None, screenshot=None,
) -> SampledItem:
    """
    Record one sampled content item. Files are checked by content and size,
    hashed (SHA-256) and stored under a generated name; a file is queued for
    the automatic label check once the transaction commits.
    """
    _require_inspection_editor(inspection, actor)
    _writable(inspection)
    if service is not None and service.enterprise_id != inspection.enterprise_id:
        raise ApplicationError(_("The service belongs to another enterprise."))
    item = SampledItem(
        inspection=inspection, service=service, modality=modality, content_ref=content_ref,
        channel=channel, captured_at=captured_at, captured_by=actor, text_sample=text_sample,
        note=note,
    )
    if file is not None:
        info = uploads.inspect_upload(file, allowed=uploads.CONTENT_TYPES)
        item.file = file
        item.file_name, item.file_sha256 = info.name, info.sha256
        item.file_size, item.file_type = info.size, info.kind
    if screenshot is not None:
        info = uploads.inspect_upload(screenshot, allowed=uploads.SCREENSHOT_TYPES)
        item.screenshot = screenshot
        item.screenshot_sha256, item.screenshot_type = info.sha256, info.kind
    item.full_clean()
    item.save()
    applicable = {c.pk for c in applicable_codes(modality=modality,
                                                 roles=inspection.enterprise.roles)}
    _item_check_explicit_text(item=item, applicable=applicable)
    # The caller's instance may be stale (several items in one request).
    if Inspection.objects.filter(pk=inspection.pk, status=Inspection.Status.DUE).exists():
        updated = inspection_transition(inspection=inspection,
                                        to_status=Inspection.Status.IN_PROGRESS,
                                        actor=actor, note=_("first item recorded"))
        inspection.status, inspection.started_at = updated.status, updated.started_at
    audit_record(actor=actor, action="item.create", obj=item, enterprise_id=inspection.enterprise_id,
                 after={**snapshot(item, ITEM_FIELDS),
                        "checks": dict(item.checks.values_list("issue_code_id", "result"))})
    if item.file:
        from .tasks import check_item_labels_task

        item_id = item.pk
        transaction.on_commit(lambda: check_item_labels_task.delay(item_id))
    return item


def applicable_codes(*, modality: str, roles: list[str]) -> list[IssueCode]:
    """Item-level taxonomy codes for a modality at an enterprise with these roles."""
    codes = IssueCode.objects.filter(active=True, item_level=True).order_by("code")
    return [
        c for c in codes
        if (not c.modalities or modality in c.modalities)
        and (not c.roles or set(c.roles) & set(roles))
    ]


@transaction.atomic
def item_checks_save(*, item: SampledItem, actor, results: dict[str, tuple[str, str]]) -> SampledItem:
    """
    Record the inspector's answers: {code: (pass|fail|na, note)}. Only
    applicable codes are accepted; when every applicable code is answered
    the item counts as checked in the sample's verdict.
    """
    inspection = item.inspection
    _require_inspection_editor(inspection, actor)
    _writable(inspection)
    applicable = {c.pk for c in applicable_codes(modality=item.modality,
                                                 roles=inspection.enterprise.roles)}
    unknown = set(results) - applicable
    if unknown:
        raise ApplicationError(_("These checks do not apply to the item: %(codes)s")
                               % {"codes": ", ".join(sorted(unknown))})
    existing = {c.issue_code_id: c for c in item.checks.all()}
    before = {code: [c.result, c.note] for code, c in existing.items()}
    now = timezone.now()
    for code, (result, note) in results.items():
        if result not in CheckResult.values:
            raise ApplicationError(_("Unknown check result."))
        check = existing.get(code)
        if check is None:
            check = ItemCheck(item=item, issue_code_id=code)
        elif check.result == result and check.note == note:
            continue
        check.result, check.note = result, note[:500]
        check.source, check.checked_by, check.checked_at = ItemCheck.Source.MANUAL, actor, now
        check.full_clean(exclude=["item", "issue_code"])
        check.save()
        existing[code] = check
    answered = set(existing) & applicable
    item.checks_completed_at = (item.checks_completed_at or now) if answered == applicable else None
    item.save(update_fields=["checks_completed_at", "updated_at"])
    audit_record(actor=actor, action="item.checks", obj=item, enterprise_id=inspection.enterprise_id,
                 before=before, after={code: [c.result, c.note] for code, c in existing.items()})
    return item


# --- automatic label checks (inspections/labels) ------------------------------

# The IMP codes the label checker decides from one file. IMP-09 (ProduceID
# uniqueness) is decided across an enterprise's files, below; IMP-10
# (signatures) stays with the inspector.
CHECKER_RULES = frozenset(labels.RULES)
PRODUCE_ID_CODE = "IMP-09"
# Rules that read the fields of a decoded label: they pass only when the
# checker could read a label at all.
FIELD_RULES = frozenset({"IMP-03", "IMP-04", "IMP-05", "IMP-08"})
EXPLICIT_TEXT_CODE = "EXP-03"


def _refresh_completion(*, item: SampledItem, applicable: set[str]) -> None:
    """Mark the item checked exactly when every applicable code is answered."""
    answered = set(item.checks.values_list("issue_code_id", flat=True)) & applicable
    completed = (item.checks_completed_at or timezone.now()) if answered == applicable else None
    if completed != item.checks_completed_at:
        item.checks_completed_at = completed
        item.save(update_fields=["checks_completed_at", "updated_at"])


def label_check_answers(*, result: dict, codes: list[str]) -> dict[str, tuple[str, str]]:
    """
    Translate a checker result into {code: (pass|fail, note)} for the given
    applicable codes. Compliant passes every rule the checker decides;
    noncompliant fails the rules it names and passes the others it could
    assess (field rules only when a label was decoded); not_found fails
    IMP-01 only; inconclusive answers nothing.
    """
    verdict = result.get("verdict")
    # Notes are written in the record's language (they may go into a
    # notice), from the findings' kinds and parameters, never the English.
    messages: dict[str, list[str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for finding in result.get("findings") or []:
            if isinstance(finding, dict) and finding.get("rule"):
                messages.setdefault(str(finding["rule"]), []).append(checker_text.finding_text(finding))
    decided = [code for code in codes if code in CHECKER_RULES]
    answers: dict[str, tuple[str, str]] = {}
    if verdict == LabelVerdict.COMPLIANT:
        answers = {code: (CheckResult.PASS, "") for code in decided}
    elif verdict == LabelVerdict.NOT_FOUND:
        answers = {code: (CheckResult.FAIL, "".join(messages.get(code, [])))
                   for code in decided if code == "IMP-01"}
    elif verdict == LabelVerdict.NONCOMPLIANT:
        label_read = isinstance(result.get("label"), dict)
        for code in decided:
            if code in messages:
                answers[code] = (CheckResult.FAIL, "".join(messages[code]))
            elif code not in FIELD_RULES or label_read:
                answers[code] = (CheckResult.PASS, "")
    return {code: (answer, note[:500]) for code, (answer, note) in answers.items()}


def _comparable(result: dict | None) -> dict | None:
    """A stored result without its timing, to tell a real change from a re-run."""
    if not isinstance(result, dict):
        return None
    return {k: v for k, v in result.items() if k != "elapsed_ms"}


@transaction.atomic
def item_apply_label_check(*, item: SampledItem, result: dict, checker_version: str,
                           actor=None) -> SampledItem:
    """
    Store the automatic label checker's result on the item and set its IMP
    checks (source = automatic) as label_check_answers decides. Manual
    answers are never overwritten; automatic answers a newer result no
    longer gives are removed. Applying the same result twice changes
    nothing and records nothing.
    """
    # The enterprise first, then the item: IMP-09 writes checks on the
    # enterprise's other items, so every label check of one enterprise takes
    # the locks in this order (never item, then enterprise: a deadlock).
    enterprise_id = SampledItem.objects.filter(pk=item.pk).values_list(
        "inspection__enterprise_id", flat=True).get()
    Enterprise.objects.select_for_update().filter(pk=enterprise_id).first()
    item = (SampledItem.objects.select_for_update()
            .select_related("inspection__enterprise").get(pk=item.pk))
    before_result = item.label_result
    verdict = result.get("verdict") or ""
    verdict = verdict if verdict in LabelVerdict.values else LabelVerdict.INCONCLUSIVE
    before = {**snapshot(item, ["label_verdict", "checker_version"]),
              "checks": dict(item.checks.filter(issue_code_id__in=CHECKER_RULES)
                             .values_list("issue_code_id", "result"))}
    changed = (_comparable(item.label_result) != _comparable(result)
               or item.label_verdict != verdict or item.checker_version != checker_version[:20])
    if changed:
        item.label_result = result
        item.label_verdict = verdict
        item.checker_version = checker_version[:20]
        item.label_checked_at = timezone.now()
        item.save(update_fields=["label_result", "label_verdict", "checker_version",
                                 "label_checked_at", "updated_at"])
    applicable = {c.pk for c in applicable_codes(modality=item.modality,
                                                 roles=item.inspection.enterprise.roles)}
    answers = label_check_answers(result=result, codes=sorted(applicable))
    existing = {c.issue_code_id: c for c in item.checks.filter(issue_code_id__in=CHECKER_RULES)}
    now = timezone.now()
    for code, check in existing.items():
        if check.source == ItemCheck.Source.AUTOMATIC and code not in answers:
            check.delete()
            changed = True
    for code, (answer, note) in answers.items():
        check = existing.get(code)
        if check is not None and check.source == ItemCheck.Source.MANUAL:
            continue
        if check is not None and (check.result, check.note) == (answer, note):
            continue
        ItemCheck.objects.update_or_create(item=item, issue_code_id=code, defaults={
            "result": answer, "source": ItemCheck.Source.AUTOMATIC, "checked_by": None,
            "checked_at": now, "note": note,
        })
        changed = True
    _refresh_completion(item=item, applicable=applicable)
    keys = {key for key in (_produce_id_key(before_result), _produce_id_key(result)) if key}
    for key in sorted(keys):
        changed |= item.pk in _produce_id_duplicates_apply(
            enterprise=item.inspection.enterprise, key=key, actor=actor)
    if _produce_id_key(result) is None:
        # No numbered label any more (none found, or not read this time):
        # an automatic IMP-09 failure of this item no longer stands.
        deleted, _rows = item.checks.filter(issue_code_id=PRODUCE_ID_CODE,
                                            source=ItemCheck.Source.AUTOMATIC).delete()
        if deleted:
            _refresh_completion(item=item, applicable=applicable)
            changed = True
    if changed:
        audit_record(actor=actor, action="item.label_check", obj=item,
                     enterprise_id=item.inspection.enterprise_id, before=before,
                     after={**snapshot(item, ["label_verdict", "checker_version"]),
                            "checks": dict(item.checks.filter(issue_code_id__in=CHECKER_RULES)
                                           .values_list("issue_code_id", "result")),
                            "reason": result.get("reason") or ""})
    return item


def _produce_id_key(result: dict | None) -> tuple[str, str] | None:
    """(ContentProducer, ProduceID) of a decoded label, when both are filled in."""
    label = result.get("label") if isinstance(result, dict) else None
    if not isinstance(label, dict):
        return None
    producer, produce_id = label.get("ContentProducer"), label.get("ProduceID")
    if isinstance(producer, str) and isinstance(produce_id, str) and producer.strip() and produce_id.strip():
        return producer, produce_id
    return None


def _produce_id_duplicates_apply(*, enterprise: Enterprise, key: tuple[str, str], actor) -> set[int]:
    """
    IMP-09: a provider numbers each piece of content uniquely (GB 45438
    Annex E, ProduceID), so two sampled files of one enterprise whose labels
    carry the same ContentProducer (a code of the enterprise's own) and
    ProduceID, but whose bytes and URLs or content ids differ, break the
    rule. Fail IMP-09 (automatically) on each such file, and take the
    automatic failure back from files no longer in such a pair. Files of
    inspections no longer due or in progress keep their record as it was;
    a missing duplicate proves nothing, so IMP-09 never passes by itself;
    an inspector's answer is never overwritten. The caller holds the
    enterprise's row lock. Returns the ids of the items whose checks changed.
    """
    producer, produce_id = key
    if enterprise.uscc not in producer:
        # Another provider's numbering (content this platform disseminates)
        # is not this enterprise's to keep unique.
        return set()
    sharing = list(
        SampledItem.objects.filter(inspection__enterprise=enterprise,
                                   label_result__label__ContentProducer=producer,
                                   label_result__label__ProduceID=produce_id)
        .select_related("inspection").order_by("pk")
    )
    def content(item) -> str:
        return item.file_sha256 or f"item-{item.pk}"

    applicable_by_modality: dict[str, set[str]] = {}
    changed: set[int] = set()
    now = timezone.now()
    for item in sharing:
        if item.inspection.status not in (Inspection.Status.DUE, Inspection.Status.IN_PROGRESS):
            continue
        if item.modality not in applicable_by_modality:
            applicable_by_modality[item.modality] = {
                c.pk for c in applicable_codes(modality=item.modality, roles=enterprise.roles)}
        applicable = applicable_by_modality[item.modality]
        if PRODUCE_ID_CODE not in applicable:
            continue
        check = ItemCheck.objects.filter(item=item, issue_code_id=PRODUCE_ID_CODE).first()
        if check is not None and check.source == ItemCheck.Source.MANUAL:
            continue
        # Other content with the same number: different bytes, and not the
        # same URL or content id captured twice (a re-encoded copy of one
        # piece of content keeps its number, as it should).
        others = [other for other in sharing
                  if content(other) != content(item) and other.content_ref != item.content_ref]
        if others:
            with translation.override(settings.LANGUAGE_CODE):
                note = _("ProduceID %(id)s of %(producer)s is also on other sampled content: %(refs)s.") % {
                    "id": produce_id, "producer": producer,
                    "refs": ", ".join(dict.fromkeys(other.content_ref for other in others[:10]))}
            if check is not None and (check.result, check.note) == (CheckResult.FAIL, note[:500]):
                continue
            ItemCheck.objects.update_or_create(item=item, issue_code_id=PRODUCE_ID_CODE, defaults={
                "result": CheckResult.FAIL, "source": ItemCheck.Source.AUTOMATIC, "checked_by": None,
                "checked_at": now, "note": note[:500]})
        elif check is not None:
            check.delete()
        else:
            continue
        changed.add(item.pk)
        _refresh_completion(item=item, applicable=applicable)
        audit_record(actor=actor, action="item.produce_id_check", obj=item, enterprise_id=enterprise.pk,
                     after={"ContentProducer": producer, "ProduceID": produce_id,
                            "result": CheckResult.FAIL if others else None})
    return changed


def item_check_labels(*, item_id: int, force: bool = False) -> str:
    """
    Run the label checker on an item's stored file and apply the result.
    Items already checked by the current checker version are skipped unless
    forced; a file missing from storage is recorded as inconclusive with
    the reason, never as "not found". Return the verdict or why skipped.
    """
    item = (SampledItem.objects.select_related("inspection__enterprise")
            .filter(pk=item_id).first())
    if item is None or not item.file:
        return "skipped"
    if not force and item.label_checked_at and item.checker_version == labels.CHECKER_VERSION:
        return "up-to-date"
    name = item.file_name or item.file.name.rsplit("/", 1)[-1]
    try:
        with item.file.open("rb") as handle:
            checked = labels.check_stream(handle, path=name,
                                          expected_uscc=item.inspection.enterprise.uscc)
    except (OSError, ValueError) as error:
        checked = labels.CheckResult(
            path=name, format=None, verdict=labels.INCONCLUSIVE,
            reason=f"stored file cannot be read: {type(error).__name__}",
        )
    # The findings keep their message kind and parameters, so pages and
    # documents say them in their reader's language (checker_text).
    data = {**checked.to_json_dict(), "findings": [f.to_record_dict() for f in checked.findings],
            "reason": checked.reason, "info": checked.info}
    item_apply_label_check(item=item, result=data, checker_version=labels.CHECKER_VERSION)
    return checked.verdict


def _labels_recheck(*, inspection: Inspection, actor, force: bool, items) -> list[int]:
    _require_inspection_editor(inspection, actor)
    _writable(inspection)
    queryset = items.exclude(file="")
    if not force:
        queryset = queryset.exclude(checker_version=labels.CHECKER_VERSION,
                                    label_checked_at__isnull=False)
    item_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    if item_ids:
        from .tasks import check_item_labels_task

        for item_id in item_ids:
            transaction.on_commit(
                lambda item_id=item_id: check_item_labels_task.delay(item_id, force=force))
    return item_ids


@transaction.atomic
def inspection_labels_recheck(*, inspection: Inspection, actor, force: bool = False) -> list[int]:
    """
    Queue the label check again for the inspection's files that the current
    checker version has not checked (every file when forced), e.g. after a
    checker upgrade. Queues nothing twice for an up-to-date file; audited
    when anything is queued. Return the queued item ids.
    """
    item_ids = _labels_recheck(inspection=inspection, actor=actor, force=force,
                               items=inspection.items.all())
    if item_ids:
        audit_record(actor=actor, action="inspection.labels_recheck", obj=inspection,
                     after={"items": item_ids, "force": force,
                            "checker_version": labels.CHECKER_VERSION})
    return item_ids


@transaction.atomic
def item_labels_recheck(*, item: SampledItem, actor, force: bool = False) -> bool:
    """Queue one item's label check again (see inspection_labels_recheck)."""
    inspection = item.inspection
    item_ids = _labels_recheck(inspection=inspection, actor=actor, force=force,
                               items=SampledItem.objects.filter(pk=item.pk))
    if item_ids:
        audit_record(actor=actor, action="item.labels_recheck", obj=item,
                     enterprise_id=inspection.enterprise_id,
                     after={"force": force, "checker_version": labels.CHECKER_VERSION})
    return bool(item_ids)


def explicit_text_message(outcome) -> str:
    """
    The outcome of check_explicit_text in the active language: where the
    label was found, or which element is missing.
    """
    if outcome.passed:
        if outcome.position == "end":
            return _("Explicit label found at the end of the text sample.")
        return _("Explicit label found at the start of the text sample.")
    return "".join(checker_text.finding_text(f.to_record_dict()) for f in outcome.findings)


def _item_check_explicit_text(*, item: SampledItem, applicable: set[str]) -> None:
    """
    Record EXP-03 for a text sample automatically: the explicit label must
    carry "AI"/"人工智能" and "生成"/"合成" at the start or end. The note is
    written in the record's language (Chinese), as it may go into a notice.
    """
    if (item.modality != Modality.TEXT or not item.text_sample.strip()
            or EXPLICIT_TEXT_CODE not in applicable):
        return
    outcome = labels.check_explicit_text(item.text_sample)
    with translation.override(settings.LANGUAGE_CODE):
        note = explicit_text_message(outcome)
    ItemCheck.objects.update_or_create(item=item, issue_code_id=EXPLICIT_TEXT_CODE, defaults={
        "result": CheckResult.PASS if outcome.passed else CheckResult.FAIL,
        "source": ItemCheck.Source.AUTOMATIC, "checked_by": None, "checked_at": timezone.now(),
        "note": note[:500],
    })


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
        elif check.note:
            parts.append(check.note)
    return "".join(parts)  # Chinese sentences run on without spaces


def finding_create_from_check(*, check: ItemCheck, actor, description: str = "", **kwargs) -> Finding:
    """
    A finding from a failed check, with code, legal basis and evidence
    prefilled. One finding per item and code: a second one is refused.
    """
    if check.result != CheckResult.FAIL:
        raise ApplicationError(_("Only a failed check becomes a finding."))
    item = check.item
    _require_inspection_editor(item.inspection, actor)
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


def inspections_make_due(*, today: datetime.date | None = None) -> int:
    """Make every planned inspection whose date has come due; return how many."""
    today = today or timezone.localdate()
    count = 0
    for pk in Inspection.objects.filter(status=Inspection.Status.PLANNED,
                                        planned_date__lte=today).values_list("pk", flat=True):
        inspection = Inspection(pk=pk)
        try:
            inspection_transition(inspection=inspection, to_status=Inspection.Status.DUE, actor=None,
                                  note=_("planned date reached"))
        except IllegalTransition:  # changed meanwhile by someone else
            continue
        count += 1
    return count


REMINDER_DAYS = 3
# Statuses in which the enterprise still has to act before the deadline.
# Findings whose rectification clock runs (reminders, overdue): only once
# notified, because issuing the notice recounts the deadline.
RUNNING_STATUSES = (FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED)


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
                                         deadline__lte=horizon)
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


def finding_is_past_deadline(finding: Finding, now: datetime.datetime) -> bool:
    """Overdue from the working day after the deadline; hours-based at deadline_at."""
    if finding.period_unit == PeriodUnit.HOURS and finding.deadline_at:
        return now > finding.deadline_at
    return workdays.next_working_day(finding.deadline) <= timezone.localdate(now)


def findings_mark_overdue(*, now: datetime.datetime | None = None) -> int:
    """Turn running findings past their deadline overdue and tell the officers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Finding.objects.filter(status__in=RUNNING_STATUSES, deadline__lte=today)
    count = 0
    for finding in candidates.select_related("enterprise"):
        if not finding_is_past_deadline(finding, now):
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
