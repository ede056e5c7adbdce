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
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import filetypes
from core.access import require_editor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError, NotPermitted
from core.uploads import check_upload
from legal.models import ServiceMethod, ServiceRecord

from .models import (
    Case,
    CaseDocument,
    CaseRecord,
    CaseSource,
    DocumentCounter,
    DocumentKind,
    PenaltyKind,
    RecordKind,
    SubmissionAttachment,
    SubmissionKind,
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
# Documents the agency sends out under its masthead, seal and 版记; the
# others (records, internal forms) are ruled forms under the agency's name.
LETTERS = frozenset({DocumentKind.INTERVIEW_NOTICE, DocumentKind.PRESERVATION_NOTICE,
                     DocumentKind.PRIOR_NOTICE, DocumentKind.HEARING_NOTICE,
                     DocumentKind.PENALTY_DECISION, DocumentKind.NO_PENALTY_DECISION,
                     DocumentKind.TRANSFER})
RECORD_DOCUMENTS: dict[str, str] = {
    RecordKind.INSPECTION: DocumentKind.INSPECTION_RECORD,
    RecordKind.QUESTIONING: DocumentKind.QUESTIONING_RECORD,
    RecordKind.INTERVIEW: DocumentKind.INTERVIEW_RECORD,
    RecordKind.HEARING: DocumentKind.HEARING_RECORD,
}
ATTACHMENTS_MAX = 10
SERVICE_FIELDS = ["service_method", "served_on", "service_note", "service_record_id", "proof_sha256"]
# What the documents print, in Chinese whatever the reader's language.
SOURCES_ZH: dict[str, str] = {
    CaseSource.OVERDUE: "检查发现的问题逾期未整改",
    CaseSource.SERIOUS: "检查发现的严重问题（违法有害内容、标识去除工具或者重复违法）",
    CaseSource.TIP_OFF: "举报",
    CaseSource.TARGETED: "专项检查",
    CaseSource.OTHER: "其他线索",
}
# 行政处罚法 Art. 9's names of the kinds of penalty.
PENALTIES_ZH: dict[str, str] = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATION: "没收违法所得",
    PenaltyKind.SUSPENSION: "责令停产停业",
}
SUBMISSIONS_ZH: dict[str, str] = {
    SubmissionKind.STATEMENT: "陈述、申辩",
    SubmissionKind.HEARING_REQUEST: "听证申请",
    SubmissionKind.RECUSAL: "回避申请",
}


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


def cn_time(moment, *, seconds: bool = False) -> str:
    """A moment as the documents write it: 2026年3月2日9时05分."""
    local = timezone.localtime(moment)
    text = f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分"
    return f"{text}{local.second:02d}秒" if seconds else text


def _money(amount) -> str:
    return f"{amount:,.2f}" if amount is not None else ""


def document_facts(*, case: Case, kind: str, record: CaseRecord | None = None) -> dict:
    """
    What the document states, taken from the record now: party, officers
    with their certificate numbers, facts, grounds, decision, time limits.
    """
    from legal.citations import join_citations
    from legal.selectors import agency_for_documents
    from reports.notices import citing

    from . import deadlines

    enterprise = case.enterprise
    agency = agency_for_documents(name=settings.CASE_AGENCY_NAME)
    team = [_officer(a.officer) for a in case.team.filter(active=True).select_related("officer")]
    findings = list(case.findings.select_related("issue_code", "inspection")
                    .prefetch_related("evidence_items").order_by("issue_code_id", "pk"))
    # Each finding's provisions as in force on the day of its conduct, never
    # on the day of the document (legal.law); guides only as references. A
    # case without findings states the conduct it named (conduct_bases).
    bases = citing.notice_bases(findings)
    conduct = bases if findings else conduct_bases(case)
    violations = citing.violations_text(conduct)[0] if conduct else ""
    facts = {
        "agency": agency.name,
        "agency_short": agency.short_name,
        "agency_contact": {"portal": agency.portal_name, "address": agency.address,
                           "person": agency.contact_person, "telephone": agency.telephone},
        "reconsideration_body": agency.reconsideration_body,
        # The 版记 and the seal, from the agency's data as for the notices.
        "printed_by": agency.printed_by.strip() or agency.name,
        "seal": f"file://{agency.seal_image.path}" if agency.seal_image else "",
        "case_number": case.number,
        "cause": case.cause,
        "party": {"name": enterprise.name, "uscc": enterprise.uscc,
                  "address": enterprise.address, "legal_rep": enterprise.legal_representative},
        "officers": team,
        "facts": [line.strip() for line in case.facts.splitlines() if line.strip()],
        "findings": [
            {"code": f.issue_code_id, "description": f.description.strip().rstrip("。"),
             "violated": join_citations(bases[f.pk].violated), "on": cn_date(bases[f.pk].on)}
            for f in findings
        ],
        "violations": violations,
        "clue_found_on": cn_date(case.clue_found_on),
        "filed_on": cn_date(case.filed_on),
        "source_zh": SOURCES_ZH.get(case.source, ""),
        "proposed_by": _officer(case.proposed_by),
        "filed_by": case.filed_by.get_full_name() if case.filed_by else "",
        "intended_penalty_zh": PENALTIES_ZH.get(case.intended_penalty, ""),
        "intended_amount": _money(case.intended_amount),
        "grounds": case.grounds,
        "hearing_right": case.hearing_right,
        "outcome": case.outcome,
        "penalty_zh": PENALTIES_ZH.get(case.penalty, ""),
        "amount": _money(case.amount),
        "decision_text": case.decision_text,
        "decided_on": cn_date(case.decided_on),
        "prior_notice_served_on": cn_date(case.prior_notice_served_on),
        "hearing_held_on": cn_date(case.hearing_held_on),
        "transferred_to": case.transferred_to,
        "served_on": cn_date(case.served_on),
        "performed_on": cn_date(case.performed_on),
        "performance_note": case.performance_note,
        "date": cn_date(timezone.localdate()),
        "limits": {d.code: {"due": d.due.isoformat(), "citation": d.citation}
                   for d in deadlines.case_deadlines(case)},
        "limit_rules": {
            limit.code: {"length": limit.length, "phrase": limit_phrase(limit),
                         "citation": limit.citation}
            for limit in deadlines.limits_by_code().values()
        },
        # The party's statements and hearing requests (a recusal application
        # is decided apart and is not the party's defence).
        "submissions": [
            {"kind": s.kind, "kind_zh": SUBMISSIONS_ZH[s.kind], "at": cn_time(s.submitted_at)}
            for s in case.submissions.exclude(kind=SubmissionKind.RECUSAL)
        ],
        "records": [
            {"kind": r.kind, "title": TITLES[RECORD_DOCUMENTS[r.kind]], "at": cn_time(r.created_at)}
            for r in case.records.filter(confirmed_at__isnull=False)
        ],
        "evidence_count": case.evidence.filter(confirmed_at__isnull=False).count(),
        "documents": [
            {"kind": d.kind, "title": TITLES[d.kind], "number": d.number}
            for d in case.documents.all()
        ],
    }
    if record is not None:
        record_facts: dict = {
            "kind": record.kind,
            "place": record.place,
            "started_at": cn_time(record.started_at),
            "ended_at": cn_time(record.ended_at),
            "recorded_at": cn_time(record.created_at, seconds=True),
            "person": record.person,
            "person_position": record.person_position,
            "lines": [line.strip() for line in record.content.splitlines() if line.strip()],
            "party_confirmation": record.party_confirmation,
            "refusal_note": record.refusal_note,
            "officers": [
                {**_officer(ro.officer, ro.certificate_number),
                 "confirmed_at": cn_time(ro.confirmed_at, seconds=True) if ro.confirmed_at else ""}
                for ro in record.officers.select_related("officer")
            ],
        }
        facts["record"] = record_facts
        facts["officers"] = record_facts["officers"]
    return facts


def conduct_bases(case: Case) -> dict:
    """
    The legal basis of the conduct a case without findings names (its issue
    codes on the day of the conduct), keyed by code; empty until named.
    """
    from legal.law import bases_for

    if case.conduct_on is None:
        return {}
    return bases_for(conduct={code: case.conduct_on
                              for code in case.conduct_codes.values_list("code", flat=True)})


def require_orderable(case: Case) -> None:
    """
    Refuse a penalty (announced or decided) unless the conduct is stated
    with a binding provision in force on its day (legal.law): each finding's,
    or, for a case without findings, the conduct the case names. A
    document that cannot say which provision was violated (行政处罚法
    Art. 59) is not issued.
    """
    from reports.notices import citing

    findings = list(case.findings.select_related("issue_code", "inspection")
                    .prefetch_related("evidence_items"))
    bases = citing.notice_bases(findings) if findings else conduct_bases(case)
    if not bases:
        raise ApplicationError(_(
            "Name the conduct (its issue codes and the date it took place): a penalty must say "
            "which provisions were violated."))
    problems = list(dict.fromkeys(b.refusal() for b in bases.values() if not b.can_order))
    if problems:
        raise ApplicationError(_("No penalty can rest on these findings: %s") % " ".join(problems))


def issue(*, case: Case, kind: str, actor: User, record: CaseRecord | None = None,
          extra: dict | None = None) -> CaseDocument:
    """
    Number, render and store one document of `case` (inside the caller's
    transaction: a rollback takes the number back).
    """
    from django.utils import translation

    from .pdf import PDF_LANGUAGE, issued_pdf

    number = take_number(kind=kind)
    with translation.override(PDF_LANGUAGE):
        facts = {**document_facts(case=case, kind=kind, record=record), **(extra or {}),
                 "kind": kind, "title": _title(kind), "number": number,
                 "layout": "letter" if kind in LETTERS else "form",
                 "issued_by": actor.get_full_name() or actor.username}
    pdf, proof = issued_pdf({**facts, "proof": proof_facts(facts, service={})})
    document = CaseDocument(case=case, kind=kind, number=number, record=record,
                            sha256=hashlib.sha256(pdf).hexdigest(), signer_sha256=_signer_sha256(facts),
                            facts=facts, issued_by=actor, to_party=kind not in INTERNAL)
    document.pdf.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    if document.to_party:
        # The blank proof of service goes out with the document, to be
        # signed on paper; recording service renders it filled in.
        if proof is None:
            _render_proof(document)
        else:
            document.proof.save("proof.pdf", ContentFile(proof), save=False)
            document.proof_sha256 = hashlib.sha256(proof).hexdigest()
            document.proof_signer_sha256 = document.signer_sha256
        document.save(update_fields=["proof", "proof_sha256", "proof_signer_sha256"])
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


def proof_context(document: CaseDocument) -> dict:
    """
    The elements of the document's proof of service (送达回证), for the
    notices' form (reports/pdf/_proof_body.html): blank until service is
    recorded, then every element of its legal.ServiceRecord.
    """
    from reports.notices.services import METHOD_ZH
    from reports.texts import cn_datetime

    service: dict = {}
    record = document.service_record
    if record is not None:
        consent = record.consent
        service = {
            "method": record.method,
            "method_zh": METHOD_ZH.get(ServiceMethod(record.method), ""),
            "acknowledged": record.method == ServiceMethod.ELECTRONIC,
            "time_text": cn_datetime(timezone.localtime(record.served_at), minutes=True),
            "place": record.place,
            "recipient": record.recipient,
            "by_agent": record.by_agent, "agent_relation": record.agent_relation,
            "agent_reason": record.agent_reason,
            "refusal": record.refusal, "witnesses": record.witnesses,
            "entrusted_to": record.entrusted_to, "announcement": record.announcement,
            "servers": [u.get_full_name() or u.username for u in record.servers.all()],
            "account": record.acknowledged_by.username if record.acknowledged_by else "",
            "ip": record.acknowledged_ip,
            "consent_text": (f"{cn_datetime(timezone.localtime(consent.given_at), minutes=True)}由账号“"
                             f"{consent.given_by.username}”确认同意电子送达") if consent else "",
            "note": record.note,
        }
    return proof_facts({**document.facts, "kind": document.kind, "number": document.number},
                       service=service)


def proof_facts(facts: dict, *, service: dict) -> dict:
    """What the proof of service (reports/pdf/_proof_body.html) prints of a document."""
    party = facts.get("party", {})
    return {"agency": facts.get("agency", ""), "title": TITLES[facts["kind"]], "number": facts["number"],
            "party_name": party.get("name", ""), "party_uscc": party.get("uscc", ""),
            "party_address": party.get("address", ""), "service": service}


def _render_proof(document: CaseDocument) -> None:
    from .pdf import render_proof

    pdf = render_proof(proof_context(document))
    document.proof.save("proof.pdf", ContentFile(pdf), save=False)
    document.proof_sha256 = hashlib.sha256(pdf).hexdigest()
    document.proof_signer_sha256 = _signer_sha256(document.facts)


def _signer_sha256(facts: dict) -> str:
    """The SHA-256 of the certificate the document's agency signs with (reports.signing)."""
    from reports import signing

    return signing.agency_certificate_sha256(facts["agency"])


def _check_servable(document: CaseDocument) -> None:
    if not document.to_party:
        raise ApplicationError(_("This document is filed internally and not served."))
    if document.service_record_id is not None:
        raise ApplicationError(_("Service of this document is already recorded."))


def _serve(document: CaseDocument, record: ServiceRecord, actor: User) -> CaseDocument:
    """
    The document is served: its service record and the proof of service
    rendered from it are kept, and the periods that run from service start
    (cases.services.on_document_served). The caller holds the locks.
    """
    from . import services

    before = snapshot(document, SERVICE_FIELDS)
    document.service_record = record
    document.service_method = record.method
    document.served_on = timezone.localdate(record.served_at)
    document.service_note = record.note
    document.service_recorded_by = record.recorded_by
    _render_proof(document)
    document.save()
    case = document.case
    audit_record(actor=actor, action="case.document.served", obj=document, before=before,
                 after=snapshot(document, SERVICE_FIELDS), enterprise_id=case.enterprise_id)
    services.on_document_served(case=case, kind=document.kind, served_on=document.served_on, actor=actor)
    return document


def _locked_document(document: CaseDocument) -> CaseDocument:
    document = CaseDocument.objects.select_for_update().get(pk=document.pk)
    document.case = Case.objects.select_for_update().select_related("enterprise").get(pk=document.case_id)
    return document


@transaction.atomic
def document_acknowledge(*, document: CaseDocument, actor: User, ip_address: str | None = None,
                         consent: bool = False) -> CaseDocument:
    """
    The party acknowledges receipt in the portal: electronic service, which
    counts only under the enterprise's consent to electronic service (given
    now with `consent`, or before; legal.services), recorded with the
    account, time and IP address. Twice is once.
    """
    from legal.services import consent_give, service_record_create

    document = _locked_document(document)
    case = document.case
    if actor.enterprise_id != case.enterprise_id:
        raise NotPermitted(_("Only the party's own users can acknowledge receipt."))
    if document.service_record_id is not None:
        return document
    _check_servable(document)
    if consent:
        consent_give(enterprise=case.enterprise, actor=actor, ip_address=ip_address)
    record = service_record_create(
        document_kind=f"case.{document.kind}", document_id=document.pk,
        document_title=f"{TITLES[document.kind]}（{document.number}）", enterprise=case.enterprise,
        method=ServiceMethod.ELECTRONIC, served_at=timezone.now(), actor=actor,
        not_before=document.issued_at, ip_address=ip_address,
        place=f"{document.facts.get('agency_contact', {}).get('portal') or document.facts.get('agency', '')}"
              "（电子送达）")
    return _serve(document, record, actor)


@transaction.atomic
def record_service(*, document: CaseDocument, actor: User, method: str, served_at: datetime.datetime,
                   servers=(), **details) -> CaseDocument:
    """
    Officers record service made outside the portal (直接, 邮寄, 留置, 委托,
    公告) with every element of the proof of service: who signed (or the
    代收人, their relation and why), the refusal and witnesses, the officers
    who served it. Electronic service is only the party's own
    acknowledgement under its consent. Periods run from this moment.
    """
    from legal.services import service_record_create

    document = _locked_document(document)
    case = document.case
    require_editor(actor)
    if method == ServiceMethod.ELECTRONIC:
        raise ApplicationError(_("Electronic service is recorded by the enterprise's acknowledgement "
                                 "in the portal, under its consent to electronic service."))
    _check_servable(document)
    if not details.get("place"):
        details["place"] = case.enterprise.address
    record = service_record_create(
        document_kind=f"case.{document.kind}", document_id=document.pk,
        document_title=f"{TITLES[document.kind]}（{document.number}）", enterprise=case.enterprise,
        method=method, served_at=served_at, actor=actor, not_before=document.issued_at,
        servers=servers, **details)
    return _serve(document, record, actor)


def attach_files(*, submission, files) -> None:
    files = list(files)
    if len(files) > ATTACHMENTS_MAX:
        raise ApplicationError(_("Attach at most %(n)d files.") % {"n": ATTACHMENTS_MAX})
    for uploaded in files:
        checked = check_upload(uploaded, accepts=filetypes.EVIDENCE, what=_("attachment"))
        attachment = SubmissionAttachment(
            submission=submission, original_name=checked.name, stored_stem=uuid.uuid4().hex,
            extension=checked.kind.extension, content_type=checked.kind.content_type,
            size=checked.size, sha256=checked.sha256)
        attachment.file.save("upload", File(uploaded), save=False)
        attachment.save()
