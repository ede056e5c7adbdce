"""
Writes of tip-offs: the public submission and staff triage. Each runs in a
transaction and records an audit event.
"""

import datetime
import secrets

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, NotPermitted
from core.lifecycle import check_transition
from core.notifications import event_key, notify
from inspections import labels, workdays
from inspections.models import Inspection, SampledItem, TargetBasis
from inspections.services import findings as finding_services
from inspections.services import inspections as inspection_services
from inspections.services import targeted

from . import lifecycle
from .models import DayKind, ReplyRule, TipOff, TipStatus

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
AUDIT_FIELDS = ["status", "category", "enterprise_id", "assigned_to_id", "merged_into_id",
                "inspection_id", "finding_id", "substantiated", "reason", "concluded_at",
                "acknowledge_reminded_for", "conclude_reminded_for"]
PUBLIC_FIELDS = {"category", "service_name", "url", "description", "seen_on", "reporter_name",
                 "reporter_contact"}


def new_tracking_code() -> str:
    """JB + 10 characters without look-alikes (0/O, 1/I): about 50 bits, not guessable."""
    return "JB" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def due_date(start: datetime.date, rule: ReplyRule | None) -> datetime.date | None:
    if rule is None:
        return None
    if rule.day_kind == DayKind.WORKING:
        return workdays.add_working_days(start, rule.days).date
    return start + datetime.timedelta(days=rule.days)


def _label_check(upload, name: str) -> tuple[str, dict]:
    upload.seek(0)
    result = labels.check_stream(upload, path=name)
    upload.seek(0)
    data = {**result.to_json_dict(), "reason": result.reason}
    return result.verdict, data


def tipoff_submit(*, fields: dict, upload=None, upload_info=None) -> TipOff:
    """
    Record a report from the public with a new tracking code and its reply
    dates; a file is label-checked at once. No actor: reporters are anonymous.
    """
    unknown = set(fields) - PUBLIC_FIELDS
    if unknown:
        raise ApplicationError(_("These fields cannot be set: %(fields)s") % {
            "fields": ", ".join(sorted(unknown))})
    verdict, result = "", None
    if upload is not None:
        verdict, result = _label_check(upload, upload_info.name)
    today = timezone.localdate()
    rules = {r.step: r for r in ReplyRule.objects.all()}
    for _attempt in range(5):
        tipoff = TipOff(tracking_code=new_tracking_code(), **fields,
                        acknowledge_due=due_date(today, rules.get(ReplyRule.Step.ACKNOWLEDGE)),
                        conclude_due=due_date(today, rules.get(ReplyRule.Step.CONCLUDE)))
        if upload is not None:
            tipoff.file_name = upload_info.name
            tipoff.file_kind = upload_info.kind
            tipoff.file_size = upload_info.size
            tipoff.file_sha256 = upload_info.sha256
            tipoff.label_verdict = verdict
            tipoff.label_result = result
        try:
            with transaction.atomic():
                if upload is not None:
                    tipoff.file.save("upload", upload, save=False)
                tipoff.save()
                audit_record(actor=None, action="tipoff.create", obj=tipoff,
                             after={**snapshot(tipoff, AUDIT_FIELDS), "label_verdict": verdict})
            return tipoff
        except IntegrityError:  # the one-in-a-quadrillion code collision: draw again
            continue
    raise ApplicationError(_("The report could not be recorded. Please try again."))


# --- staff ---------------------------------------------------------------------------


def can_triage(user: User) -> bool:
    return user.can_edit


def can_see_contact(*, tipoff: TipOff, user: User) -> bool:
    """The reporter's contact: supervisors and the officer it is assigned to, nobody else."""
    return bool(user.is_authenticated and (
        user.role == Role.SUPERVISOR or (tipoff.assigned_to_id and tipoff.assigned_to_id == user.pk)))


def _require_triage(actor: User) -> None:
    if not can_triage(actor):
        raise NotPermitted(_("Only inspectors and supervisors handle tip-offs."))


def _lock(tipoff: TipOff) -> TipOff:
    return TipOff.objects.select_for_update().get(pk=tipoff.pk)


def _move(tipoff: TipOff, *, to_status: str, actor: User, reason: str, action: str, extra=None) -> TipOff:
    if tipoff.status == to_status:
        return tipoff  # a repeated POST changes nothing twice
    check_transition(lifecycle.TRANSITIONS, TipStatus, tipoff.status, to_status,
                     subject=TipOff._meta.verbose_name)
    reason = (reason or "").strip()
    if to_status in lifecycle.NEEDS_REASON and not reason:
        raise ApplicationError(_("Give the reason for this decision."))
    before = snapshot(tipoff, AUDIT_FIELDS)
    for name, value in (extra or {}).items():
        setattr(tipoff, name, value)
    tipoff.status = to_status
    if reason:
        tipoff.reason = reason[:2000]
    if to_status in (TipStatus.VALID, TipStatus.INVALID):
        tipoff.substantiated = to_status == TipStatus.VALID
    if to_status in lifecycle.CONCLUDED and tipoff.concluded_at is None:
        tipoff.concluded_at = timezone.now()
    tipoff.save()
    audit_record(actor=actor, action=action, obj=tipoff, before=before,
                 after=snapshot(tipoff, AUDIT_FIELDS), enterprise_id=tipoff.enterprise_id,
                 note=reason[:2000])
    return tipoff


@transaction.atomic
def tipoff_transition(*, tipoff: TipOff, to_status: str, actor: User, reason: str = "") -> TipOff:
    """Move a tip-off along its lifecycle (merging and converting have their own steps)."""
    _require_triage(actor)
    if to_status in (TipStatus.MERGED, TipStatus.CONVERTED):
        raise ApplicationError(_("Use the merge or convert step for this."))
    tipoff = _lock(tipoff)
    return _move(tipoff, to_status=to_status, actor=actor, reason=reason,
                 action=f"tipoff.{to_status}")


@transaction.atomic
def tipoff_assign(*, tipoff: TipOff, assignee: User | None, actor: User) -> TipOff:
    """A supervisor gives the tip-off to an inspector or supervisor."""
    if actor.role != Role.SUPERVISOR:
        raise NotPermitted(_("Only a supervisor assigns tip-offs."))
    if assignee is not None and not assignee.can_edit:
        raise ApplicationError(_("Tip-offs are assigned to inspectors or supervisors."))
    tipoff = _lock(tipoff)
    before = snapshot(tipoff, AUDIT_FIELDS)
    tipoff.assigned_to = assignee
    tipoff.save(update_fields=["assigned_to", "updated_at"])
    audit_record(actor=actor, action="tipoff.assign", obj=tipoff, before=before,
                 after=snapshot(tipoff, AUDIT_FIELDS), enterprise_id=tipoff.enterprise_id)
    return tipoff


@transaction.atomic
def tipoff_link_enterprise(*, tipoff: TipOff, enterprise, actor: User) -> TipOff:
    """Say which registered enterprise the report concerns (or none)."""
    _require_triage(actor)
    tipoff = _lock(tipoff)
    if tipoff.status in (TipStatus.MERGED, TipStatus.CLOSED):
        raise ApplicationError(_("A merged or closed tip-off cannot be changed."))
    before = snapshot(tipoff, AUDIT_FIELDS)
    tipoff.enterprise = enterprise
    tipoff.save(update_fields=["enterprise", "updated_at"])
    audit_record(actor=actor, action="tipoff.link", obj=tipoff, before=before,
                 after=snapshot(tipoff, AUDIT_FIELDS),
                 enterprise_id=enterprise.pk if enterprise else None)
    return tipoff


@transaction.atomic
def tipoff_merge(*, tipoff: TipOff, into: TipOff, actor: User, reason: str) -> TipOff:
    """
    Merge a duplicate into the report that is handled: it follows that
    one's course; the reporter sees "being handled".
    """
    _require_triage(actor)
    tipoff, into = _lock(tipoff), _lock(into)
    if into.pk == tipoff.pk:
        raise ApplicationError(_("A tip-off cannot be merged into itself."))
    if into.status == TipStatus.MERGED and into.merged_into is not None:
        raise ApplicationError(_("%(code)s is itself merged into %(root)s: merge into that one.") % {
            "code": into.tracking_code, "root": into.merged_into.tracking_code})
    if into.status == TipStatus.CLOSED:
        raise ApplicationError(_("%(code)s is closed: a duplicate cannot be merged into it.") % {
            "code": into.tracking_code})
    tipoff = _move(tipoff, to_status=TipStatus.MERGED, actor=actor, reason=reason,
                   action="tipoff.merge",
                   extra={"merged_into": into, "enterprise": tipoff.enterprise or into.enterprise})
    # Duplicates merged into this one follow it to the report that is handled.
    TipOff.objects.filter(merged_into=tipoff).update(merged_into=into)
    return tipoff


def _ready_to_convert(tipoff: TipOff) -> None:
    if tipoff.status != TipStatus.VALID:
        raise ApplicationError(_("Only a substantiated tip-off is converted into an inspection or a "
                                 "finding: decide it first."))
    if tipoff.enterprise_id is None:
        raise ApplicationError(_("Link the tip-off to the enterprise concerned first."))


@transaction.atomic
def tipoff_convert_inspection(
    *, tipoff: TipOff, actor: User, campaign, officers, planned_date, method: str, reason: str
) -> TipOff:
    """Open a targeted inspection of the linked enterprise on this tip-off."""
    tipoff = _lock(tipoff)
    _ready_to_convert(tipoff)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for this decision."))
    inspection = targeted.targeted_open(
        campaign=campaign, enterprise=tipoff.enterprise, basis=TargetBasis.TIP_OFF,
        reason=_("Tip-off %(code)s: %(reason)s") % {"code": tipoff.tracking_code, "reason": reason},
        officers=officers, planned_date=planned_date, method=method, actor=actor)
    return _move(tipoff, to_status=TipStatus.CONVERTED, actor=actor, reason=reason,
                 action="tipoff.convert", extra={"inspection": inspection})


def _file_as_item(*, tipoff: TipOff, inspection: Inspection, actor: User) -> SampledItem:
    """The reporter's file as a sampled item of the inspection (same bytes, same SHA-256)."""
    with tipoff.file.open("rb") as stored:
        supplied = File(stored, name=tipoff.file_name or f"{tipoff.tracking_code}.{tipoff.file_kind}")
        return inspection_services.item_record_supplied_file(
            inspection=inspection, actor=actor, file=supplied,
            content_ref=tipoff.url or _("Tip-off %(code)s") % {"code": tipoff.tracking_code},
            captured_at=tipoff.created_at,
            note=_("File supplied with tip-off %(code)s") % {"code": tipoff.tracking_code})


@transaction.atomic
def tipoff_convert_finding(*, tipoff: TipOff, actor: User, inspection, issue_code, description: str) -> TipOff:
    """Record a finding straight from the tip-off, in an open inspection of the same enterprise."""
    _require_triage(actor)
    tipoff = _lock(tipoff)
    _ready_to_convert(tipoff)
    if inspection.enterprise_id != tipoff.enterprise_id:
        raise ApplicationError(_("The inspection is of another enterprise than the tip-off."))
    if not inspection_services.inspection_can_edit(inspection=inspection, user=actor):
        raise NotPermitted(_("Only the inspection's officers and supervisors record its findings."))
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Describe the facts found."))
    finding = finding_services.finding_create(
        inspection=inspection, issue_code=issue_code, actor=actor,
        description=_("%(facts)s (tip-off %(code)s)") % {"facts": description[:4000],
                                                        "code": tipoff.tracking_code})
    if tipoff.file:
        finding.evidence_items.add(_file_as_item(tipoff=tipoff, inspection=inspection, actor=actor))
    return _move(tipoff, to_status=TipStatus.CONVERTED, actor=actor, reason=description[:2000],
                 action="tipoff.convert", extra={"finding": finding, "inspection": inspection})


# --- reply reminders -----------------------------------------------------------------


def _reply_recipients(tipoff: TipOff) -> list:
    """The officer the tip-off is assigned to, or every supervisor while nobody is."""
    from accounts.models import User

    assignee = tipoff.assigned_to
    if assignee is not None and assignee.is_active:
        return [assignee]
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))


def tipoffs_remind_replies(*, today: datetime.date | None = None) -> int:
    """
    Daily: remind staff, once per due date, of each reply time about to run
    out (the reply rule's `remind_days` before it, or later if the task
    missed a day): telling the reporter whether the report is taken up while
    it is still "received", and concluding while it is not concluded.
    Return how many reminders went out now.
    """
    today = today or timezone.localdate()
    rules = {r.step: r for r in ReplyRule.objects.all()}
    count = 0
    steps = (
        (ReplyRule.Step.ACKNOWLEDGE, "acknowledge_due", "acknowledge_reminded_for",
         {"status": TipStatus.RECEIVED}),
        (ReplyRule.Step.CONCLUDE, "conclude_due", "conclude_reminded_for",
         {"concluded_at__isnull": True}),
    )
    for step, due_field, sent_field, pending in steps:
        rule = rules.get(step)
        if rule is None:
            continue
        horizon = today + datetime.timedelta(days=rule.remind_days)
        candidates = (TipOff.objects.filter(**pending, **{f"{due_field}__lte": horizon})
                      .exclude(**{sent_field: F(due_field)})
                      .select_related("assigned_to").order_by(due_field, "pk"))
        for tipoff in candidates.iterator(chunk_size=200):
            count += _remind_reply(tipoff=tipoff, rule=rule, due_field=due_field, sent_field=sent_field)
    return count


@transaction.atomic
def _remind_reply(*, tipoff: TipOff, rule: ReplyRule, due_field: str, sent_field: str) -> int:
    # PostgreSQL cannot lock the nullable side of the outer join: lock the tip-off only.
    tipoff = TipOff.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=tipoff.pk)
    due = getattr(tipoff, due_field)
    if due is None or getattr(tipoff, sent_field) == due:
        return 0
    before = snapshot(tipoff, AUDIT_FIELDS)
    setattr(tipoff, sent_field, due)
    tipoff.save(update_fields=[sent_field, "updated_at"])
    audit_record(actor=None, action="tipoff.reply_reminder", obj=tipoff, before=before,
                 after=snapshot(tipoff, AUDIT_FIELDS), enterprise_id=tipoff.enterprise_id,
                 note=rule.get_step_display())
    notify(recipients=_reply_recipients(tipoff), kind="tipoff_reply_due",
           event_key=event_key("tipoff_reply_due", tipoff, rule.step, due.isoformat()),
           context={"tipoff": tipoff, "rule": rule, "due": due},
           url=tipoff.get_absolute_url())
    return 1
