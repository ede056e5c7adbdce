"""
Business rules of the rectification loop. Every write goes through a
function here: it checks the lifecycle, writes in a transaction, records an
audit event and notifies after commit (core.notifications).
"""

import datetime
import uuid

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core import filetypes
from core.access import require_editor, require_supervisor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError
from core.lifecycle import check_transition
from core.notifications import NotifyEvent, event_key, notify, notify_many
from core.uploads import check_upload
from enterprises.models import Enterprise
from inspections import sampling
from inspections.models import (
    Campaign,
    Finding,
    FindingStatus,
    Inspection,
    InspectionOrigin,
    InspectionService,
    OfficerConflict,
)
from inspections.services.campaigns import campaign_team_add, sample_plan_for
from inspections.services.findings import finding_set_deadline, finding_transition

from . import lifecycle
from .models import (
    Decision,
    Escalation,
    EscalationKind,
    ExtensionRequest,
    ExtensionStatus,
    RectificationReport,
    ReportEvidence,
    ReportResponse,
    ReportStatus,
)

REPORT_AUDIT_FIELDS = [
    "status", "version", "previous_id", "responsible_person", "contact_person",
    "contact_phone", "summary", "declaration", "submitted_at", "submitted_by_id",
    "reviewed_at", "reviewed_by_id",
]
RESPONSE_AUDIT_FIELDS = [
    "finding_id", "measures", "long_term_measures", "completed_on", "decision",
    "reviewer_comment", "internal_note", "decided_by_id", "decided_at", "reverification_id",
]
EXTENSION_AUDIT_FIELDS = [
    "finding_id", "reason", "requested_deadline", "previous_deadline", "status",
    "decided_by_id", "decided_at", "decision_note",
]
ESCALATION_AUDIT_FIELDS = [
    "finding_id", "kind", "occurred_on", "attendees", "minutes_name", "minutes_sha256",
    "case_number", "notes", "automatic",
]

# Findings for which the enterprise owes (another) written report.
REPORTABLE_STATUSES = frozenset({
    FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED,
    FindingStatus.OVERDUE, FindingStatus.ESCALATED,
})
# Findings whose deadline may still be extended: an extension is asked for
# before the deadline passes; once overdue the escalation ladder applies.
EXTENDABLE_STATUSES = frozenset({FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED})
ACTIVE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED)


# --- helpers ----------------------------------------------------------------


def _enterprise_users(enterprise_id: int):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True)


def _supervisors():
    return User.objects.filter(role=Role.SUPERVISOR, is_active=True)


def _reviewers(findings) -> list:
    """The officers of the findings' inspections, or every supervisor if none."""
    officers = list(
        User.objects.filter(
            inspections__findings__in=[f.pk for f in findings], is_active=True
        ).distinct()
    )
    return officers or list(_supervisors())


def _require_enterprise_member(actor: User, enterprise_id: int) -> None:
    if not (actor.role == Role.ENTERPRISE and actor.enterprise_id == enterprise_id):
        raise ApplicationError(_("Only the enterprise's own users may do this."))


def require_no_conflict(officers, *, enterprise_id: int) -> None:
    """
    Refuse officers who must stand down (回避) for the enterprise: the same
    table the random draw and the case teams read (inspections.OfficerConflict).
    """
    conflicted = set(OfficerConflict.objects.filter(
        enterprise_id=enterprise_id, officer_id__in=[o.pk for o in officers]
    ).values_list("officer_id", flat=True))
    if conflicted:
        names = "、".join(o.get_full_name() or o.username for o in officers if o.pk in conflicted)
        raise ApplicationError(
            _("%(names)s must stand down (回避) for this enterprise.") % {"names": names})


def _require_draft(report: RectificationReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ApplicationError(_("This report has been submitted and is locked."))


# --- reports ----------------------------------------------------------------


def reportable_findings(*, enterprise_id: int):
    """Findings of the enterprise that need a report and are in no active report."""
    return (
        Finding.objects.filter(enterprise_id=enterprise_id, status__in=REPORTABLE_STATUSES)
        .exclude(report_responses__report__status__in=ACTIVE_REPORT_STATUSES)
        .select_related("issue_code")
        .order_by("deadline", "pk")
    )


@transaction.atomic
def report_create(*, enterprise: Enterprise, actor: User, findings: list[Finding]) -> RectificationReport:
    """Start a draft report (version 1) with one empty response per finding."""
    _require_enterprise_member(actor, enterprise.pk)
    available = {f.pk for f in reportable_findings(enterprise_id=enterprise.pk)}
    chosen = [f for f in findings if f.pk in available]
    if not chosen or len(chosen) != len(findings):
        raise ApplicationError(
            _("Choose at least one notified finding that is not already in another report.")
        )
    contact = actor.get_full_name() or actor.username
    report = RectificationReport(
        enterprise=enterprise, version=1, created_by=actor, contact_person=contact[:60],
        contact_phone=(actor.phone or "")[:30],
    )
    report.full_clean()
    report.save()
    for finding in chosen:
        response = ReportResponse(report=report, finding=finding)
        response.full_clean()
        response.save()
    audit_record(actor=actor, action="report.create", obj=report,
                 after=snapshot(report, REPORT_AUDIT_FIELDS),
                 note=", ".join(f"{f.issue_code_id}#{f.pk}" for f in chosen))
    return report


@transaction.atomic
def report_update(*, report: RectificationReport, actor: User, **fields) -> RectificationReport:
    """Change the front matter of a draft report."""
    report = RectificationReport.objects.select_for_update().get(pk=report.pk)
    _require_enterprise_member(actor, report.enterprise_id)
    _require_draft(report)
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    allowed = {"responsible_person", "contact_person", "contact_phone", "summary", "declaration"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(report, name, value)
    report.full_clean()
    report.save()
    audit_record(actor=actor, action="report.update", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS))
    return report


@transaction.atomic
def response_update(
    *, response: ReportResponse, actor: User, measures: str, long_term_measures: str,
    completed_on: datetime.date | None,
) -> ReportResponse:
    """Write the enterprise's answer to one finding in a draft report."""
    report = RectificationReport.objects.select_for_update().get(pk=response.report_id)
    _require_enterprise_member(actor, report.enterprise_id)
    _require_draft(report)
    if completed_on and completed_on > timezone.localdate():
        raise ApplicationError(_("The completion date cannot be in the future."))
    before = snapshot(response, RESPONSE_AUDIT_FIELDS)
    response.measures = measures
    response.long_term_measures = long_term_measures
    response.completed_on = completed_on
    response.full_clean()
    response.save()
    audit_record(actor=actor, action="response.update", obj=response, before=before,
                 after=snapshot(response, RESPONSE_AUDIT_FIELDS),
                 enterprise_id=report.enterprise_id)
    return response


@transaction.atomic
def evidence_add(*, response: ReportResponse, actor: User, uploaded) -> ReportEvidence:
    """
    Attach one evidence file to a response of a draft report, after checking
    its size, the per-response count and its content.
    """
    report = RectificationReport.objects.select_for_update().get(pk=response.report_id)
    _require_enterprise_member(actor, report.enterprise_id)
    _require_draft(report)
    if response.evidence.count() >= settings.UPLOAD_MAX_FILES:
        raise ApplicationError(
            _("A response can have at most %(n)s evidence files.") % {"n": settings.UPLOAD_MAX_FILES}
        )
    checked = check_upload(uploaded, accepts=filetypes.EVIDENCE, what=_("evidence"))
    evidence = ReportEvidence(
        response=response, original_name=checked.name, stored_stem=uuid.uuid4().hex,
        extension=checked.kind.extension, content_type=checked.kind.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by=actor,
    )
    evidence.file.save("upload", File(uploaded), save=False)
    evidence.full_clean()
    evidence.save()
    audit_record(actor=actor, action="evidence.add", obj=evidence,
                 after=snapshot(evidence, ["response_id", "original_name", "content_type",
                                           "size", "sha256"]),
                 enterprise_id=report.enterprise_id)
    return evidence


@transaction.atomic
def report_save_draft(*, report: RectificationReport, actor: User, front: dict,
                      responses: list[tuple[ReportResponse, dict]]) -> RectificationReport:
    """
    Save a draft as the enterprise sent it, all or nothing: its front
    matter, each response (`measures`, `long_term_measures`, `completed_on`)
    and each new evidence file (`files`). A refusal of any part (a file of a
    type not accepted, a date in the future) leaves the draft as it was, so
    the page shown again with what was typed never half-matches the record.
    """
    stored: list[ReportEvidence] = []
    try:
        report = report_update(report=report, actor=actor, **front)
        for response, data in responses:
            response_update(response=response, actor=actor, measures=data["measures"],
                            long_term_measures=data["long_term_measures"], completed_on=data["completed_on"])
            for uploaded in data["files"]:
                stored.append(evidence_add(response=response, actor=actor, uploaded=uploaded))
    except Exception:
        # The rows roll back with the transaction; the files written before the
        # refusal would stay in storage, unreferenced, upload after upload.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return report


@transaction.atomic
def evidence_remove(*, evidence: ReportEvidence, actor: User) -> None:
    """Remove an evidence file from a draft; the stored file goes when no version uses it."""
    report = RectificationReport.objects.select_for_update().get(pk=evidence.response.report_id)
    _require_enterprise_member(actor, report.enterprise_id)
    _require_draft(report)
    audit_record(actor=actor, action="evidence.remove", obj=evidence,
                 before=snapshot(evidence, ["response_id", "original_name", "sha256"]),
                 enterprise_id=report.enterprise_id)
    name = evidence.file.name
    assert name  # an evidence row always has its file
    storage = evidence.file.storage
    evidence.delete()
    if not ReportEvidence.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def report_submit(*, report: RectificationReport, actor: User) -> RectificationReport:
    """
    Submit a draft: check that every response is complete, lock the report,
    move each finding to "report submitted" and tell the reviewers.
    """
    report = RectificationReport.objects.select_for_update().get(pk=report.pk)
    _require_enterprise_member(actor, report.enterprise_id)
    check_transition(lifecycle.REPORT_TRANSITIONS, ReportStatus, report.status, ReportStatus.SUBMITTED,
                     subject=RectificationReport._meta.verbose_name)
    responses = list(report.responses.select_related("finding", "finding__issue_code"))
    # Findings withdrawn or closed since the draft was started need no answer.
    settled = [r for r in responses if r.finding.status not in REPORTABLE_STATUSES]
    if settled:
        ReportResponse.objects.filter(pk__in=[r.pk for r in settled]).delete()
        responses = [r for r in responses if r not in settled]
    if not responses:
        raise ApplicationError(_("None of the findings in this report still needs an answer."))
    problems = []
    if not report.responsible_person.strip():
        problems.append(_("Name the person responsible for the rectification."))
    if not report.declaration:
        problems.append(_("Confirm the declaration that the contents are true."))
    for response in responses:
        if not response.measures.strip() or response.completed_on is None:
            problems.append(
                _("Finding %(code)s: describe the measures taken and the date completed.")
                % {"code": response.finding.issue_code_id}
            )
    if problems:
        raise ApplicationError(" ".join(problems), extra={"problems": problems})
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save()
    audit_record(actor=actor, action="report.submitted", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS))
    findings = [r.finding for r in responses]
    for finding in findings:
        finding_transition(
            finding=finding, to_status=FindingStatus.REPORT_SUBMITTED, actor=actor,
            note=_("Rectification report v%(v)s") % {"v": report.version},
        )
    # Each reviewer is told of the findings of the campaigns they see only
    # (a report may answer findings of several campaigns).
    reviewers = _reviewers(findings)
    assigned: dict[int, set[int]] = {}
    for user_id, campaign_id in Campaign.team.through.objects.filter(
            user__in=reviewers).values_list("user_id", "campaign_id"):
        assigned.setdefault(user_id, set()).add(campaign_id)
    events = []
    for reviewer in reviewers:
        visible = findings if reviewer.role != Role.INSPECTOR else [
            f for f in findings if f.campaign_id in assigned.get(reviewer.pk, set())]
        if visible:
            events.append(NotifyEvent(
                [reviewer], "report_submitted", event_key("report_submitted", report),
                {"report": report, "enterprise": report.enterprise, "findings": visible,
                 "finding": visible[0]},
                reverse("rectification:report_detail", args=[report.pk])))
    notify_many(events=events)
    return report


@transaction.atomic
def report_start_next_version(*, report: RectificationReport, actor: User) -> RectificationReport:
    """
    After "changes requested", open the next version as a draft, copying the
    front matter and the responses (with their evidence) that must be revised.
    """
    report = RectificationReport.objects.select_for_update().get(pk=report.pk)
    _require_enterprise_member(actor, report.enterprise_id)
    if report.status != ReportStatus.CHANGES_REQUESTED:
        raise ApplicationError(_("A new version can only follow a version with changes requested."))
    if RectificationReport.objects.filter(previous=report).exists():
        raise ApplicationError(_("The next version of this report already exists."))
    to_revise = list(
        report.responses.filter(decision=Decision.CHANGES_REQUESTED)
        .select_related("finding").prefetch_related("evidence")
    )
    new = RectificationReport(
        enterprise_id=report.enterprise_id, version=report.version + 1, previous=report,
        responsible_person=report.responsible_person, contact_person=report.contact_person,
        contact_phone=report.contact_phone, summary=report.summary, created_by=actor,
    )
    new.full_clean()
    new.save()
    for old in to_revise:
        response = ReportResponse.objects.create(
            report=new, finding=old.finding, measures=old.measures,
            long_term_measures=old.long_term_measures, completed_on=old.completed_on,
        )
        ReportEvidence.objects.bulk_create([
            ReportEvidence(
                response=response, file=e.file.name, original_name=e.original_name,
                stored_stem=e.stored_stem, extension=e.extension, content_type=e.content_type,
                size=e.size, sha256=e.sha256, uploaded_by=e.uploaded_by,
            )
            for e in old.evidence.all()
        ])
    audit_record(actor=actor, action="report.create", obj=new,
                 after=snapshot(new, REPORT_AUDIT_FIELDS),
                 note=_("New version after changes were requested on v%(v)s") % {"v": report.version})
    return new


def _finish_review_if_complete(report: RectificationReport, actor: User) -> RectificationReport:
    """When every response has a decision, close the review of the version."""
    decisions = list(report.responses.values_list("decision", flat=True))
    if Decision.PENDING in decisions:
        return report
    to_status = (ReportStatus.ACCEPTED if all(d == Decision.ACCEPTED for d in decisions)
                 else ReportStatus.CHANGES_REQUESTED)
    check_transition(lifecycle.REPORT_TRANSITIONS, ReportStatus, report.status, to_status,
                     subject=RectificationReport._meta.verbose_name)
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.status = to_status
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.save()
    audit_record(actor=actor, action=f"report.{to_status}", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS))
    kind = "accepted" if to_status == ReportStatus.ACCEPTED else "changes_requested"
    responses = list(report.responses.select_related("finding", "finding__issue_code"))
    comments = "\n".join(
        f"{r.finding.issue_code_id}: {r.reviewer_comment}" for r in responses if r.reviewer_comment
    )
    notify(
        recipients=_enterprise_users(report.enterprise_id), kind=kind,
        event_key=event_key(kind, report),
        context={"report": report, "enterprise": report.enterprise, "finding": responses[0].finding,
                 "findings": [r.finding for r in responses], "comment": comments},
        url=reverse("portal:report_detail", args=[report.pk]),
    )
    return report


@transaction.atomic
def response_decide(
    *, response: ReportResponse, actor: User, decision: str, comment: str = "", internal_note: str = "",
) -> ReportResponse:
    """
    Accept a response (the finding closes) or request changes (the comment is
    shown to the enterprise). When every response is decided, the version is
    accepted or returned, and the enterprise is told.
    """
    require_editor(actor)
    report = RectificationReport.objects.select_for_update().get(pk=response.report_id)
    response = ReportResponse.objects.select_for_update().get(pk=response.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ApplicationError(_("Only a submitted report can be reviewed."))
    require_no_conflict([actor], enterprise_id=report.enterprise_id)
    if response.decision != Decision.PENDING:
        raise ApplicationError(_("This response has already been decided."))
    if decision not in (Decision.ACCEPTED, Decision.CHANGES_REQUESTED):
        raise ApplicationError(_("Choose accept or request changes."))
    if decision == Decision.CHANGES_REQUESTED and not comment.strip():
        raise ApplicationError(_("Say what the enterprise must change."))
    before = snapshot(response, RESPONSE_AUDIT_FIELDS)
    response.decision = decision
    response.reviewer_comment = comment
    response.internal_note = internal_note
    response.decided_by = actor
    response.decided_at = timezone.now()
    response.full_clean()
    response.save()
    audit_record(actor=actor, action=f"response.{decision}", obj=response, before=before,
                 after=snapshot(response, RESPONSE_AUDIT_FIELDS),
                 enterprise_id=report.enterprise_id)
    if response.finding.status != FindingStatus.WITHDRAWN:
        # A finding withdrawn while its report waited is closed already; the
        # decision is recorded so that the review can finish.
        finding_transition(
            finding=response.finding,
            to_status=(FindingStatus.ACCEPTED if decision == Decision.ACCEPTED
                       else FindingStatus.CHANGES_REQUESTED),
            actor=actor, note=comment,
        )
    _finish_review_if_complete(report, actor)
    return response


@transaction.atomic
def response_order_reverification(
    *, response: ReportResponse, actor: User, planned_date: datetime.date, officers: list,
    method: str, note: str = "",
) -> Inspection:
    """
    Order a re-verification of a response: a follow-up inspection of the same
    enterprise and services, with fresh sample sizes under the campaign's rule.
    The response stays pending until the reviewer decides on the result.
    """
    require_editor(actor)
    report = RectificationReport.objects.select_for_update().get(pk=response.report_id)
    response = ReportResponse.objects.select_for_update().select_related(
        "finding__inspection__campaign"
    ).get(pk=response.pk)
    if report.status != ReportStatus.SUBMITTED or response.decision != Decision.PENDING:
        raise ApplicationError(_("Only a pending response of a submitted report can be re-verified."))
    if response.reverification_id:
        raise ApplicationError(_("A re-verification has already been ordered for this response."))
    officers = list({o.pk: o for o in officers}.values())
    if len(officers) < 2:
        raise ApplicationError(_("An inspection needs at least two officers."))
    if any(not o.can_edit for o in officers):
        raise ApplicationError(_("Only inspectors and supervisors can be officers."))
    require_no_conflict(officers, enterprise_id=report.enterprise_id)
    if planned_date < timezone.localdate():
        raise ApplicationError(_("The planned date cannot be in the past."))
    original = response.finding.inspection
    campaign = original.campaign
    inspection = Inspection(
        campaign=campaign, enterprise_id=original.enterprise_id, follow_up_of=original,
        origin=InspectionOrigin.FOLLOW_UP, planned_date=planned_date, method=method, status=Inspection.Status.PLANNED,
        internal_notes=note or _("Re-verification of the rectification of %(finding)s")
        % {"finding": response.finding},
    )
    inspection.full_clean()
    inspection.save()
    inspection.officers.set(officers)
    campaign_team_add(campaign=campaign, user_ids=[o.pk for o in officers], actor=actor)
    services = [s.service for s in original.sampled_services.select_related("service")]
    if not services:
        services = list(original.enterprise.services.all())
    for service in services:
        lot = sampling.lot_size(monthly_volume=service.monthly_aigc_volume, months=campaign.months)
        InspectionService.objects.create(inspection=inspection, service=service, lot_size=lot,
                                         **sample_plan_for(campaign=campaign, lot_size=lot))
    audit_record(actor=actor, action="inspection.create", obj=inspection,
                 after=snapshot(inspection, ["follow_up_of_id", "planned_date", "method", "status"]),
                 note=_("Re-verification ordered in review of report v%(v)s") % {"v": report.version})
    before = snapshot(response, RESPONSE_AUDIT_FIELDS)
    response.reverification = inspection
    response.save(update_fields=["reverification", "updated_at"])
    audit_record(actor=actor, action="response.reverification", obj=response, before=before,
                 after=snapshot(response, RESPONSE_AUDIT_FIELDS),
                 enterprise_id=report.enterprise_id, note=note)
    return inspection


# --- extensions -------------------------------------------------------------


@transaction.atomic
def extension_request_create(
    *, finding: Finding, actor: User, reason: str, requested_deadline: datetime.date,
) -> ExtensionRequest:
    """The enterprise asks for a later deadline on one finding."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _require_enterprise_member(actor, finding.enterprise_id)
    if finding.status not in EXTENDABLE_STATUSES:
        raise ApplicationError(_("An extension can only be asked for a finding that is still open."))
    if not reason.strip():
        raise ApplicationError(_("Give a reason for the extension."))
    if requested_deadline <= finding.deadline:
        raise ApplicationError(_("The new date must be after the current deadline."))
    if ExtensionRequest.objects.filter(finding=finding, status=ExtensionStatus.PENDING).exists():
        raise ApplicationError(_("An extension request for this finding is already pending."))
    extension = ExtensionRequest(
        finding=finding, enterprise_id=finding.enterprise_id, requested_by=actor, reason=reason,
        requested_deadline=requested_deadline, previous_deadline=finding.deadline,
    )
    extension.full_clean()
    extension.save()
    audit_record(actor=actor, action="extension.create", obj=extension,
                 after=snapshot(extension, EXTENSION_AUDIT_FIELDS))
    notify(
        recipients=_supervisors(), kind="extension_requested",
        event_key=event_key("extension_requested", extension),
        context={"extension": extension, "finding": finding, "enterprise": finding.enterprise,
                 "deadline": requested_deadline},
        url=reverse("rectification:extension_detail", args=[extension.pk]),
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: ExtensionRequest, actor: User, approve: bool, note: str = "",
) -> ExtensionRequest:
    """
    A supervisor approves or denies a pending request. Only approval moves the
    deadline, through inspections.services.findings.finding_set_deadline.
    """
    require_supervisor(actor)
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    to_status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DENIED
    check_transition(lifecycle.EXTENSION_TRANSITIONS, ExtensionStatus, extension.status, to_status,
                     subject=ExtensionRequest._meta.verbose_name)
    if not approve and not note.strip():
        raise ApplicationError(_("Give the enterprise a reason for the refusal."))
    before = snapshot(extension, EXTENSION_AUDIT_FIELDS)
    extension.status = to_status
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.full_clean()
    extension.save()
    audit_record(actor=actor, action=f"extension.{to_status}", obj=extension, before=before,
                 after=snapshot(extension, EXTENSION_AUDIT_FIELDS), note=note)
    finding = extension.finding
    if approve and finding.status not in EXTENDABLE_STATUSES:
        # The finding moved on (closed, overdue, withdrawn) while the request waited.
        raise ApplicationError(
            _("The finding is now “%(status)s”; its deadline can no longer be extended.")
            % {"status": finding.get_status_display()}
        )
    if approve:
        finding = finding_set_deadline(
            finding=finding, actor=actor, deadline=extension.requested_deadline,
            reason=_("Extension approved: %(reason)s") % {"reason": extension.reason[:200]},
        )
    recipients = list(_enterprise_users(extension.enterprise_id))
    notify(
        recipients=recipients, kind="extension_decided",
        event_key=event_key("extension_decided", extension),
        context={"extension": extension, "finding": finding, "enterprise": finding.enterprise,
                 "deadline": finding.deadline, "approved": approve, "comment": note},
        url=reverse("portal:finding_detail", args=[finding.pk]),
    )
    return extension


@transaction.atomic
def extension_withdraw(*, extension: ExtensionRequest, actor: User) -> ExtensionRequest:
    """The enterprise withdraws its own pending request."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    _require_enterprise_member(actor, extension.enterprise_id)
    check_transition(lifecycle.EXTENSION_TRANSITIONS, ExtensionStatus, extension.status,
                     ExtensionStatus.WITHDRAWN, subject=ExtensionRequest._meta.verbose_name)
    before = snapshot(extension, EXTENSION_AUDIT_FIELDS)
    extension.status = ExtensionStatus.WITHDRAWN
    extension.save()
    audit_record(actor=actor, action="extension.withdrawn", obj=extension, before=before,
                 after=snapshot(extension, EXTENSION_AUDIT_FIELDS))
    return extension


# --- escalation -------------------------------------------------------------


@transaction.atomic
def escalation_record_reminder(*, finding: Finding, actor: User | None = None) -> tuple[Escalation, bool]:
    """
    Record the automatic overdue reminder of a finding and notify the
    enterprise; idempotent: a second call returns the first step.
    """
    existing = Escalation.objects.filter(finding=finding, kind=EscalationKind.REMINDER).first()
    if existing:
        return existing, False
    escalation = Escalation(
        enterprise_id=finding.enterprise_id, finding=finding, kind=EscalationKind.REMINDER,
        occurred_on=timezone.localdate(), automatic=actor is None, recorded_by=actor,
    )
    escalation.full_clean()
    escalation.save()
    audit_record(actor=actor, action="escalation.reminder", obj=escalation,
                 after=snapshot(escalation, ESCALATION_AUDIT_FIELDS))
    notify(
        recipients=_enterprise_users(finding.enterprise_id), kind="overdue",
        event_key=event_key("overdue", finding),
        context={"finding": finding, "enterprise": finding.enterprise,
                 "deadline": finding.deadline},
        url=reverse("portal:finding_detail", args=[finding.pk]),
    )
    return escalation, True


def escalation_remind_overdue() -> int:
    """Record the reminder step for every overdue finding that has none; return how many."""
    count = 0
    pending = Finding.objects.filter(status=FindingStatus.OVERDUE).exclude(
        escalations__kind=EscalationKind.REMINDER
    ).select_related("enterprise", "issue_code")
    for finding in pending.iterator(chunk_size=200):
        count += escalation_record_reminder(finding=finding)[1]
    return count


# Findings a supervisor may summon the enterprise about before their
# deadline: harmful content (CNT), label removal tools (TMP), repeats.
SERIOUS_CATEGORIES = frozenset({"CNT", "TMP"})
INTERVIEW_EARLY_STATUSES = frozenset({FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED,
                                      FindingStatus.REPORT_SUBMITTED})


def _is_serious(finding: Finding) -> bool:
    return bool(finding.issue_code.category in SERIOUS_CATEGORIES or finding.is_repeat
                or finding.repeat_of_id)


@transaction.atomic
def escalation_record(
    *, enterprise: Enterprise, actor: User, kind: str, occurred_on: datetime.date,
    finding: Finding | None = None, attendees: str = "", minutes=None, case_number: str = "",
    notes: str = "",
) -> Escalation:
    """
    A supervisor records an interview (约谈) with the enterprise: a step the
    office may take, never a prerequisite of anything. A warning (警告) or a
    fine is an administrative penalty and is imposed only through an
    administrative case (the cases app: filing, prior notice, statement and
    defence, decision), so the ladder no longer records them; steps recorded
    before stay readable. A finding past its deadline moves to "escalated".
    """
    require_supervisor(actor)
    if kind in (EscalationKind.WARNING, EscalationKind.PENALTY_REFERRAL):
        raise ApplicationError(
            _("A warning or a fine is an administrative penalty: propose a case (立案) instead.")
        )
    if kind != EscalationKind.INTERVIEW:
        raise ApplicationError(_("Reminders are recorded automatically."))
    if finding is not None:
        finding = Finding.objects.select_for_update().select_related("issue_code").get(pk=finding.pk)
        if finding.enterprise_id != enterprise.pk:
            raise ApplicationError(_("The finding belongs to another enterprise."))
        past_deadline = finding.status in (FindingStatus.OVERDUE, FindingStatus.ESCALATED)
        serious_open = _is_serious(finding) and finding.status in INTERVIEW_EARLY_STATUSES
        if not (past_deadline or serious_open):
            raise ApplicationError(
                _("Only a finding past its deadline, or a serious one (harmful content, label "
                  "removal, repeat), calls for an interview.")
            )
    if occurred_on > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."))
    if not attendees.strip():
        raise ApplicationError(_("List the attendees of the interview."))
    escalation = Escalation(
        enterprise=enterprise, finding=finding, kind=kind, occurred_on=occurred_on,
        attendees=attendees, notes=notes, recorded_by=actor,
    )
    if minutes is not None:
        checked = check_upload(minutes, accepts=filetypes.EVIDENCE, what=_("minutes"))
        escalation.minutes_name = checked.name
        escalation.minutes_stem = uuid.uuid4().hex
        escalation.minutes_extension = checked.kind.extension
        escalation.minutes_content_type = checked.kind.content_type
        escalation.minutes_sha256 = checked.sha256
        escalation.minutes.save("upload", File(minutes), save=False)
    escalation.full_clean()
    escalation.save()
    audit_record(actor=actor, action=f"escalation.{kind}", obj=escalation,
                 after=snapshot(escalation, ESCALATION_AUDIT_FIELDS))
    if finding is not None and finding.status == FindingStatus.OVERDUE:
        finding_transition(finding=finding, to_status=FindingStatus.ESCALATED, actor=actor,
                           note=escalation.get_kind_display())
    return escalation
