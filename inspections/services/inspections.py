"""
Inspections and their sampled items: the inspection lifecycle, who may
change an inspection, recording items and the inspector's check answers.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_supervisor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, IllegalTransition, NotPermitted
from core.lifecycle import check_transition
from core.queue import enqueue_on_commit
from core.uploads import check_upload
from enterprises.models import (
    Modality,
    Service,
)

from .. import checker_text, labels, lifecycle, selectors, uploads
from ..models import (
    CheckResult,
    Inspection,
    ItemCheck,
    SampledItem,
)

INSPECTION_FIELDS = ["status", "planned_date", "method", "started_at", "completed_at", "closed_at"]


def inspection_can_edit(*, inspection: Inspection, user: User | None) -> bool:
    """Officers of the inspection and supervisors may change it."""
    if user is None or not user.can_edit:
        return False
    if user.is_supervisor:
        return True
    return inspection.officers.filter(pk=user.pk).exists()


def require_inspection_editor(inspection: Inspection, actor: User) -> None:
    if not inspection_can_edit(inspection=inspection, user=actor):
        raise NotPermitted(_("Only the inspection's officers or a supervisor may change it."))


@transaction.atomic
def inspection_transition(*, inspection: Inspection, to_status: str, actor: User | None, note: str = "") -> Inspection:
    """
    Move an inspection along planned → due → in progress → completed →
    closed (lifecycle.INSPECTION_TRANSITIONS). Closing needs a supervisor;
    the system (actor None) may only make inspections due.
    """
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    check_transition(lifecycle.INSPECTION_TRANSITIONS, Inspection.Status, inspection.status, to_status,
                     subject=Inspection._meta.verbose_name)
    if actor is None:
        if to_status != Inspection.Status.DUE:
            raise ApplicationError(_("Only an officer can change this inspection."))
    elif to_status == Inspection.Status.CLOSED:
        require_supervisor(actor, _("Only a supervisor may close an inspection."))
    else:
        require_inspection_editor(inspection, actor)
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


def require_accepts_evidence(inspection: Inspection) -> None:
    if not inspection.accepts_evidence:
        raise ApplicationError(_("Evidence and checks are recorded while the inspection is due or in progress."))



ITEM_FIELDS = [
    "service_id", "modality", "content_ref", "channel", "captured_at", "captured_by_id",
    "file_name", "file_sha256", "file_size", "file_type", "screenshot_sha256",
    "label_verdict", "checker_version", "checks_completed_at", "note",
]


@transaction.atomic
def item_create(
    *, inspection: Inspection, actor: User, modality: str, content_ref: str, channel: str,
    captured_at: datetime.datetime, service: Service | None = None, text_sample: str = "",
    note: str = "", file=None, screenshot=None,
) -> SampledItem:
    """
    Record one sampled content item. Files are checked by content and size,
    hashed (SHA-256) and stored under a generated name; a file is queued for
    the automatic label check once the transaction commits.
    """
    require_inspection_editor(inspection, actor)
    require_accepts_evidence(inspection)
    if service is not None and service.enterprise_id != inspection.enterprise_id:
        raise ApplicationError(_("The service belongs to another enterprise."))
    if service is None and inspection.enterprise.services.count() > 1:
        # Otherwise the item counts toward no service's sample.
        raise ValidationError({"service": _(
            "The enterprise has several services: choose the one this content comes from.")})
    item = SampledItem(
        inspection=inspection, service=service, modality=modality, content_ref=content_ref,
        channel=channel, captured_at=captured_at, captured_by=actor, text_sample=text_sample,
        note=note,
    )
    if file is not None:
        info = check_upload(file, accepts=uploads.CONTENT, what=_("content"))
        item.file = file
        item.file_name, item.file_sha256 = info.name, info.sha256
        item.file_size, item.file_type = info.size, info.kind
    if screenshot is not None:
        info = check_upload(screenshot, accepts=uploads.SCREENSHOT, what=_("screenshot"))
        item.screenshot = screenshot
        item.screenshot_sha256, item.screenshot_type = info.sha256, info.kind
    item.full_clean()
    item.save()
    applicable = {c.pk for c in selectors.applicable_codes(modality=modality,
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
        from ..tasks import check_item_labels_task
        from .explicit_results import CHECKED_MODALITIES, queue_explicit_checks

        item_id = item.pk
        enqueue_on_commit(check_item_labels_task, item_id)
        if item.modality in CHECKED_MODALITIES:
            queue_explicit_checks(item_ids=[item_id])
    return item



def awaiting_automatic_checks(item: SampledItem) -> frozenset[str]:
    """
    The codes an automatic check of the item's file has yet to answer (the
    implicit-label checker, the explicit-label checker): "the rest" of an
    inspector's bulk answer leaves them to it.
    """
    if not item.file:
        return frozenset()
    from .explicit_results import DECIDED_CODES

    waiting: set[str] = set()
    if item.label_checked_at is None:
        waiting |= set(labels.RULES)
    if item.explicit_checked_at is None:
        waiting |= set(DECIDED_CODES.get(item.modality, ()))
    return frozenset(waiting)


@transaction.atomic
def item_record_supplied_file(
    *, inspection: Inspection, actor: User, file, content_ref: str, captured_at: datetime.datetime,
    note: str = "",
) -> SampledItem:
    """
    Record as a sampled item a file the office already holds (the attachment
    of a tip-off), checked by content and hashed like any item, and queued
    for the label check. It is not a capture made during the inspection, so
    it may be recorded at any stage but closed and the inspection's status
    does not move.
    """
    from ..models import Channel

    require_inspection_editor(inspection, actor)
    if inspection.status == Inspection.Status.CLOSED:
        raise ApplicationError(_("A closed inspection takes no new evidence."))
    info = check_upload(file, accepts=uploads.CONTENT, what=_("content"))
    item = SampledItem(
        inspection=inspection, modality=uploads.MODALITY_OF_TYPE.get(info.kind, Modality.IMAGE),
        content_ref=content_ref[:500], channel=Channel.TIP_OFF, captured_at=captured_at,
        captured_by=actor, note=note, file=file, file_name=info.name, file_sha256=info.sha256,
        file_size=info.size, file_type=info.kind,
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="item.create", obj=item, enterprise_id=inspection.enterprise_id,
                 after=snapshot(item, ITEM_FIELDS))
    from ..tasks import check_item_labels_task

    item_id = item.pk
    transaction.on_commit(lambda: check_item_labels_task.delay(item_id))
    return item


@transaction.atomic
def item_checks_save(*, item: SampledItem, actor: User, results: dict[str, tuple[str, str]],
                     remaining: str = "") -> SampledItem:
    """
    Record the inspector's answers: {code: (pass|fail|na, note)}. Only
    applicable codes are accepted; when every applicable code is answered
    the item counts as checked in the sample's verdict. With ``remaining``
    (pass or na) every applicable code still unanswered, after these
    answers, gets that answer too, except those an automatic check still
    has to answer.
    """
    inspection = item.inspection
    require_inspection_editor(inspection, actor)
    require_accepts_evidence(inspection)
    applicable = {c.pk for c in selectors.applicable_codes(modality=item.modality,
                                                 roles=inspection.enterprise.roles)}
    unknown = set(results) - applicable
    if unknown:
        raise ApplicationError(_("These checks do not apply to the item: %(codes)s")
                               % {"codes": ", ".join(sorted(unknown))})
    if remaining and remaining not in (CheckResult.PASS, CheckResult.NOT_APPLICABLE):
        raise ApplicationError(_("Unknown check result."))
    existing = {c.issue_code_id: c for c in item.checks.all()}
    if remaining:
        rest = applicable - set(existing) - set(results) - awaiting_automatic_checks(item)
        results = {**results, **{code: (remaining, "") for code in sorted(rest)}}
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


EXPLICIT_TEXT_CODE = "EXP-03"
NO_EXPLICIT_LABEL_CODE = "EXP-01"


def explicit_text_message(outcome) -> str:
    """
    The outcome of check_explicit_text in the active language: where the
    label was found, that there is none, or which element it lacks.
    """
    if outcome.passed:
        if outcome.position == "end":
            return _("Explicit label found at the end of the text sample.")
        if outcome.position == "middle":
            return _("Explicit label found in the middle of the text sample.")
        return _("Explicit label found at the start of the text sample.")
    return "".join(checker_text.finding_text(f.to_record_dict()) for f in outcome.findings)


def _item_check_explicit_text(*, item: SampledItem, applicable: set[str]) -> None:
    """
    Record the explicit label of a text sample automatically: EXP-03 passes
    when a prompt carries "AI"/"人工智能" and "生成"/"合成" (at the start,
    in the middle or at the end) and fails when a prompt lacks one of them;
    a text with no prompt at all fails EXP-01 instead. The note is written
    in the record's language (Chinese), as it may go into a notice.
    """
    if item.modality != Modality.TEXT or not item.text_sample.strip():
        return
    outcome = labels.check_explicit_text(item.text_sample)
    with translation.override(settings.LANGUAGE_CODE):
        note = explicit_text_message(outcome)
    rules = {finding.rule for finding in outcome.findings}
    if NO_EXPLICIT_LABEL_CODE in rules:
        answers = {NO_EXPLICIT_LABEL_CODE: CheckResult.FAIL}
    else:
        answers = {EXPLICIT_TEXT_CODE: CheckResult.PASS if outcome.passed else CheckResult.FAIL,
                   NO_EXPLICIT_LABEL_CODE: CheckResult.PASS}
    for code, result in answers.items():
        if code not in applicable:
            continue
        ItemCheck.objects.update_or_create(item=item, issue_code_id=code, defaults={
            "result": result, "source": ItemCheck.Source.AUTOMATIC, "checked_by": None,
            "checked_at": timezone.now(), "note": note[:500],
        })


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
