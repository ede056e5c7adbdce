"""
Services of the explicit-label check of sampled files (inspections/labels/explicit).

An uploaded file is checked in the Celery queue "explicit" once the upload
commits (item_create queues explicit_check_item_task); the result, the
evidence files (crops, frames, waveforms, excerpts) and the checker's
version are stored on the item, and the item's EXP checks are answered
automatically: never over an inspector's own answer, and not at all when
the result is uncertain (the reason is shown, the inspector decides).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from core.audit import audit_record, snapshot
from core.queue import enqueue_on_commit

from .. import checker_text
from ..labels import explicit
from ..models import CheckResult, ExplicitEvidence, Inspection, ItemCheck, SampledItem
from ..selectors import applicable_codes
from .label_results import _refresh_completion

logger = logging.getLogger(__name__)

# The EXP codes the checker decides for each modality. EXP-02 (exported
# copies), EXP-07 (virtual scenes, chat interfaces) stay with the inspector.
DECIDED_CODES: dict[str, tuple[str, ...]] = {
    explicit.TEXT: ("EXP-01", "EXP-03"),
    explicit.IMAGE: ("EXP-01", "EXP-04", "EXP-08"),
    explicit.VIDEO: ("EXP-01", "EXP-04", "EXP-05", "EXP-08"),
    explicit.AUDIO: ("EXP-06",),
}
ALL_DECIDED = frozenset(code for codes in DECIDED_CODES.values() for code in codes)
# Codes that can only be judged once a label was found (they measure it).
MEASURED_CODES = frozenset({"EXP-03", "EXP-04", "EXP-05", "EXP-08"})
CHECKED_MODALITIES = frozenset(DECIDED_CODES)


def explicit_answers(*, record: dict, codes: list[str]) -> dict[str, tuple[str, str]]:
    """
    {code: (pass|fail, note)} for the applicable codes from a stored record.
    Found: each decided rule with a finding fails, the others pass. Missing:
    the rule that says so (EXP-01 or EXP-06) fails and the measuring rules
    are left open. Inconclusive or not applicable: nothing is answered.
    Notes are in the record's language (they may go into a notice).
    """
    status = record.get("status")
    modality = record.get("modality")
    decided = [code for code in codes if code in DECIDED_CODES.get(modality or "", ())]
    notes: dict[str, list[str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for finding in record.get("findings") or []:
            if isinstance(finding, dict) and finding.get("rule"):
                notes.setdefault(str(finding["rule"]), []).append(checker_text.finding_text(finding))
    answers: dict[str, tuple[str, str]] = {}
    if status == explicit.FOUND:
        for code in decided:
            answers[code] = ((CheckResult.FAIL, "".join(notes[code])) if code in notes
                             else (CheckResult.PASS, ""))
    elif status == explicit.MISSING:
        for code in decided:
            if code in notes:
                answers[code] = (CheckResult.FAIL, "".join(notes[code]))
            elif code not in MEASURED_CODES:
                answers[code] = (CheckResult.FAIL, "")
    return {code: (answer, note[:500]) for code, (answer, note) in answers.items()}


def _store_evidence(item: SampledItem, evidence: list) -> list[ExplicitEvidence]:
    for old in item.explicit_evidence.all():
        old.file.delete(save=False)
        old.delete()
    rows = []
    for position, piece in enumerate(evidence):
        row = ExplicitEvidence(item=item, name=piece.name[:80], media_type=piece.media_type[:40],
                               caption=piece.caption[:200], position=position,
                               sha256=hashlib.sha256(piece.data).hexdigest())
        row.file.save(piece.name, ContentFile(piece.data), save=False)
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def item_apply_explicit_check(*, item: SampledItem, result, checker_version: str,
                              actor: User | None = None) -> SampledItem:
    """
    Store an ExplicitResult on the item (record, status, version, evidence
    files) and answer its EXP checks (source = automatic) as
    explicit_answers decides. Manual answers are never overwritten;
    automatic answers the new result no longer gives are taken back.
    """
    item = (SampledItem.objects.select_for_update()
            .select_related("inspection__enterprise").get(pk=item.pk))
    record = result.to_record()
    before = {**snapshot(item, ["explicit_status", "explicit_checker_version"]),
              "checks": dict(item.checks.filter(issue_code_id__in=ALL_DECIDED)
                             .values_list("issue_code_id", "result"))}
    evidence = _store_evidence(item, result.evidence)
    record["evidence"] = [{**entry, "sha256": row.sha256}
                          for entry, row in zip(record["evidence"], evidence, strict=True)]
    item.explicit_result = record
    item.explicit_status = result.status
    item.explicit_checker_version = checker_version[:20]
    item.explicit_checked_at = timezone.now()
    item.save(update_fields=["explicit_result", "explicit_status", "explicit_checker_version",
                             "explicit_checked_at", "updated_at"])
    applicable = {c.pk for c in applicable_codes(modality=item.modality,
                                                 roles=item.inspection.enterprise.roles)}
    answers = explicit_answers(record=record, codes=sorted(applicable))
    if not answers and item.modality == explicit.TEXT and item.text_sample.strip():
        # An unreadable file leaves the answers from the pasted text alone.
        _refresh_completion(item=item, applicable=applicable)
        return item
    existing = {c.issue_code_id: c for c in item.checks.filter(issue_code_id__in=ALL_DECIDED)}
    now = timezone.now()
    for code, check in existing.items():
        if check.source == ItemCheck.Source.AUTOMATIC and code not in answers:
            check.delete()
    for code, (answer, note) in answers.items():
        current = existing.get(code)
        if current is not None and current.source == ItemCheck.Source.MANUAL:
            continue
        ItemCheck.objects.update_or_create(item=item, issue_code_id=code, defaults={
            "result": answer, "source": ItemCheck.Source.AUTOMATIC, "checked_by": None,
            "checked_at": now, "note": note})
    _refresh_completion(item=item, applicable=applicable)
    audit_record(actor=actor, action="item.explicit_check", obj=item,
                 enterprise_id=item.inspection.enterprise_id, before=before,
                 after={**snapshot(item, ["explicit_status", "explicit_checker_version"]),
                        "checks": dict(item.checks.filter(issue_code_id__in=ALL_DECIDED)
                                       .values_list("issue_code_id", "result")),
                        "evidence": [row.sha256 for row in evidence],
                        "reason": record.get("reason") or ""})
    return item


def item_check_explicit(*, item_id: int, force: bool = False) -> str:
    """
    Run the explicit-label checker on an item's stored file and apply the
    result. Skipped for items without a file, of a modality the checker
    does not read, of an inspection no longer open, or already checked by
    this checker version (unless forced). Return the status or why skipped.
    """
    item = (SampledItem.objects.select_related("inspection").filter(pk=item_id).first())
    if item is None or not item.file or item.modality not in CHECKED_MODALITIES:
        return "skipped"
    if item.inspection.status not in (Inspection.Status.DUE, Inspection.Status.IN_PROGRESS):
        return "closed"
    if (not force and item.explicit_checked_at
            and item.explicit_checker_version == explicit.EXPLICIT_CHECKER_VERSION):
        return "up-to-date"
    try:
        with item.file.open("rb") as handle:
            data = handle.read(settings.UPLOAD_MAX_BYTES + 1)
    except (OSError, ValueError) as error:
        logger.warning("item %s (inspection %s): stored file %s cannot be read",
                       item.pk, item.inspection_id, item.file.name, exc_info=True)
        result = explicit.ExplicitResult(item.modality, explicit.INCONCLUSIVE,
                                         reason=f"stored file cannot be read: {type(error).__name__}")
    else:
        result = explicit.check_explicit(data, modality=item.modality,
                                         budget_s=settings.EXPLICIT_CHECK_BUDGET_S)
    item_apply_explicit_check(item=item, result=result,
                              checker_version=explicit.EXPLICIT_CHECKER_VERSION)
    logger.info("item %s (inspection %s): explicit-label check %s (%s), %s", item.pk,
                item.inspection_id, explicit.EXPLICIT_CHECKER_VERSION, item.modality,
                result.status)
    return result.status


def queue_explicit_checks(*, item_ids: list[int], force: bool = False) -> None:
    """Queue the explicit check of these items once the transaction commits."""
    from ..tasks import check_item_explicit_label_task

    for item_id in item_ids:
        enqueue_on_commit(check_item_explicit_label_task, item_id, force=force)


def explicit_description(*, check: ItemCheck) -> str:
    """
    The explicit checker's part of a finding's facts (active language): its
    version, the rule's note, and the evidence files by name and SHA-256.
    """
    from django.utils.translation import gettext as _

    item = check.item
    files = "、".join(f"{row.name}（SHA-256 {row.sha256}）" for row in item.explicit_evidence.all())
    text = _("Explicit-label checker %(version)s: %(message)s") % {
        "version": item.explicit_checker_version, "message": check.note or check.issue_code.title_zh}
    if files:
        text += _("Evidence made by the checker: %(files)s.") % {"files": files}
    return text
