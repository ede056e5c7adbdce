"""
Evidence taken into a case (证据先行登记保存, 行政处罚法 Art. 56).

Each item is registered by an officer of the case team with the server's
time and the capture environment (device, network, browser, address), and
confirmed by a second officer under their own login. The registration
protects the sampled item: the inspection that holds it can no longer be
deleted. The preservation notice, approved by a supervisor (负责人), lists
the confirmed items.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_supervisor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError
from inspections.models import SampledItem

from . import documents, officers
from .models import Case, CaseStatus, DocumentKind, PreservedEvidence

PRESERVABLE = (CaseStatus.FILED, CaseStatus.INVESTIGATING)
FIELDS = ["item_id", "inspection_id", "device", "network", "browser", "ip_address", "file_sha256",
          "preserved_by_id", "second_officer_id", "confirmed_at", "noticed_on", "decided_on", "decision",
          "decided_by_id"]


def _on_team(case: Case, user: User) -> bool:
    return case.team.filter(officer=user, active=True).exists()


@transaction.atomic
def evidence_preserve(*, case: Case, actor: User, item: SampledItem, second_officer, device: str,
                      network: str, browser: str = "", ip_address: str | None = None) -> PreservedEvidence:
    """Register one sampled item as evidence of the case, pending the second officer."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in PRESERVABLE:
        raise ApplicationError(_("Evidence is registered during the investigation."))
    today = timezone.localdate()
    officers.require_officers([actor, second_officer], enterprise_id=case.enterprise_id, day=today)
    if not (_on_team(case, actor) and _on_team(case, second_officer)):
        raise ApplicationError(_("Both officers must be on the case team."))
    item = SampledItem.objects.select_related("inspection").get(pk=item.pk)
    if item.inspection.enterprise_id != case.enterprise_id:
        raise ApplicationError(_("The item was sampled at another enterprise."))
    if PreservedEvidence.objects.filter(case=case, item=item).exists():
        raise ApplicationError(_("This item is already part of the case's evidence."))
    if not device.strip() or not network.strip():
        raise ApplicationError(_("Record the capture device and network."))
    evidence = PreservedEvidence(
        case=case, item=item, inspection=item.inspection, device=device.strip()[:200],
        network=network.strip()[:200], browser=browser[:300], ip_address=ip_address,
        file_sha256=item.file_sha256, preserved_by=actor, second_officer=second_officer)
    evidence.full_clean()
    evidence.save()
    audit_record(actor=actor, action="case.evidence.preserved", obj=evidence,
                 after=snapshot(evidence, FIELDS), enterprise_id=case.enterprise_id)
    return evidence


@transaction.atomic
def evidence_confirm(*, evidence: PreservedEvidence, actor: User) -> PreservedEvidence:
    """The second officer confirms the registration under their own login."""
    evidence = PreservedEvidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.second_officer_id != actor.pk:
        raise ApplicationError(_("Only the second officer named on the registration confirms it."))
    if evidence.confirmed_at is not None:
        return evidence
    officers.require_certified(actor, timezone.localdate())
    before = snapshot(evidence, FIELDS)
    evidence.confirmed_at = timezone.now()
    evidence.save(update_fields=["confirmed_at"])
    audit_record(actor=actor, action="case.evidence.confirmed", obj=evidence, before=before,
                 after=snapshot(evidence, FIELDS), enterprise_id=evidence.case.enterprise_id)
    return evidence


@transaction.atomic
def preservation_notice_issue(*, case: Case, actor: User):
    """
    A supervisor approves the preservation (行政处罚法 Art. 56: 经行政机关负责人
    批准) and the notice listing every confirmed item not yet on a notice is issued.
    """
    require_supervisor(actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in PRESERVABLE:
        raise ApplicationError(_("Evidence is registered during the investigation."))
    noticed: set[int] = set()
    for document in case.documents.filter(kind=DocumentKind.PRESERVATION_NOTICE):
        noticed.update(e["id"] for e in document.facts.get("evidence", []))
    items = [e for e in case.evidence.select_related("item").filter(confirmed_at__isnull=False)
             if e.pk not in noticed]
    if not items:
        raise ApplicationError(_("No confirmed evidence awaits a preservation notice."))
    # The period for the decision on these items starts today (cases.deadlines).
    PreservedEvidence.objects.filter(pk__in=[e.pk for e in items]).update(noticed_on=timezone.localdate())
    return documents.issue(case=case, kind=DocumentKind.PRESERVATION_NOTICE, actor=actor, extra={
        "evidence": [
            {"id": e.pk, "ref": e.item.content_ref, "sha256": e.file_sha256,
             "at": documents.cn_time(e.preserved_at)}
            for e in items
        ],
    })


@transaction.atomic
def preservation_decide(*, case: Case, actor: User, decision: str) -> int:
    """
    A supervisor records the decision on every preserved item still awaiting
    one (行政处罚法 Art. 56: within seven days of the preservation): kept as
    evidence and returned, released, sent for testing... Returns how many
    items it covers; the running preservation limit is then met.
    """
    require_supervisor(actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not decision.strip():
        raise ApplicationError(_("State the decision on the preserved evidence."))
    pending = list(PreservedEvidence.objects.select_for_update()
                   .filter(case=case, noticed_on__isnull=False, decided_on__isnull=True))
    if not pending:
        raise ApplicationError(_("No preserved evidence awaits a decision."))
    today = timezone.localdate()
    for entry in pending:
        before = snapshot(entry, FIELDS)
        entry.decided_on, entry.decision, entry.decided_by = today, decision.strip()[:2000], actor
        entry.save(update_fields=["decided_on", "decision", "decided_by"])
        audit_record(actor=actor, action="case.evidence.decided", obj=entry, before=before,
                     after=snapshot(entry, FIELDS), enterprise_id=case.enterprise_id)
    return len(pending)
