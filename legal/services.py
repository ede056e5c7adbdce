"""
Writes of the legal app: consent to electronic service and service (送达)
records, for any document kind. Each validates, writes in a transaction and
records an audit event.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_editor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, NotPermitted

from .models import CONSENT_STATEMENT, ElectronicServiceConsent, ServiceMethod, ServiceRecord

SERVICE_FIELDS = ["method", "served_at", "place", "recipient", "by_agent", "agent_relation", "agent_reason",
                  "refusal", "witnesses", "entrusted_to", "announcement", "note"]
# Methods that two officers carry out and sign (direct service, leaving the document).
TWO_SERVERS = (ServiceMethod.DIRECT, ServiceMethod.LEFT)


def consent_in_force(*, enterprise_id: int) -> ElectronicServiceConsent | None:
    return ElectronicServiceConsent.objects.filter(enterprise_id=enterprise_id, withdrawn_at__isnull=True).first()


@transaction.atomic
def consent_give(*, enterprise, actor: User, ip_address: str | None = None) -> ElectronicServiceConsent:
    """An enterprise user consents, for the enterprise, to electronic service. Twice is once."""
    if actor.enterprise_id != enterprise.pk:
        raise NotPermitted(_("Only the party's own users can consent to electronic service."))
    existing = consent_in_force(enterprise_id=enterprise.pk)
    if existing is not None:
        return existing
    consent = ElectronicServiceConsent.objects.create(
        enterprise=enterprise, statement=CONSENT_STATEMENT, given_by=actor, given_at=timezone.now(),
        given_ip=ip_address)
    audit_record(actor=actor, action="service.consent", obj=consent, enterprise_id=enterprise.pk,
                 after={"statement": consent.statement, "ip": ip_address})
    return consent


@transaction.atomic
def consent_withdraw(*, enterprise, actor: User) -> None:
    """Withdraw consent: later documents are served otherwise."""
    if actor.enterprise_id != enterprise.pk:
        raise NotPermitted(_("Only the party's own users can withdraw the consent."))
    consent = consent_in_force(enterprise_id=enterprise.pk)
    if consent is not None:
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
        audit_record(actor=actor, action="service.consent_withdraw", obj=consent, enterprise_id=enterprise.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ApplicationError(message)


def _validate(*, method: str, details: dict, servers: list) -> None:
    """Every element the method's 送达回证 needs."""
    _require(method in ServiceMethod.values, _("Choose a service method."))
    if details.get("by_agent"):
        _require(bool(details.get("recipient", "").strip() and details.get("agent_relation", "").strip()
                      and details.get("agent_reason", "").strip()),
                 _("Someone who receives a document for the party (代收人) is named, with their relation "
                   "to the party and why they received it."))
    if method == ServiceMethod.DIRECT:
        _require(bool(details.get("recipient", "").strip()), _("Name who signed for the document."))
    if method == ServiceMethod.POST:
        _require(bool(details.get("recipient", "").strip() and details.get("note", "").strip()),
                 _("Service by post records who signed the receipt and the mail number (in the note)."))
    if method == ServiceMethod.LEFT:
        _require(bool(details.get("refusal", "").strip() and details.get("witnesses", "").strip()),
                 _("Leaving the document (留置送达) records the refusal to sign and the witnesses."))
    if method == ServiceMethod.ENTRUSTED:
        _require(bool(details.get("entrusted_to", "").strip()), _("Name the entrusted body."))
    if method == ServiceMethod.PUBLIC:
        _require(bool(details.get("announcement", "").strip()),
                 _("Record where and when the announcement was published."))
    if method in TWO_SERVERS:
        _require(len(servers) >= 2, _("Two officers serve the document and sign the proof of service."))
    elif method != ServiceMethod.ELECTRONIC:
        _require(len(servers) >= 1, _("Name the officer who served the document."))


@transaction.atomic
def service_record_create(*, document_kind: str, document_id: int, document_title: str, enterprise,
                          method: str, served_at: datetime.datetime, actor: User, not_before: datetime.datetime,
                          servers=(), ip_address: str | None = None, **details) -> ServiceRecord:
    """
    Record the service of a document. Electronic service is the party's own
    acknowledgement in the portal and counts only under a consent in force;
    the other methods are recorded by officers, with every element their
    proof of service needs. The time lies between issuance and now.
    """
    unknown = set(details) - set(SERVICE_FIELDS)
    _require(not unknown, "unknown fields: " + ", ".join(sorted(unknown)))
    servers = list(servers)
    _validate(method=method, details=details, servers=servers)
    _require(not_before <= served_at <= timezone.now() + datetime.timedelta(minutes=1),
             _("The service date must lie between issuance and now."))
    consent = None
    if method == ServiceMethod.ELECTRONIC:
        _require(actor.enterprise_id == enterprise.pk,
                 _("Electronic service is the party's own acknowledgement in the portal."))
        consent = consent_in_force(enterprise_id=enterprise.pk)
        _require(consent is not None, _("Electronic service counts only after the enterprise has consented "
                                        "to it; consent first, then acknowledge receipt."))
        details.setdefault("recipient", actor.get_full_name() or actor.username)
    else:
        require_editor(actor, _("Only inspectors and supervisors may record service."))
    _require(not ServiceRecord.objects.filter(document_kind=document_kind, document_id=document_id).exists(),
             _("The service of this document is already recorded."))
    record = ServiceRecord(
        document_kind=document_kind, document_id=document_id, document_title=document_title[:200],
        enterprise=enterprise, method=method, served_at=served_at, consent=consent, recorded_by=actor,
        acknowledged_by=actor if method == ServiceMethod.ELECTRONIC else None,
        acknowledged_ip=ip_address if method == ServiceMethod.ELECTRONIC else None,
        **{k: v for k, v in details.items() if k in SERVICE_FIELDS},
    )
    record.full_clean()
    record.save()
    record.servers.set(servers)
    audit_record(actor=actor, action="service.record", obj=record, enterprise_id=enterprise.pk,
                 after={**snapshot(record, SERVICE_FIELDS), "servers": [s.pk for s in servers]})
    return record
