"""
Results of the automatic GB 45438 label check (inspections/labels) on
sampled files: answers to the IMP codes, ProduceID duplicates across an
enterprise's files, and re-checks.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record, snapshot
from core.queue import enqueue_on_commit
from enterprises.models import (
    Enterprise,
)

from .. import checker_text, labels, selectors
from ..models import (
    CheckResult,
    Inspection,
    ItemCheck,
    LabelVerdict,
    SampledItem,
)
from .inspections import require_accepts_evidence, require_inspection_editor

logger = logging.getLogger(__name__)

# The IMP codes the label checker decides from one file. IMP-09 (ProduceID
# uniqueness) is decided across an enterprise's files, below; IMP-10
# (signatures) stays with the inspector.
CHECKER_RULES = frozenset(labels.RULES)
PRODUCE_ID_CODE = "IMP-09"
# Rules that read the fields of a decoded label: they pass only when the
# checker could read a label at all.
FIELD_RULES = frozenset({"IMP-03", "IMP-04", "IMP-05", "IMP-08"})


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
                           actor: User | None = None) -> SampledItem:
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
    applicable = {c.pk for c in selectors.applicable_codes(modality=item.modality,
                                                 roles=item.inspection.enterprise.roles)}
    answers = label_check_answers(result=result, codes=sorted(applicable))
    existing = {c.issue_code_id: c for c in item.checks.filter(issue_code_id__in=CHECKER_RULES)}
    now = timezone.now()
    for code, check in existing.items():
        if check.source == ItemCheck.Source.AUTOMATIC and code not in answers:
            check.delete()
            changed = True
    for code, (answer, note) in answers.items():
        current = existing.get(code)
        if current is not None and current.source == ItemCheck.Source.MANUAL:
            continue
        if current is not None and (current.result, current.note) == (answer, note):
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


def _produce_id_duplicates_apply(*, enterprise: Enterprise, key: tuple[str, str], actor: User | None) -> set[int]:
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
                c.pk for c in selectors.applicable_codes(modality=item.modality, roles=enterprise.roles)}
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
    stored = item.file.name
    assert stored  # `item.file` is true above: it has a name
    name = item.file_name or stored.rsplit("/", 1)[-1]
    try:
        with item.file.open("rb") as handle:
            checked = labels.check_stream(handle, path=name,
                                          expected_uscc=item.inspection.enterprise.uscc)
    except (OSError, ValueError) as error:
        logger.warning("item %s (inspection %s): stored file %s cannot be read",
                       item.pk, item.inspection_id, item.file.name, exc_info=True)
        checked = labels.CheckResult(
            path=name, format=None, verdict=labels.INCONCLUSIVE,
            reason=f"stored file cannot be read: {type(error).__name__}",
        )
    # The findings keep their message kind and parameters, so pages and
    # documents say them in their reader's language (checker_text).
    data = {**checked.to_json_dict(), "findings": [f.to_record_dict() for f in checked.findings],
            "reason": checked.reason, "info": checked.info}
    item_apply_label_check(item=item, result=data, checker_version=labels.CHECKER_VERSION)
    logger.info("item %s (inspection %s): label check %s, %s", item.pk, item.inspection_id,
                labels.CHECKER_VERSION, checked.verdict)
    return checked.verdict


def _labels_recheck(*, inspection: Inspection, actor: User, force: bool, items) -> list[int]:
    require_inspection_editor(inspection, actor)
    require_accepts_evidence(inspection)
    from .explicit_results import CHECKED_MODALITIES, queue_explicit_checks

    queryset = items.exclude(file="")
    # The explicit check too, for files an older explicit checker read.
    explicit = queryset.filter(modality__in=CHECKED_MODALITIES)
    if not force:
        explicit = explicit.exclude(explicit_checker_version=labels.EXPLICIT_CHECKER_VERSION,
                                    explicit_checked_at__isnull=False)
    queue_explicit_checks(item_ids=list(explicit.order_by("pk").values_list("pk", flat=True)),
                          force=force)
    if not force:
        queryset = queryset.exclude(checker_version=labels.CHECKER_VERSION,
                                    label_checked_at__isnull=False)
    item_ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    if item_ids:
        from ..tasks import check_item_labels_task

        for item_id in item_ids:
            enqueue_on_commit(check_item_labels_task, item_id, force=force)
    return item_ids


@transaction.atomic
def inspection_labels_recheck(*, inspection: Inspection, actor: User, force: bool = False) -> list[int]:
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
def item_labels_recheck(*, item: SampledItem, actor: User, force: bool = False) -> bool:
    """Queue one item's label check again (see inspection_labels_recheck)."""
    inspection = item.inspection
    item_ids = _labels_recheck(inspection=inspection, actor=actor, force=force,
                               items=SampledItem.objects.filter(pk=item.pk))
    if item_ids:
        audit_record(actor=actor, action="item.labels_recheck", obj=item,
                     enterprise_id=inspection.enterprise_id,
                     after={"force": force, "checker_version": labels.CHECKER_VERSION})
    return bool(item_ids)
