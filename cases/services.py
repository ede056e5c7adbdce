"""
Business rules of administrative cases. Every write goes through a function
here: it checks the lifecycle (cases.lifecycle) and the law's conditions,
writes in a transaction, records an audit event and notifies after commit.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.access import require_editor, require_supervisor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, NotPermitted
from core.lifecycle import check_transition
from core.notifications import event_key, notify
from enterprises.models import Enterprise
from inspections.models import Finding, FindingStatus, IssueCategory, IssueCode, OfficerConflict
from inspections.services.findings import finding_transition

from . import deadlines, documents, lifecycle, officers
from .models import (
    Case,
    CaseOfficer,
    CaseRecord,
    CaseSource,
    CaseStatus,
    DocumentKind,
    LimitCode,
    Outcome,
    PartySubmission,
    PenaltyKind,
    RecusalApplication,
    RecusalStatus,
    SubmissionKind,
    TeamRole,
)

S = CaseStatus
CASE_AUDIT_FIELDS = [
    "status", "number", "source", "cause", "facts", "clue_found_on", "filed_on", "filed_by_id",
    "suspended_from", "suspended_on", "suspended_days", "reason", "handling_extended",
    "extension_reason", "intended_penalty", "intended_amount", "grounds", "conduct_on", "hearing_right",
    "prior_notice_served_on", "hearing_requested", "hearing_held_on", "outcome", "penalty",
    "amount", "decision_text", "decided_on", "transferred_to", "served_on", "performed_on",
    "performance_note", "closed_on",
]
# Findings that may go to a case at once, without waiting for a deadline
# (DOMAIN §4): harmful content (CNT), label removal tools (TMP), repeats.
SERIOUS_CATEGORIES = frozenset({IssueCategory.CNT, IssueCategory.TMP})
CASE_FINDING_STATUSES = frozenset({
    FindingStatus.OPEN, FindingStatus.NOTIFIED, FindingStatus.REPORT_SUBMITTED,
    FindingStatus.CHANGES_REQUESTED, FindingStatus.OVERDUE, FindingStatus.ESCALATED,
})


# --- helpers ----------------------------------------------------------------


def _supervisors():
    return User.objects.filter(role=Role.SUPERVISOR, is_active=True)


def _enterprise_users(enterprise_id: int):
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True)


def _team_users(case: Case) -> list:
    return [a.officer for a in case.team.filter(active=True).select_related("officer")]


def _require_team_or_supervisor(case: Case, actor: User) -> None:
    require_editor(actor)
    if actor.is_supervisor:
        return
    if not case.team.filter(officer=actor, active=True).exists():
        raise NotPermitted(_("Only the officers of the case team may do this."))


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_transition(case: Case, to_status: str) -> None:
    """The case table, checked by the one lifecycle check (its message too)."""
    check_transition(lifecycle.CASE_TRANSITIONS, CaseStatus, case.status, to_status,
                     subject=Case._meta.verbose_name)


def _move(case: Case, to_status: str, *, actor: User, note: str = "", before: dict | None = None) -> Case:
    """Move `case` to `to_status` (the table decides) and audit the change."""
    _check_transition(case, to_status)
    before = before or snapshot(case, CASE_AUDIT_FIELDS)
    case.status = to_status
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=f"case.{to_status}", obj=case, before=before,
                 after=snapshot(case, CASE_AUDIT_FIELDS), note=note)
    return case


def is_serious(finding: Finding) -> bool:
    """A finding that may go to a case without waiting for its deadline."""
    return bool(finding.issue_code.category in SERIOUS_CATEGORIES or finding.is_repeat
                or finding.repeat_of_id)


def _check_findings(findings: list[Finding], *, enterprise: Enterprise, source: str) -> None:
    for finding in findings:
        if finding.enterprise_id != enterprise.pk:
            raise ApplicationError(_("A finding belongs to another enterprise."))
        if finding.status not in CASE_FINDING_STATUSES:
            raise ApplicationError(
                _("Finding %(code)s is closed and cannot go to a case.") % {"code": finding.issue_code_id}
            )
        past_deadline = finding.status in (FindingStatus.OVERDUE, FindingStatus.ESCALATED)
        if not past_deadline and not is_serious(finding):
            raise ApplicationError(
                _("Finding %(code)s is neither past its deadline nor serious (harmful content, "
                  "label removal, repeat): it follows the rectification notice.")
                % {"code": finding.issue_code_id}
            )
    if source == CaseSource.OVERDUE and not findings:
        raise ApplicationError(_("Choose the findings not rectified by the deadline."))
    if source == CaseSource.SERIOUS and not any(is_serious(f) for f in findings):
        raise ApplicationError(_("Choose at least one serious finding."))
    on_case = Case.objects.filter(
        findings__in=[f.pk for f in findings],
        status__in=lifecycle.OPEN_STATUSES,
    ).values_list("number", flat=True).first()
    if on_case is not None:
        raise ApplicationError(_("A finding is already part of an open case."))


# --- proposal and filing ----------------------------------------------------


@transaction.atomic
def case_propose(
    *, enterprise: Enterprise, actor: User, source: str, cause: str, facts: str,
    clue_found_on: datetime.date, findings: list[Finding], team: list, lead=None,
) -> Case:
    """
    An officer proposes a case (立案建议) from findings, a tip-off or a
    targeted inspection, with its team of at least two certified officers.
    """
    require_editor(actor)
    today = timezone.localdate()
    officers.require_certified(actor, today)
    if clue_found_on > today:
        raise ApplicationError(_("The date the clue was found cannot be in the future."))
    if not cause.strip() or not facts.strip():
        raise ApplicationError(_("State the cause of action and the facts."))
    findings = list(Finding.objects.select_for_update().select_related("issue_code")
                    .filter(pk__in=[f.pk for f in findings]))
    _check_findings(findings, enterprise=enterprise, source=source)
    team = officers.require_officers(team, enterprise_id=enterprise.pk, day=today)
    lead = lead or (actor if actor in team else team[0])
    case = Case(enterprise=enterprise, source=source, cause=cause.strip(), facts=facts.strip(),
                clue_found_on=clue_found_on, proposed_by=actor)
    case.full_clean()
    case.save()
    case.findings.set(findings)
    CaseOfficer.objects.bulk_create([
        CaseOfficer(case=case, officer=o, role=TeamRole.LEAD if o.pk == lead.pk else TeamRole.MEMBER)
        for o in team
    ])
    audit_record(actor=actor, action="case.proposed", obj=case,
                 after={**snapshot(case, CASE_AUDIT_FIELDS),
                        "findings": [f.pk for f in findings], "team": [o.pk for o in team]})
    notify(recipients=_supervisors(), kind="generic", event_key=event_key("case_proposed", case),
           context={"subject": _("Case proposed: %(name)s") % {"name": enterprise.name},
                    "body": _("%(actor)s proposes a case against %(name)s: %(cause)s. "
                              "The filing decision is due within its time limit.")
                    % {"actor": actor, "name": enterprise.name, "cause": case.cause}},
           url=case.get_absolute_url())
    return case


@transaction.atomic
def case_file(*, case: Case, actor: User) -> Case:
    """
    A supervisor approves the filing (立案): the case takes its number, the
    handling period starts, its findings are escalated, and the filing
    approval form (立案审批表) is issued.
    """
    require_supervisor(actor)
    case = _locked(case)
    _check_transition(case, S.FILED)
    if case.proposed_by_id == actor.pk:
        raise ApplicationError(_("The filing must be approved by a supervisor other than the proposer."))
    today = timezone.localdate()
    officers.require_officers(_team_users(case), enterprise_id=case.enterprise_id, day=today)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.number = documents.take_number(kind="case", day=today)
    case.filed_on = today
    case.filed_by = actor
    _move(case, S.FILED, actor=actor, before=before)
    for finding in case.findings.all():
        if finding.status in (FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED,
                              FindingStatus.REPORT_SUBMITTED, FindingStatus.OPEN):
            # Serious findings go to the case at once (inspections.lifecycle).
            finding_transition(finding=finding, to_status=FindingStatus.ESCALATED, actor=actor,
                               note=_("Case %(number)s filed") % {"number": case.number})
        elif finding.status == FindingStatus.OVERDUE:
            finding_transition(finding=finding, to_status=FindingStatus.ESCALATED, actor=actor,
                               note=_("Case %(number)s filed") % {"number": case.number})
    documents.issue(case=case, kind=DocumentKind.FILING_APPROVAL, actor=actor)
    notify(recipients=_team_users(case), kind="generic", event_key=event_key("case_filed", case),
           context={"subject": _("Case filed: %(number)s") % {"number": case.number},
                    "body": _("The case against %(name)s has been filed. Investigate and record "
                              "the evidence.") % {"name": case.enterprise.name}},
           url=case.get_absolute_url())
    return case


@transaction.atomic
def case_withdraw(*, case: Case, actor: User, reason: str) -> Case:
    """
    A supervisor decides not to file a proposed case (不予立案), or withdraws a
    filed one (撤销立案) before the decision, with the reason.
    """
    require_supervisor(actor)
    case = _locked(case)
    if not reason.strip():
        raise ApplicationError(_("Give the reason."))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.reason = reason.strip()
    case.closed_on = timezone.localdate()
    return _move(case, S.WITHDRAWN, actor=actor, note=case.reason, before=before)


@transaction.atomic
def case_start_investigation(*, case: Case, actor: User) -> Case:
    case = _locked(case)
    _require_team_or_supervisor(case, actor)
    officers.require_certified(actor, timezone.localdate()) if not actor.is_supervisor else None
    return _move(case, S.INVESTIGATING, actor=actor)


@transaction.atomic
def case_suspend(*, case: Case, actor: User, reason: str) -> Case:
    """Suspend (中止) the case with a reason; the handling period stops meanwhile."""
    require_supervisor(actor)
    case = _locked(case)
    if case.status not in lifecycle.SUSPENDABLE:
        _check_transition(case, S.SUSPENDED)
    if not reason.strip():
        raise ApplicationError(_("Give the reason."))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.suspended_from = case.status
    case.suspended_on = timezone.localdate()
    case.reason = reason.strip()
    return _move(case, S.SUSPENDED, actor=actor, note=case.reason, before=before)


@transaction.atomic
def case_resume(*, case: Case, actor: User) -> Case:
    """Resume a suspended case where it stood; the days suspended are not counted."""
    require_supervisor(actor)
    case = _locked(case)
    if case.status != S.SUSPENDED:
        _check_transition(case, S.FILED)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    if case.suspended_on is not None:
        case.suspended_days += (timezone.localdate() - case.suspended_on).days
    to_status = case.suspended_from
    case.suspended_from = ""
    case.suspended_on = None
    return _move(case, to_status, actor=actor, before=before)


@transaction.atomic
def case_extend(*, case: Case, actor: User, reason: str) -> Case:
    """A supervisor extends the handling period once, before it expires, with a reason."""
    require_supervisor(actor)
    case = _locked(case)
    if case.status not in lifecycle.SUSPENDABLE and case.status != S.SUSPENDED:
        raise ApplicationError(_("Only a case not yet decided can be extended."))
    if case.handling_extended:
        raise ApplicationError(_("The handling period has already been extended."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason."))
    handling = deadlines.deadline(case, LimitCode.HANDLING)
    if handling is not None and handling.due < timezone.localdate():
        raise ApplicationError(_("The handling period has already expired."))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.handling_extended = True
    case.extension_reason = reason.strip()
    case.save()
    audit_record(actor=actor, action="case.extended", obj=case, before=before,
                 after=snapshot(case, CASE_AUDIT_FIELDS), note=case.extension_reason)
    return case


# --- prior notice, defence, hearing -----------------------------------------


def _final_evidence_records(case: Case) -> int:
    from .models import RecordKind

    return CaseRecord.objects.filter(
        case=case, confirmed_at__isnull=False,
        kind__in=[RecordKind.INSPECTION, RecordKind.QUESTIONING],
    ).count()


@transaction.atomic
def case_issue_prior_notice(
    *, case: Case, actor: User, intended_penalty: str, grounds: str,
    intended_amount: Decimal | None = None, hearing_right: bool = False,
    conduct_codes: list[IssueCode] | None = None, conduct_on: datetime.date | None = None,
) -> Case:
    """
    Issue the prior notice (行政处罚事先告知书, 行政处罚法 Art. 44): facts,
    grounds, the intended penalty and the party's rights to state, defend
    and (Art. 63) ask for a hearing. Needs a confirmed record of the
    investigation. A case without findings names here the conduct it
    rests on (`conduct_codes` on `conduct_on`), so that the notice and the
    decision say which provisions, in force that day, were violated.
    """
    require_supervisor(actor)
    case = _locked(case)
    _check_transition(case, S.PRIOR_NOTICE)
    if case.status != S.INVESTIGATING:
        raise ApplicationError(_("The prior notice follows the investigation."))
    if intended_penalty not in PenaltyKind.values:
        raise ApplicationError(_("Choose the intended penalty."))
    if intended_penalty == PenaltyKind.FINE and not intended_amount:
        raise ApplicationError(_("State the amount of the intended fine."))
    if intended_amount is not None and intended_amount < 0:
        raise ApplicationError(_("The amount cannot be negative."))
    if not grounds.strip():
        raise ApplicationError(_("State the provisions and grounds."))
    if not _final_evidence_records(case):
        raise ApplicationError(
            _("No confirmed inspection or questioning record yet: the facts must rest on evidence.")
        )
    before = snapshot(case, CASE_AUDIT_FIELDS)
    if not case.findings.exists():
        _name_conduct(case, codes=conduct_codes or [], on=conduct_on)
    documents.require_orderable(case)
    case.intended_penalty = intended_penalty
    case.intended_amount = intended_amount if intended_penalty == PenaltyKind.FINE else None
    case.grounds = grounds.strip()
    case.hearing_right = hearing_right
    conduct = ", ".join(case.conduct_codes.order_by("code").values_list("code", flat=True))
    _move(case, S.PRIOR_NOTICE, actor=actor, before=before,
          note=_("Conduct named: %s") % conduct if conduct else "")
    documents.issue(case=case, kind=DocumentKind.PRIOR_NOTICE, actor=actor)
    return case


def _name_conduct(case: Case, *, codes: list[IssueCode], on: datetime.date | None) -> None:
    if not codes or on is None:
        raise ApplicationError(_(
            "This case has no findings: name the conduct (its issue codes and the date it took place)."))
    if on > timezone.localdate():
        raise ApplicationError(_("The date of the conduct cannot be in the future."))
    # 行政处罚法 Art. 36: conduct not discovered within two years is not punished.
    found = case.clue_found_on
    two_years_before = found.replace(year=found.year - 2, day=28 if (found.month, found.day) == (2, 29) else found.day)
    if on < two_years_before:
        raise ApplicationError(_(
            "The conduct took place more than two years before it was discovered: it is no longer "
            "punished (行政处罚法 Art. 36)."))
    case.conduct_on = on
    case.save(update_fields=["conduct_on", "updated_at"])
    case.conduct_codes.set(codes)


@transaction.atomic
def party_submit(*, case: Case, actor: User, kind: str, text: str, files=()) -> PartySubmission:
    """
    The party states and defends itself, or asks for a hearing, through the
    portal, before its deadline (refused after); the case team is told.
    """
    if not (actor.role == Role.ENTERPRISE and actor.enterprise_id == case.enterprise_id):
        raise NotPermitted(_("Only the party's own users may do this."))
    case = _locked(case)
    if not text.strip():
        raise ApplicationError(_("Write your statement."))
    if len(text) > 20000:
        raise ApplicationError(_("The text is too long (at most 20,000 characters)."))
    if kind == SubmissionKind.RECUSAL:
        raise ApplicationError(_("Apply for recusal on the case page, naming the officer."))
    if kind not in (SubmissionKind.STATEMENT, SubmissionKind.HEARING_REQUEST):
        raise ApplicationError(_("Choose what you submit."))
    if case.status not in (S.PRIOR_NOTICE, S.DEFENCE) or case.prior_notice_served_on is None:
        raise ApplicationError(_("The case is not open for statements now."))
    code = LimitCode.STATEMENT if kind == SubmissionKind.STATEMENT else LimitCode.HEARING_REQUEST
    if kind == SubmissionKind.HEARING_REQUEST and not case.hearing_right:
        raise ApplicationError(_("The intended penalty carries no right to a hearing."))
    limit = deadlines.deadline(case, code)
    today = timezone.localdate()
    if limit is None or today > limit.due:
        raise ApplicationError(
            _("The deadline for this submission has passed (%(date)s).")
            % {"date": limit.due.isoformat() if limit else "—"}
        )
    submission = PartySubmission(case=case, kind=kind, text=text.strip(), submitted_by=actor)
    submission.full_clean()
    submission.save()
    documents.attach_files(submission=submission, files=files)
    audit_record(actor=actor, action=f"case.submission.{kind}", obj=submission,
                 after={"kind": kind, "case": case.pk, "files": len(files)},
                 enterprise_id=case.enterprise_id)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    if kind == SubmissionKind.HEARING_REQUEST:
        case.hearing_requested = True
    if case.status == S.PRIOR_NOTICE:
        _move(case, S.DEFENCE, actor=actor, before=before)
    elif kind == SubmissionKind.HEARING_REQUEST:
        case.save()
        audit_record(actor=actor, action="case.hearing_requested", obj=case, before=before,
                     after=snapshot(case, CASE_AUDIT_FIELDS))
    notify(recipients=[*_team_users(case), *_supervisors()], kind="generic",
           event_key=event_key("case_submission", submission),
           context={"subject": _("%(kind)s received: %(number)s")
                    % {"kind": submission.get_kind_display(), "number": case.number},
                    "body": _("%(name)s has submitted its %(kind)s.")
                    % {"name": case.enterprise.name, "kind": submission.get_kind_display()}},
           url=case.get_absolute_url())
    return submission


# --- decision, service, performance, closing --------------------------------


@transaction.atomic
def case_decide(
    *, case: Case, actor: User, outcome: str, decision_text: str, penalty: str = "",
    amount: Decimal | None = None,
) -> Case:
    """
    The supervisor (负责人, 行政处罚法 Art. 57) decides: a penalty, only after
    the prior notice was served and the party was heard (its statement in,
    or its period over; a requested hearing held), and never heavier than
    announced (Art. 45); or no penalty. A transfer is `case_transfer`.
    """
    require_supervisor(actor)
    case = _locked(case)
    _check_transition(case, S.DECIDED)
    if not decision_text.strip():
        raise ApplicationError(_("Write the decision."))
    today = timezone.localdate()
    before = snapshot(case, CASE_AUDIT_FIELDS)
    if outcome == Outcome.PENALTY:
        if case.status not in (S.PRIOR_NOTICE, S.DEFENCE) or case.prior_notice_served_on is None:
            raise ApplicationError(
                _("A penalty needs a prior notice served on the party (行政处罚法 Art. 44).")
            )
        statement = deadlines.deadline(case, LimitCode.STATEMENT)
        heard = case.submissions.filter(kind=SubmissionKind.STATEMENT).exists()
        if not heard and statement is not None and today <= statement.due:
            raise ApplicationError(
                _("The party may state and defend itself until %(date)s.")
                % {"date": statement.due.isoformat()}
            )
        if case.hearing_right and not case.hearing_requested:
            hearing = deadlines.deadline(case, LimitCode.HEARING_REQUEST)
            if hearing is not None and today <= hearing.due:
                raise ApplicationError(
                    _("The party may ask for a hearing until %(date)s.")
                    % {"date": hearing.due.isoformat()}
                )
        if case.hearing_requested and case.hearing_held_on is None:
            raise ApplicationError(_("The requested hearing has not been held yet."))
        if penalty not in PenaltyKind.values:
            raise ApplicationError(_("Choose the penalty."))
        documents.require_orderable(case)
        if penalty != case.intended_penalty and penalty != PenaltyKind.WARNING:
            raise ApplicationError(
                _("The penalty differs from the one announced: issue a new prior notice.")
            )
        if penalty == PenaltyKind.FINE:
            if not amount or amount <= 0:
                raise ApplicationError(_("State the amount of the fine."))
            if case.intended_amount is not None and amount > case.intended_amount:
                raise ApplicationError(
                    _("The fine cannot exceed the amount announced in the prior notice "
                      "(行政处罚法 Art. 45).")
                )
        case.penalty = penalty
        case.amount = amount if penalty == PenaltyKind.FINE else None
        kind = DocumentKind.PENALTY_DECISION
    elif outcome == Outcome.NO_PENALTY:
        if case.status == S.FILED:
            raise ApplicationError(_("Investigate before deciding."))
        case.penalty = ""
        case.amount = None
        kind = DocumentKind.NO_PENALTY_DECISION
    else:
        raise ApplicationError(_("Choose the decision."))
    case.outcome = outcome
    case.decision_text = decision_text.strip()
    case.decided_on = today
    _move(case, S.DECIDED, actor=actor, before=before)
    documents.issue(case=case, kind=kind, actor=actor)
    return case


@transaction.atomic
def case_transfer(*, case: Case, actor: User, transferred_to: str, reason: str) -> Case:
    """
    Transfer a suspected crime to public security (行政处罚法 Art. 27) with the
    transfer letter (涉嫌犯罪案件移送书). The administrative case ends: it is
    decided as transferred and closed at once; nothing is served or
    performed as a penalty, and the party's periods stop.
    """
    require_supervisor(actor)
    case = _locked(case)
    if case.status not in (S.FILED, S.INVESTIGATING, S.PRIOR_NOTICE, S.DEFENCE):
        _check_transition(case, S.DECIDED)
        raise ApplicationError(_("Only a case under investigation can be transferred."))
    if not transferred_to.strip() or not reason.strip():
        raise ApplicationError(_("Name the public security organ and give the reason."))
    today = timezone.localdate()
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.outcome = Outcome.TRANSFERRED
    case.transferred_to = transferred_to.strip()
    case.decision_text = reason.strip()
    case.penalty = ""
    case.amount = None
    case.decided_on = today
    _move(case, S.DECIDED, actor=actor, before=before)
    documents.issue(case=case, kind=DocumentKind.TRANSFER, actor=actor)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.closed_on = today
    _move(case, S.CLOSED, actor=actor, before=before,
          note=_("Transferred to %(organ)s") % {"organ": case.transferred_to})
    documents.issue(case=case, kind=DocumentKind.CLOSING_REPORT, actor=actor)
    return case


def on_document_served(*, case: Case, kind: str, served_on: datetime.date, actor: User) -> None:
    """Move the case when a document that starts a period is served (documents.record_service)."""
    before = snapshot(case, CASE_AUDIT_FIELDS)
    if kind == DocumentKind.PRIOR_NOTICE and case.prior_notice_served_on is None:
        case.prior_notice_served_on = served_on
        case.save()
        audit_record(actor=actor, action="case.prior_notice_served", obj=case, before=before,
                     after=snapshot(case, CASE_AUDIT_FIELDS))
    elif kind in (DocumentKind.PENALTY_DECISION, DocumentKind.NO_PENALTY_DECISION) \
            and case.status == S.DECIDED:
        case.served_on = served_on
        _move(case, S.SERVED, actor=actor, before=before)


@transaction.atomic
def case_record_performance(*, case: Case, actor: User, performed_on: datetime.date, note: str) -> Case:
    """Record that the party performed the penalty (paid the fine, ...)."""
    _require_team_or_supervisor(case, actor)
    case = _locked(case)
    if case.outcome != Outcome.PENALTY:
        raise ApplicationError(_("Only a penalty is performed."))
    if performed_on > timezone.localdate() or (case.served_on and performed_on < case.served_on):
        raise ApplicationError(_("The date must lie between service and today."))
    if not note.strip():
        raise ApplicationError(_("Say how the decision was performed."))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.performed_on = performed_on
    case.performance_note = note.strip()
    return _move(case, S.PERFORMED, actor=actor, before=before)


@transaction.atomic
def case_close(*, case: Case, actor: User) -> Case:
    """Close the case with its closing report (结案报告): a penalty once performed."""
    require_supervisor(actor)
    case = _locked(case)
    _check_transition(case, S.CLOSED)
    if case.status == S.SERVED and case.outcome == Outcome.PENALTY:
        raise ApplicationError(_("Record how the penalty was performed before closing."))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.closed_on = timezone.localdate()
    _move(case, S.CLOSED, actor=actor, before=before)
    documents.issue(case=case, kind=DocumentKind.CLOSING_REPORT, actor=actor)
    return case


# --- recusal -----------------------------------------------------------------


@transaction.atomic
def recusal_apply(*, case: Case, actor: User, officer: User, reason: str) -> RecusalApplication:
    """
    The party (through the portal) or the officer themself asks that an
    officer of the case stand down (回避, 行政处罚法 Art. 43).
    """
    case = _locked(case)
    if not case.is_open:
        raise ApplicationError(_("The case is closed."))
    if not case.team.filter(officer=officer, active=True).exists():
        raise ApplicationError(_("The officer is not on the case team."))
    if not reason.strip():
        raise ApplicationError(_("Give the reason."))
    party = actor.role == Role.ENTERPRISE
    if party and actor.enterprise_id != case.enterprise_id:
        raise NotPermitted(_("Only the party's own users may do this."))
    if not party and actor.pk != officer.pk and not actor.is_supervisor:
        raise ApplicationError(_("Only the officer or a supervisor may declare a recusal."))
    if RecusalApplication.objects.filter(case=case, officer=officer,
                                         status=RecusalStatus.PENDING).exists():
        raise ApplicationError(_("An application about this officer is already pending."))
    submission = None
    if party:
        submission = PartySubmission.objects.create(
            case=case, kind=SubmissionKind.RECUSAL, text=reason.strip(), submitted_by=actor)
    application = RecusalApplication.objects.create(
        case=case, officer=officer, reason=reason.strip(), submission=submission)
    audit_record(actor=actor, action="case.recusal_applied", obj=application,
                 after=snapshot(application), enterprise_id=case.enterprise_id)
    notify(recipients=_supervisors(), kind="generic", event_key=event_key("recusal", application),
           context={"subject": _("Recusal application: %(number)s") % {"number": case.number or case.cause},
                    "body": _("An application asks that %(officer)s stand down. Decide it on the case page.")
                    % {"officer": officer}},
           url=case.get_absolute_url())
    return application


@transaction.atomic
def recusal_decide(*, application: RecusalApplication, actor: User, grant: bool, note: str,
                   replacement=None) -> RecusalApplication:
    """
    A supervisor decides a recusal application. Granted: the officer leaves
    the team, is recorded as conflicted for the enterprise (so no draw,
    re-verification, review or case chooses them again), and a replacement
    keeps the team at two certified officers.
    """
    require_supervisor(actor)
    application = RecusalApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != RecusalStatus.PENDING:
        raise ApplicationError(_("This application has already been decided."))
    if application.officer_id == actor.pk:
        raise ApplicationError(_("An officer cannot decide their own recusal."))
    if not note.strip():
        raise ApplicationError(_("Give the reasons for the decision."))
    case = _locked(application.case)
    before = snapshot(application)
    if grant:
        remaining = [o for o in _team_users(case) if o.pk != application.officer_id]
        if replacement is not None:
            remaining.append(replacement)
        OfficerConflict.objects.get_or_create(
            officer_id=application.officer_id, enterprise_id=case.enterprise_id,
            defaults={"reason": (_("Recusal granted in case %(number)s")
                                 % {"number": case.number or case.pk})[:200]},
        )
        officers.require_officers(remaining, enterprise_id=case.enterprise_id,
                                  day=timezone.localdate())
        case.team.filter(officer_id=application.officer_id).update(active=False)
        if replacement is not None:
            CaseOfficer.objects.update_or_create(
                case=case, officer=replacement, defaults={"active": True, "role": TeamRole.MEMBER})
    application.status = RecusalStatus.GRANTED if grant else RecusalStatus.REFUSED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note.strip()
    application.save()
    audit_record(actor=actor, action=f"case.recusal_{application.status}", obj=application,
                 before=before, after=snapshot(application), enterprise_id=case.enterprise_id)
    return application


# --- time limits ---------------------------------------------------------------


def case_warn_deadlines(*, today: datetime.date | None = None) -> int:
    """
    Warn the case team and the supervisors of every running time limit that
    is about to expire or has expired, once per limit and due date; return
    how many warnings were created.
    """
    today = today or timezone.localdate()
    limits = deadlines.limits_by_code()
    supervisors = list(_supervisors())
    created = 0
    cases = (Case.objects.filter(status__in=lifecycle.OPEN_STATUSES)
             .select_related("enterprise").prefetch_related("team__officer", "evidence"))
    for case in cases.iterator(chunk_size=200):
        team = [a.officer for a in case.team.all() if a.active]
        for limit in deadlines.case_deadlines(case, limits=limits, today=today):
            if not limit.warn_now(today):
                continue
            expired = limit.due < today
            key = event_key("case_deadline", case, limit.code, limit.due.isoformat(),
                            "expired" if expired else "soon")
            created += len(notify(
                recipients=[*team, *supervisors], kind="case_deadline", event_key=key,
                context={"case": case, "limit": limit, "expired": expired,
                         "days_left": (limit.due - today).days},
                url=reverse("cases:case_detail", args=[case.pk]),
            ))
    return created
