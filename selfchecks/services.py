"""
Writes of self-inspections: launch, the enterprise's answers, evidence and
submission, staff review, reminders and overdue marks, and the detection of
contradictions with inspection findings. Each runs in a transaction, records
an audit event and notifies after commit (core.notifications), as the
rectification loop does.
"""

import datetime
import uuid
from collections import defaultdict

from django.core.files.base import File
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core import filetypes
from core.access import require_supervisor
from core.audit import audit_event, audit_record, audit_record_many, snapshot
from core.exceptions import ApplicationError
from core.lifecycle import check_transition
from core.notifications import NotifyEvent, event_key, notify, notify_many
from core.uploads import check_upload
from enterprises.models import MODALITY_FIELDS, ROLE_FIELDS, Enterprise, EnterpriseStatus, Service
from inspections.models import Campaign, Finding, FindingStatus, IssueCode, PlanEntry
from inspections.selectors import campaign_list, plan_frame
from rectification.services import require_no_conflict

from . import lifecycle
from .models import (
    DECLARED,
    EDITABLE,
    Answer,
    Contradiction,
    ReportStatus,
    Scope,
    SelfInspection,
    SelfReport,
    SelfReportEvidence,
    SelfReportItem,
)

LAUNCH_AUDIT_FIELDS = ["campaign_id", "title", "instructions", "due_date", "remind_days", "scope",
                       "scope_filters"]
REPORT_AUDIT_FIELDS = ["status", "due_date", "responsible_person", "contact_phone", "summary",
                       "declaration", "submitted_at", "submitted_by_id", "reviewed_at",
                       "reviewed_by_id", "review_comment", "reminded_for", "overdue_for"]
ITEM_AUDIT_FIELDS = ["issue_code_id", "answer", "note", "plan_measures", "plan_start", "plan_due",
                     "reviewer_comment"]
TEXT_LIMIT = 4000
MAX_ENTERPRISES = 20000
MAX_REMIND_DAYS = 30
BATCH = 1000


# --- helpers ----------------------------------------------------------------


def _enterprise_users(enterprise_ids):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=list(enterprise_ids),
                               is_active=True)


def _launcher_or_supervisors(self_inspection: SelfInspection) -> list:
    launcher = self_inspection.launched_by
    if launcher is not None and launcher.is_active:
        return [launcher]
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))


def _require_member(actor: User, enterprise_id: int) -> None:
    if not (actor.role == Role.ENTERPRISE and actor.enterprise_id == enterprise_id):
        raise ApplicationError(_("Only the enterprise's own users may do this."))


def _require_reviewer(actor: User, campaign_id: int) -> None:
    """Inspectors of the campaign's team and supervisors review; analysts read only."""
    if not actor.can_edit or not campaign_list(viewer=actor).filter(
            pk=campaign_id).exists():
        raise ApplicationError(_("Only inspectors of the campaign and supervisors review "
                                 "self-inspection reports."))


def _require_editable(report: SelfReport) -> None:
    if report.status not in EDITABLE:
        raise ApplicationError(_("This self-inspection report has been submitted and is locked."))


def _lock(report: SelfReport) -> SelfReport:
    return SelfReport.objects.select_for_update().select_related(
        "self_inspection", "enterprise").get(pk=report.pk)


def _clip(text: str | None) -> str:
    return (text or "").strip()[:TEXT_LIMIT]


# --- the checklist ----------------------------------------------------------


def checklist_codes(*, roles: list[str], modalities: set[str], codes: list[IssueCode]) -> list[IssueCode]:
    """
    The taxonomy codes that apply to an enterprise with these roles and
    content modalities: a code with no roles (or modalities) listed applies
    to every enterprise (or modality).
    """
    return [
        code for code in codes
        if (not code.roles or set(code.roles) & set(roles))
        and (not code.modalities or set(code.modalities) & modalities)
    ]


def _profiles(enterprise_ids: list[int]) -> dict[int, tuple[list[str], set[str]]]:
    """Each enterprise's roles and the modalities its services offer, in two queries."""
    profiles: dict[int, tuple[list[str], set[str]]] = {}
    for row in Enterprise.objects.filter(pk__in=enterprise_ids).values("pk", *ROLE_FIELDS.values()):
        profiles[row["pk"]] = ([role for role, field in ROLE_FIELDS.items() if row[field]], set())
    for row in (Service.objects.filter(enterprise_id__in=enterprise_ids).order_by()
                .values("enterprise_id", *MODALITY_FIELDS.values())):
        profiles[row["enterprise_id"]][1].update(m for m, f in MODALITY_FIELDS.items() if row[f])
    return profiles


def scope_enterprise_ids(*, campaign: Campaign, scope: str, filters: dict) -> list[int]:
    """
    The active enterprises in scope: those inspected in the campaign or drawn
    by its plans, or those a frame filter (roles, districts, risk tiers,
    modalities) selects.
    """
    if scope == Scope.CAMPAIGN:
        queryset = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).filter(
            Q(inspections__campaign=campaign)
            | Q(pk__in=PlanEntry.objects.filter(plan__campaign=campaign).values("enterprise_id")))
    elif scope == Scope.FILTER:
        queryset = plan_frame(filters=filters)
    else:
        raise ApplicationError(_("Choose the scope of the self-inspection."))
    return sorted(set(queryset.values_list("pk", flat=True)))


# --- launch -----------------------------------------------------------------


@transaction.atomic
def selfinspection_launch(
    *, campaign: Campaign, actor: User, title: str, due_date: datetime.date, scope: str,
    filters: dict | None = None, instructions: str = "", remind_days: int = 3,
) -> SelfInspection:
    """
    A supervisor launches a self-inspection: every enterprise in scope gets a
    report whose checklist holds the codes that apply to it, and its users
    are told.
    """
    require_supervisor(actor, _("Only a supervisor launches a self-inspection."))
    title = (title or "").strip()[:200]
    if not title:
        raise ApplicationError(_("Give the self-inspection a title."))
    if campaign.status == Campaign.Status.CLOSED:
        raise ApplicationError(_("The campaign is closed."))
    if due_date <= timezone.localdate():
        raise ApplicationError(_("The due date must be after today."))
    filters = (filters or {}) if scope == Scope.FILTER else {}
    enterprise_ids = scope_enterprise_ids(campaign=campaign, scope=scope, filters=filters)
    if not enterprise_ids:
        raise ApplicationError(_("No active enterprise is in this scope."))
    if len(enterprise_ids) > MAX_ENTERPRISES:
        raise ApplicationError(_("The scope holds %(n)s enterprises, more than %(max)s: narrow it.")
                               % {"n": len(enterprise_ids), "max": MAX_ENTERPRISES})
    if not 0 <= remind_days <= MAX_REMIND_DAYS:
        raise ApplicationError(_("Remind between 0 and %(max)s days before the due date.")
                               % {"max": MAX_REMIND_DAYS})
    launch = SelfInspection(campaign=campaign, title=title, instructions=_clip(instructions),
                            due_date=due_date, remind_days=remind_days, scope=scope,
                            scope_filters=filters, launched_by=actor)
    launch.full_clean()
    launch.save()
    codes = list(IssueCode.objects.filter(active=True).order_by("code"))
    for start in range(0, len(enterprise_ids), BATCH):
        chunk = enterprise_ids[start:start + BATCH]
        profiles = _profiles(chunk)
        reports = SelfReport.objects.bulk_create(
            [SelfReport(self_inspection=launch, enterprise_id=pk, due_date=due_date) for pk in chunk])
        items: list[SelfReportItem] = []
        for report in reports:
            roles, modalities = profiles[report.enterprise_id]
            items.extend(SelfReportItem(report=report, issue_code=code)
                         for code in checklist_codes(roles=roles, modalities=modalities, codes=codes))
        SelfReportItem.objects.bulk_create(items, batch_size=BATCH)
        audit_record_many([audit_event(actor=actor, action="selfreport.create", obj=report,
                                       after=snapshot(report, ["status", "due_date"]))
                           for report in reports])
        _notify_launch(launch, reports)
    audit_record(actor=actor, action="selfinspection.launch", obj=launch,
                 after={**snapshot(launch, LAUNCH_AUDIT_FIELDS), "enterprises": len(enterprise_ids)})
    return launch


def _notify_launch(launch: SelfInspection, reports: list[SelfReport]) -> None:
    users: dict[int, list] = defaultdict(list)
    for user in _enterprise_users(r.enterprise_id for r in reports):
        users[user.enterprise_id].append(user)
    notify_many(events=[
        NotifyEvent(users[report.enterprise_id], "selfcheck_launched",
                    event_key("selfcheck_launched", report),
                    {"self_inspection": launch, "report": report, "due_date": launch.due_date},
                    reverse("portal:selfcheck_edit", args=[report.pk]))
        for report in reports if users.get(report.enterprise_id)
    ])


# --- the enterprise's answers -----------------------------------------------


@transaction.atomic
def report_save(*, report: SelfReport, actor: User, front: dict, answers: dict[int, dict]) -> SelfReport:
    """
    Save the enterprise's draft: the front matter and, per checklist item
    (by id), the answer, how it was checked and the rectification plan.
    Only items that changed are written and audited.
    """
    report = _lock(report)
    _require_member(actor, report.enterprise_id)
    _require_editable(report)
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.responsible_person = (front.get("responsible_person") or "").strip()[:60]
    report.contact_phone = (front.get("contact_phone") or "").strip()[:30]
    report.summary = _clip(front.get("summary"))
    report.declaration = bool(front.get("declaration"))
    report.full_clean()
    report.save()
    after = snapshot(report, REPORT_AUDIT_FIELDS)
    if after != before:
        audit_record(actor=actor, action="selfreport.update", obj=report, before=before, after=after)
    events = []
    for item in report.items.select_related("issue_code"):
        values = answers.get(item.pk)
        if values is None:
            continue
        answer = values.get("answer") or ""
        if answer and answer not in Answer.values:
            raise ApplicationError(_("Choose compliant, not compliant or not applicable."))
        plan_start, plan_due = values.get("plan_start"), values.get("plan_due")
        if plan_start and plan_due and plan_due < plan_start:
            raise ApplicationError(
                _("%(code)s: the rectification cannot be completed before it starts.")
                % {"code": item.issue_code_id})
        item_before = snapshot(item, ITEM_AUDIT_FIELDS)
        item.answer = answer
        item.note = _clip(values.get("note"))
        item.plan_measures = _clip(values.get("plan_measures"))
        item.plan_start, item.plan_due = plan_start, plan_due
        item_after = snapshot(item, ITEM_AUDIT_FIELDS)
        if item_after != item_before:
            item.save()
            events.append(audit_event(actor=actor, action="selfitem.update", obj=item,
                                      before=item_before, after=item_after,
                                      enterprise_id=report.enterprise_id))
    audit_record_many(events)
    return report


@transaction.atomic
def evidence_add(*, item: SelfReportItem, actor: User, uploaded) -> SelfReportEvidence:
    """Attach one evidence file to a checklist item, checked as every evidence file is."""
    from django.conf import settings

    report = _lock(item.report)
    _require_member(actor, report.enterprise_id)
    _require_editable(report)
    if item.evidence.count() >= settings.UPLOAD_MAX_FILES:
        raise ApplicationError(_("An item can have at most %(n)s evidence files.")
                               % {"n": settings.UPLOAD_MAX_FILES})
    checked = check_upload(uploaded, accepts=filetypes.EVIDENCE, what=_("evidence"))
    evidence = SelfReportEvidence(item=item, original_name=checked.name, stored_stem=uuid.uuid4().hex,
                                  extension=checked.kind.extension,
                                  content_type=checked.kind.content_type,
                                  size=checked.size, sha256=checked.sha256, uploaded_by=actor)
    evidence.file.save("upload", File(uploaded), save=False)
    evidence.full_clean()
    evidence.save()
    audit_record(actor=actor, action="selfevidence.add", obj=evidence,
                 after=snapshot(evidence, ["item_id", "original_name", "content_type", "size",
                                           "sha256"]),
                 enterprise_id=report.enterprise_id)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: SelfReportEvidence, actor: User) -> None:
    """Remove an evidence file while the report can still be edited."""
    report = _lock(evidence.item.report)
    _require_member(actor, report.enterprise_id)
    _require_editable(report)
    audit_record(actor=actor, action="selfevidence.remove", obj=evidence,
                 before=snapshot(evidence, ["item_id", "original_name", "sha256"]),
                 enterprise_id=report.enterprise_id)
    name, storage = evidence.file.name or "", evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def submission_problems(report: SelfReport) -> list[str]:
    """What still stops the report from being submitted, in the user's words."""
    problems = []
    if not report.responsible_person.strip():
        problems.append(_("Name the person responsible for the self-inspection."))
    if not report.declaration:
        problems.append(_("Confirm the declaration that the answers are true."))
    for item in report.items.all():
        if not item.answer:
            problems.append(_("%(code)s: choose compliant, not compliant or not applicable.")
                            % {"code": item.issue_code_id})
        elif item.answer == Answer.NONCOMPLIANT and not (
                item.plan_measures.strip() and item.plan_start and item.plan_due):
            problems.append(_("%(code)s is not compliant: describe the rectification planned, with "
                              "its start and completion dates.") % {"code": item.issue_code_id})
    return problems


@transaction.atomic
def report_submit(*, report: SelfReport, actor: User) -> SelfReport:
    """Submit (or resubmit after a request for changes): lock it and tell the reviewer."""
    report = _lock(report)
    _require_member(actor, report.enterprise_id)
    if report.status == ReportStatus.SUBMITTED:
        return report  # a repeated POST submits nothing twice
    check_transition(lifecycle.REPORT_TRANSITIONS, ReportStatus, report.status, ReportStatus.SUBMITTED,
                     subject=SelfReport._meta.verbose_name)
    problems = submission_problems(report)
    if problems:
        raise ApplicationError(" ".join(problems), extra={"problems": problems})
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save()
    audit_record(actor=actor, action="selfreport.submitted", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS))
    notify(recipients=_launcher_or_supervisors(report.self_inspection), kind="selfcheck_submitted",
           event_key=event_key("selfcheck_submitted", report, report.submitted_at.isoformat()),
           context={"report": report, "enterprise": report.enterprise,
                    "self_inspection": report.self_inspection},
           url=reverse("selfchecks:report_detail", args=[report.pk]))
    return report


# --- review -----------------------------------------------------------------


@transaction.atomic
def report_review(
    *, report: SelfReport, actor: User, accept: bool, comment: str = "",
    item_comments: dict[int, str] | None = None, resubmit_by: datetime.date | None = None,
) -> SelfReport:
    """
    Accept a submitted report, or request changes (with what to change and
    the date to resubmit by); comments per item are shown to the enterprise.
    """
    report = _lock(report)
    _require_reviewer(actor, report.self_inspection.campaign_id)
    # The same 回避 rule as a rectification report's review.
    require_no_conflict([actor], enterprise_id=report.enterprise_id)
    to_status = ReportStatus.ACCEPTED if accept else ReportStatus.CHANGES_REQUESTED
    if report.status == to_status:
        return report
    check_transition(lifecycle.REPORT_TRANSITIONS, ReportStatus, report.status, to_status,
                     subject=SelfReport._meta.verbose_name)
    comment = _clip(comment)
    item_comments = {pk: _clip(text) for pk, text in (item_comments or {}).items()}
    if not accept:
        if not comment and not any(item_comments.values()):
            raise ApplicationError(_("Say what the enterprise must change."))
        if resubmit_by is None or resubmit_by <= timezone.localdate():
            raise ApplicationError(_("Give a date after today by which to resubmit."))
    events = []
    for item in report.items.filter(pk__in=list(item_comments)):
        item_before = snapshot(item, ITEM_AUDIT_FIELDS)
        item.reviewer_comment = item_comments[item.pk]
        if item.reviewer_comment != item_before["reviewer_comment"]:
            item.save(update_fields=["reviewer_comment"])
            events.append(audit_event(actor=actor, action="selfitem.comment", obj=item,
                                      before=item_before, after=snapshot(item, ITEM_AUDIT_FIELDS),
                                      enterprise_id=report.enterprise_id))
    audit_record_many(events)
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.status = to_status
    report.review_comment = comment
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    if not accept and resubmit_by is not None:
        report.due_date = resubmit_by
    report.save()
    audit_record(actor=actor, action=f"selfreport.{to_status}", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS), note=comment)
    notify(recipients=_enterprise_users([report.enterprise_id]), kind="selfcheck_reviewed",
           event_key=event_key("selfcheck_reviewed", report, report.reviewed_at.isoformat()),
           context={"report": report, "self_inspection": report.self_inspection,
                    "accepted": accept, "comment": comment, "due_date": report.due_date},
           url=reverse("portal:selfcheck_detail", args=[report.pk]))
    return report


# --- reminders and overdue --------------------------------------------------


def _remind(report: SelfReport, *, kind: str, key: str, actor: User | None = None) -> bool:
    return bool(notify(recipients=_enterprise_users([report.enterprise_id]), kind=kind,
                       event_key=key,
                       context={"report": report, "self_inspection": report.self_inspection,
                                "due_date": report.due_date},
                       url=reverse("portal:selfcheck_edit", args=[report.pk])))


def reports_remind_and_mark_overdue(*, today: datetime.date | None = None) -> dict[str, int]:
    """
    Daily: remind, once per due date, the enterprises whose report is not
    (re)submitted and falls due within the launch's reminder days; mark those
    past the due date overdue, once per due date, telling the enterprise and
    the supervisor who launched it. A second run the same day does nothing.
    """
    today = today or timezone.localdate()
    counts = {"reminded": 0, "overdue": 0}
    # Reports already marked overdue for their due date are done; reminders
    # reach at most MAX_REMIND_DAYS ahead.
    pending = (SelfReport.objects.filter(status__in=EDITABLE,
                                         due_date__lte=today + datetime.timedelta(days=MAX_REMIND_DAYS))
               .filter(Q(overdue_for__isnull=True) | ~Q(overdue_for=F("due_date")))
               .select_related("self_inspection", "self_inspection__launched_by", "enterprise")
               .order_by("pk"))
    for report in pending.iterator(chunk_size=500):
        days_left = (report.due_date - today).days
        if days_left < 0 and report.overdue_for != report.due_date:
            counts["overdue"] += _mark_overdue(report=report)
        elif 0 <= days_left <= report.self_inspection.remind_days and report.reminded_for != report.due_date:
            counts["reminded"] += _mark_reminded(report=report)
    return counts


@transaction.atomic
def _mark_reminded(*, report: SelfReport) -> int:
    report = _lock(report)
    if report.status not in EDITABLE or report.reminded_for == report.due_date:
        return 0
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.reminded_for = report.due_date
    report.save(update_fields=["reminded_for", "updated_at"])
    audit_record(actor=None, action="selfreport.reminded", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS))
    _remind(report, kind="selfcheck_reminder",
            key=event_key("selfcheck_reminder", report, report.due_date.isoformat()))
    return 1


@transaction.atomic
def _mark_overdue(*, report: SelfReport) -> int:
    report = _lock(report)
    if report.status not in EDITABLE or report.overdue_for == report.due_date:
        return 0
    before = snapshot(report, REPORT_AUDIT_FIELDS)
    report.overdue_for = report.due_date
    report.save(update_fields=["overdue_for", "updated_at"])
    audit_record(actor=None, action="selfreport.overdue", obj=report, before=before,
                 after=snapshot(report, REPORT_AUDIT_FIELDS))
    key = event_key("selfcheck_overdue", report, report.due_date.isoformat())
    _remind(report, kind="selfcheck_overdue", key=key)
    notify(recipients=_launcher_or_supervisors(report.self_inspection), kind="selfcheck_overdue",
           event_key=key, context={"report": report, "self_inspection": report.self_inspection,
                                   "due_date": report.due_date, "staff": True},
           url=reverse("selfchecks:report_detail", args=[report.pk]))
    return 1


@transaction.atomic
def selfinspection_remind_now(*, self_inspection: SelfInspection, actor: User) -> int:
    """
    Staff remind every enterprise that has not (re)submitted, at most once a
    day each; return how many were reminded now.
    """
    _require_reviewer(actor, self_inspection.campaign_id)
    today = timezone.localdate().isoformat()
    count = 0
    for report in (self_inspection.reports.filter(status__in=EDITABLE)
                   .select_related("enterprise", "self_inspection").iterator(chunk_size=500)):
        count += _remind(report, kind="selfcheck_reminder",
                         key=event_key("selfcheck_reminder", report, "staff", today))
    audit_record(actor=actor, action="selfinspection.remind", obj=self_inspection,
                 after={"reminded": count})
    return count


# --- contradictions ---------------------------------------------------------


def _declared_compliant():
    return SelfReportItem.objects.filter(answer=Answer.COMPLIANT, report__status__in=DECLARED,
                                         report__submitted_at__isnull=False)


def contradictions_detect(*, enterprise_ids: list[int] | None = None) -> int:
    """
    Record each finding (not withdrawn) made after an enterprise declared the
    same item compliant in a submitted self-inspection, once; audit it and
    tell the finding's officers and the supervisor who launched the
    self-inspection. Return how many were recorded now.
    """
    declared = _declared_compliant().filter(
        issue_code_id=OuterRef("issue_code_id"), report__enterprise_id=OuterRef("enterprise_id"),
        report__submitted_at__lt=OuterRef("created_at"))
    findings = (Finding.objects.exclude(status=FindingStatus.WITHDRAWN)
                .filter(Exists(declared)).order_by("pk")
                .values_list("pk", "enterprise_id", "issue_code_id", "created_at"))
    if enterprise_ids is not None:
        findings = findings.filter(enterprise_id__in=enterprise_ids)
    count = 0
    rows = list(findings)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        items = (_declared_compliant()
                 .filter(report__enterprise_id__in={r[1] for r in chunk},
                         issue_code_id__in={r[2] for r in chunk})
                 .values_list("pk", "report__enterprise_id", "issue_code_id", "report__submitted_at"))
        by_key = defaultdict(list)
        for item_id, enterprise_id, code, submitted_at in items:
            by_key[(enterprise_id, code)].append((item_id, submitted_at))
        known = set(Contradiction.objects.filter(finding_id__in=[r[0] for r in chunk])
                    .values_list("item_id", "finding_id"))
        for finding_id, enterprise_id, code, created_at in chunk:
            for item_id, submitted_at in by_key[(enterprise_id, code)]:
                if submitted_at < created_at and (item_id, finding_id) not in known:
                    count += _record_contradiction(item_id=item_id, finding_id=finding_id)
    return count


@transaction.atomic
def _record_contradiction(*, item_id: int, finding_id: int) -> int:
    contradiction, created = Contradiction.objects.get_or_create(
        item_id=item_id, finding_id=finding_id,
        defaults={"enterprise_id": Finding.objects.values_list("enterprise_id", flat=True)
                  .get(pk=finding_id)})
    if not created:
        return 0
    contradiction = Contradiction.objects.select_related(
        "item__report__self_inspection__launched_by", "finding__issue_code",
        "finding__inspection", "enterprise").get(pk=contradiction.pk)
    finding, report = contradiction.finding, contradiction.item.report
    audit_record(actor=None, action="selfcheck.contradiction", obj=contradiction,
                 after={"item_id": item_id, "finding_id": finding_id,
                        "issue_code": finding.issue_code_id, "declared_at": report.submitted_at},
                 enterprise_id=contradiction.enterprise_id)
    recipients = {u.pk: u for u in finding.inspection.officers.filter(is_active=True)}
    recipients.update({u.pk: u for u in _launcher_or_supervisors(report.self_inspection)})
    notify(recipients=recipients.values(), kind="selfcheck_contradiction",
           event_key=event_key("selfcheck_contradiction", contradiction),
           context={"finding": finding, "enterprise": contradiction.enterprise, "report": report,
                    "declared_at": report.submitted_at},
           url=reverse("inspections:finding_detail", args=[finding.pk]))
    return 1
