"""
Case documents: numbered at issuance from a gapless counter, their facts
copied from the record as it stands then, rendered to PDF once, stored with
their SHA-256, and served (portal or paper) with proof of service.

Rendering goes through `cases.pdf.render_document`, the one function to
switch when the enforcement-documents engine (GB/T 9704 layout, signing,
law-as-data) lands.
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError

from .models import (
    Case,
    CaseDocument,
    CaseRecord,
    DocumentCounter,
    DocumentKind,
    RecordKind,
    ServiceMethod,
    SubmissionAttachment,
)

# Number prefixes after the agency's abbreviation (settings.CASE_NUMBER_ABBR):
# 京网信罚决〔2026〕3号.
PREFIXES: dict[str, str] = {
    "case": "立",
    DocumentKind.FILING_APPROVAL: "立审",
    DocumentKind.INSPECTION_RECORD: "检录",
    DocumentKind.QUESTIONING_RECORD: "询录",
    DocumentKind.INTERVIEW_NOTICE: "约通",
    DocumentKind.INTERVIEW_RECORD: "约录",
    DocumentKind.PRESERVATION_NOTICE: "先保",
    DocumentKind.PRIOR_NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听通",
    DocumentKind.HEARING_RECORD: "听录",
    DocumentKind.PENALTY_DECISION: "罚决",
    DocumentKind.NO_PENALTY_DECISION: "不罚",
    DocumentKind.TRANSFER: "移",
    DocumentKind.CLOSING_REPORT: "结",
}
# Internal forms: filed in the case, never served on the party.
INTERNAL = frozenset({DocumentKind.FILING_APPROVAL, DocumentKind.CLOSING_REPORT,
                      DocumentKind.TRANSFER})
RECORD_DOCUMENTS: dict[str, str] = {
    RecordKind.INSPECTION: DocumentKind.INSPECTION_RECORD,
    RecordKind.QUESTIONING: DocumentKind.QUESTIONING_RECORD,
    RecordKind.INTERVIEW: DocumentKind.INTERVIEW_RECORD,
    RecordKind.HEARING: DocumentKind.HEARING_RECORD,
}
ATTACHMENTS_MAX = 10


def _take_serial(prefix: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("serials are taken inside the issuing transaction")
    counter = DocumentCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            pass
        counter = DocumentCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def take_number(*, kind: str, day: datetime.date | None = None) -> str:
    """Take the next number of `kind` (a DocumentKind or "case"), e.g. 京网信立〔2026〕4号."""
    year = (day or timezone.localdate()).year
    prefix = f"{settings.CASE_NUMBER_ABBR}{PREFIXES[kind]}"
    return f"{prefix}〔{year}〕{_take_serial(prefix, year)}号"


def _officer(user: User, certificate: str | None = None) -> dict:
    return {"name": user.get_full_name() or user.username,
            "certificate": certificate if certificate is not None else user.certificate_number}


def limit_phrase(limit) -> str:
    """The period as the documents write it: 5个工作日, 60日, 6个月."""
    from .models import LimitUnit

    if limit.unit == LimitUnit.WORKING_DAYS:
        return f"{limit.length}个工作日"
    if limit.unit == LimitUnit.MONTHS:
        return f"{limit.length}个月"
    return f"{limit.length}日"


def cn_date(day: datetime.date | None) -> str:
    """A date as official documents write it: 2026年3月2日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_time(moment) -> str:
    local = timezone.localtime(moment)
    return f"{cn_date(local.date())} {local:%H:%M}"


def _money(amount) -> str:
    return f"{amount:,.2f}" if amount is not None else ""


def document_facts(*, case: Case, kind: str, record: CaseRecord | None = None) -> dict:
    """
    What the document states, taken from the record now: party, officers
    with their certificate numbers, facts, grounds, decision, time limits.
    """
    from . import deadlines

    enterprise = case.enterprise
    team = [_officer(a.officer) for a in case.team.filter(active=True).select_related("officer")]
    facts = {
        "agency": settings.CASE_AGENCY_NAME,
        "case_number": case.number,
        "cause": case.cause,
        "party": {"name": enterprise.name, "uscc": enterprise.uscc,
                  "address": getattr(enterprise, "address", "") or ""},
        "officers": team,
        "facts": case.facts,
        "findings": [
            {"code": f.issue_code_id, "description": f.description, "basis": f.legal_basis}
            for f in case.findings.select_related("issue_code").order_by("issue_code_id")
        ],
        "clue_found_on": cn_date(case.clue_found_on),
        "filed_on": cn_date(case.filed_on),
        "source": case.get_source_display(),
        "proposed_by": _officer(case.proposed_by),
        "filed_by": case.filed_by.get_full_name() if case.filed_by else "",
        "intended_penalty": case.get_intended_penalty_display() if case.intended_penalty else "",
        "intended_amount": _money(case.intended_amount),
        "grounds": case.grounds,
        "hearing_right": case.hearing_right,
        "outcome": case.outcome,
        "penalty": case.get_penalty_display() if case.penalty else "",
        "amount": _money(case.amount),
        "decision_text": case.decision_text,
        "decided_on": cn_date(case.decided_on),
        "transferred_to": case.transferred_to,
        "served_on": cn_date(case.served_on),
        "performed_on": cn_date(case.performed_on),
        "performance_note": case.performance_note,
        "status": case.get_status_display(),
        "date": cn_date(timezone.localdate()),
        "limits": {d.code: {"due": d.due.isoformat(), "citation": d.citation}
                   for d in deadlines.case_deadlines(case)},
        "limit_rules": {
            limit.code: {"length": limit.length, "phrase": limit_phrase(limit),
                         "citation": limit.citation}
            for limit in deadlines.limits_by_code().values()
        },
        "submissions": [
            {"kind": s.get_kind_display(), "at": cn_time(s.submitted_at), "text": s.text}
            for s in case.submissions.all()
        ],
        "records": [
            {"kind": r.get_kind_display(), "at": cn_time(r.created_at)}
            for r in case.records.filter(confirmed_at__isnull=False)
        ],
        "documents": [
            {"kind": d.get_kind_display(), "number": d.number}
            for d in case.documents.all()
        ],
    }
    if record is not None:
        record_facts: dict = {
            "kind": record.get_kind_display(),
            "place": record.place,
            "started_at": cn_time(record.started_at),
            "ended_at": cn_time(record.ended_at),
            "recorded_at": timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            "person": record.person,
            "person_position": record.person_position,
            "content": record.content,
            "party_confirmation": record.party_confirmation,
            "party_confirmation_label": record.get_party_confirmation_display(),
            "refusal_note": record.refusal_note,
            "officers": [
                {**_officer(ro.officer, ro.certificate_number),
                 "confirmed_at": timezone.localtime(ro.confirmed_at).strftime("%Y-%m-%d %H:%M:%S")
                 if ro.confirmed_at else ""}
                for ro in record.officers.select_related("officer")
            ],
        }
        facts["record"] = record_facts
        facts["officers"] = record_facts["officers"]
    return facts


def issue(*, case: Case, kind: str, actor: User, record: CaseRecord | None = None,
          extra: dict | None = None) -> CaseDocument:
    """
    Number, render and store one document of `case` (inside the caller's
    transaction: a rollback takes the number back).
    """
    from django.utils import translation

    from .pdf import PDF_LANGUAGE, render_document

    number = take_number(kind=kind)
    with translation.override(PDF_LANGUAGE):
        facts = {**document_facts(case=case, kind=kind, record=record), **(extra or {}),
                 "kind": kind, "title": _title(kind), "number": number}
    pdf = render_document(facts)
    document = CaseDocument(case=case, kind=kind, number=number, record=record,
                            sha256=hashlib.sha256(pdf).hexdigest(), facts=facts,
                            issued_by=actor, to_party=kind not in INTERNAL)
    document.pdf.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    audit_record(actor=actor, action=f"case.document.{kind}", obj=document,
                 after={"number": number, "sha256": document.sha256, "case": case.pk},
                 enterprise_id=case.enterprise_id)
    return document


# The official titles, printed on the documents whatever the reader's language.
TITLES: dict[str, str] = {
    DocumentKind.FILING_APPROVAL: "立案审批表",
    DocumentKind.INSPECTION_RECORD: "现场检查笔录",
    DocumentKind.QUESTIONING_RECORD: "询问笔录",
    DocumentKind.INTERVIEW_NOTICE: "约谈通知书",
    DocumentKind.INTERVIEW_RECORD: "约谈笔录",
    DocumentKind.PRESERVATION_NOTICE: "证据先行登记保存通知书",
    DocumentKind.PRIOR_NOTICE: "行政处罚事先告知书",
    DocumentKind.HEARING_NOTICE: "听证通知书",
    DocumentKind.HEARING_RECORD: "听证笔录",
    DocumentKind.PENALTY_DECISION: "行政处罚决定书",
    DocumentKind.NO_PENALTY_DECISION: "不予行政处罚决定书",
    DocumentKind.TRANSFER: "涉嫌犯罪案件移送书",
    DocumentKind.CLOSING_REPORT: "结案报告",
}


def _title(kind: str) -> str:
    return TITLES[kind]


@transaction.atomic
def record_service(*, document: CaseDocument, actor: User, method: str, served_on: datetime.date,
                   note: str = "", proof=None) -> CaseDocument:
    """
    Record how and when a document reached the party (送达). Paper service
    needs the signed proof of service (送达回证) scanned; a refusal left at
    the address needs a note of the witnesses. Periods run from this date.
    """
    from . import services

    if not actor.can_edit:
        raise ApplicationError(_("Only inspectors and supervisors may do this."))
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    case = Case.objects.select_for_update().get(pk=document.case_id)
    if not document.to_party:
        raise ApplicationError(_("This document is filed internally and not served."))
    if document.served_on is not None:
        raise ApplicationError(_("Service of this document is already recorded."))
    if method not in ServiceMethod.values:
        raise ApplicationError(_("Choose how the document was served."))
    today = timezone.localdate()
    if served_on > today or served_on < timezone.localdate(document.issued_at):
        raise ApplicationError(_("The date of service must lie between issuance and today."))
    if method in (ServiceMethod.IN_PERSON, ServiceMethod.POST) and proof is None:
        raise ApplicationError(_("Attach the signed proof of service (送达回证) or the postal receipt."))
    if method == ServiceMethod.LEFT and not note.strip():
        raise ApplicationError(_("Name the witnesses of the service left at the address."))
    before = snapshot(document, ["service_method", "served_on", "service_note", "proof_sha256"])
    if proof is not None:
        kind, name, size, sha = check_upload(proof, label=_("proof of service"))
        document.proof.save(f"proof.{kind.extension}", File(proof), save=False)
        document.proof_sha256 = sha
    document.service_method = method
    document.served_on = served_on
    document.service_note = note.strip()
    document.service_recorded_by = actor
    document.save()
    audit_record(actor=actor, action="case.document.served", obj=document, before=before,
                 after=snapshot(document, ["service_method", "served_on", "service_note",
                                           "proof_sha256"]),
                 enterprise_id=case.enterprise_id)
    services.on_document_served(case=case, kind=document.kind, served_on=served_on, actor=actor)
    return document


def check_upload(uploaded, *, label: str):
    """Check one upload by size and content; return (kind, name, size, sha256)."""
    from rectification import filetypes

    size = uploaded.size or 0
    name = (uploaded.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "file"
    if size > settings.UPLOAD_MAX_BYTES:
        raise ApplicationError(
            _("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": name, "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    if size == 0:
        raise ApplicationError(_("“%(name)s” is empty.") % {"name": name})
    kind = filetypes.detect(uploaded, name)
    if kind is None:
        raise ApplicationError(
            _("“%(name)s” is not an accepted %(what)s file (accepted: %(list)s).")
            % {"name": name, "what": label, "list": filetypes.ACCEPTED_LABELS}
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return kind, name, size, digest.hexdigest()


def attach_files(*, submission, files) -> None:
    files = list(files)
    if len(files) > ATTACHMENTS_MAX:
        raise ApplicationError(_("Attach at most %(n)d files.") % {"n": ATTACHMENTS_MAX})
    for uploaded in files:
        kind, name, size, sha = check_upload(uploaded, label=_("attachment"))
        attachment = SubmissionAttachment(
            submission=submission, original_name=name, stored_stem=uuid.uuid4().hex,
            extension=kind.extension, content_type=kind.content_type, size=size, sha256=sha)
        attachment.file.save("upload", File(uploaded), save=False)
        attachment.save()
