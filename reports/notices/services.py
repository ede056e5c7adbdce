"""
Business rules for notices. Every write goes through a
function here: it validates, writes in a transaction and records an audit
event.

Notice lifecycle: draft → submitted for approval (the supervisors are
told) → approved (by a supervisor who is not the author; a supervisor may
also approve a draft found on the list) → issued (number, PDF rendered once, findings notified) → served.
"""

import datetime
import functools
import logging
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_editor, require_supervisor
from core.audit import audit_event, audit_history, audit_record, audit_record_many, snapshot
from core.exceptions import ApplicationError, NotPermitted
from core.lifecycle import check_transition
from core.notifications import NotifyEvent, event_key, notify, notify_many
from core.queue import enqueue_on_commit
from enterprises.models import Enterprise
from inspections.models import Campaign, Finding, FindingStatus, PeriodUnit
from inspections.record import inspection_record
from inspections.services.findings import (
    DeadlineStart,
    compute_deadline,
    findings_start_deadlines,
)
from legal.models import Agency
from legal.selectors import agency_for_documents
from legal.services import consent_give, service_record_create

from .. import pdf, signing
from ..texts import (
    MEASURE_TEXT,
    agency_marks,
    cn_date,
    cn_datetime,
    cn_numeral,
    text_lines,
)
from . import citing as notice_citing
from . import facts as notice_facts
from . import numbering
from .models import (
    EVIDENCE_MARK,
    NOTICE_TITLE,
    BatchIssue,
    CitationUse,
    LegalCitation,
    Notice,
    NoticeStatus,
    ServiceMethod,
)
from .selectors import notice_findings

logger = logging.getLogger(__name__)

NOTICE_TRANSITIONS = {
    NoticeStatus.DRAFT: {NoticeStatus.SUBMITTED, NoticeStatus.APPROVED},
    NoticeStatus.SUBMITTED: {NoticeStatus.APPROVED, NoticeStatus.DRAFT},
    NoticeStatus.APPROVED: {NoticeStatus.ISSUED, NoticeStatus.DRAFT},
    NoticeStatus.ISSUED: {NoticeStatus.SERVED},
    NoticeStatus.SERVED: set(),
}
NOTICE_AUDIT_FIELDS = [
    "status", "party_name", "party_uscc", "party_address", "party_legal_rep", "facts",
    "violations", "order_basis", "measures", "submission", "consequences", "remedies",
    "number", "deadline", "deadline_at", "issue_date", "pdf_sha256", "proof_sha256", "served_at",
    "service_method", "approved_by", "issued_by", "submitted_at",
]
# Findings whose deadline issuing a notice (re)starts.
DEADLINE_RECOUNT_STATUSES = frozenset({
    FindingStatus.OPEN, FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED,
})
EDITABLE_FIELDS = [
    "party_name", "party_uscc", "party_address", "party_legal_rep", "facts", "violations",
    "order_basis", "measures", "submission", "consequences", "remedies",
]
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _check_transition(notice: Notice, to_status: str) -> None:
    check_transition(NOTICE_TRANSITIONS, NoticeStatus, notice.status, to_status,
                     subject=Notice._meta.verbose_name)


# --- legal citations ---------------------------------------------------------


def citations_in_force(*, on: datetime.date) -> list[LegalCitation]:
    """The newest version of each citation key that is in force on `on`."""
    latest: dict[str, LegalCitation] = {}
    for citation in LegalCitation.objects.filter(effective_from__lte=on).order_by("key", "-version"):
        if citation.key not in latest and citation.in_force_on(on):
            latest[citation.key] = citation
    return list(latest.values())


@transaction.atomic
def legal_citation_new_version(*, citation: LegalCitation, actor: User, changes: dict) -> LegalCitation:
    """
    Record a change of law as a new version of `citation`; the old version
    stays untouched except that it ends the day before the new one starts.
    """
    allowed = {"use", "law", "article", "summary", "issuer", "effective_from", "effective_to", "categories"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(_("Unknown citation fields: %s") % ", ".join(sorted(unknown)))
    latest = LegalCitation.objects.select_for_update().filter(key=citation.key).latest("version")
    values = {name: getattr(latest, name) for name in allowed}
    values.update(changes)
    values.setdefault("effective_to", None)
    if "effective_to" not in changes:
        values["effective_to"] = None
    new = LegalCitation(key=latest.key, version=latest.version + 1, **values)
    new.full_clean()
    new.save()
    if latest.effective_to is None or latest.effective_to >= new.effective_from:
        before = snapshot(latest, ["effective_to"])
        latest.effective_to = new.effective_from - datetime.timedelta(days=1)
        latest.save(update_fields=["effective_to"])
        audit_record(actor=actor, action="citation.supersede", obj=latest, before=before,
                     after=snapshot(latest, ["effective_to"]))
    audit_record(actor=actor, action="citation.version", obj=new, after=snapshot(new))
    return new


# --- drafting ----------------------------------------------------------------


def notice_prefill(*, enterprise: Enterprise, campaign: Campaign, findings: list[Finding],
                   actor: User, on: datetime.date | None = None) -> dict:
    """Return the prefilled text of a new notice: party, facts, provisions, order, remedies."""
    with translation.override("zh-hans"):
        return _notice_prefill(enterprise=enterprise, campaign=campaign, findings=findings,
                               actor=actor, on=on or timezone.localdate())


def _notice_prefill(*, enterprise, campaign, findings, actor: User, on) -> dict:
    citations = citations_in_force(on=on)
    by_use: dict[str, list[LegalCitation]] = {}
    for citation in citations:
        by_use.setdefault(citation.use, []).append(citation)

    record = inspection_record(inspection_ids=sorted({f.inspection_id for f in findings}))
    notice_facts.require_finished(record)
    agency = agency_for_documents(name=campaign.agency)
    opening = notice_facts.opening_facts(record, agency_short=agency.short_name)
    facts = [opening]
    for n, finding in enumerate(findings, start=1):
        facts.append(f"{cn_numeral(n)}、{finding.description.strip().rstrip('。')}（问题编号：{finding.issue_code_id}）。")
        for item in finding.evidence_items.all():
            ref = f"证据：{item.content_ref}"
            if item.file_sha256:
                ref += f"，SHA-256：{item.file_sha256}"
            facts.append(f"{EVIDENCE_MARK}{ref}")

    # Provisions violated: each finding's code resolved at the date of its
    # conduct; guides only as technical references.
    bases = notice_citing.notice_bases(findings)
    notice_citing.refuse_unorderable(bases)
    violations, provisions = notice_citing.violations_text(bases)
    order_basis = "依据" + "、".join(c.text for c in by_use.get(CitationUse.ORDER_BASIS, [])) + "等规定"

    measures = []
    seen_categories: list[str] = []
    for finding in findings:
        if finding.issue_code.category not in seen_categories:
            seen_categories.append(finding.issue_code.category)
    for n, category in enumerate(seen_categories, start=1):
        measures.append(f"（{cn_numeral(n)}）{MEASURE_TEXT.get(category, MEASURE_TEXT['default'])}")
    measures.append(f"（{cn_numeral(len(seen_categories) + 1)}）{MEASURE_TEXT['self_check']}")

    # Where and whom to contact: the agency's data, never the software's name.
    portal = agency.portal_name + (f"（{agency.portal_url}）" if agency.portal_url else "")
    submission = (
        f"请你单位于上述期限届满前，通过{portal}提交书面整改报告，逐项说明整改措施、完成时间，"
        "并附相关证明材料。"
        + (f"书面材料也可送至{agency.address}。" if agency.address else "")
        + f"联系人：{agency.contact_person}，联系电话：{agency.telephone}。"
    )
    penalties = "、".join(c.text for c in by_use.get(CitationUse.PENALTY, [])) or "相关法律、行政法规"
    consequences = f"逾期不改正或者改正不到位的，{agency.short_name}将依据{penalties}等规定依法处理。"
    remedy_laws = {c.key: c.text for c in by_use.get(CitationUse.REMEDY, [])}
    reconsideration = remedy_laws.get("administrative-reconsideration-law-20", "《中华人民共和国行政复议法》")
    litigation = remedy_laws.get("administrative-litigation-law-46", "《中华人民共和国行政诉讼法》")
    remedies = (
        f"如对本通知不服，可以自收到本通知之日起六十日内依照{reconsideration}的规定向"
        f"{agency.reconsideration_body}申请行政复议，或者自收到本通知之日起六个月内依照"
        f"{litigation}的规定向有管辖权的人民法院提起行政诉讼。"
    )
    return {
        "party_name": enterprise.name,
        "party_uscc": enterprise.uscc,
        "party_address": enterprise.address,
        "party_legal_rep": enterprise.legal_representative,
        "facts": "\n".join(facts),
        "violations": violations,
        "order_basis": order_basis,
        "measures": "\n".join(measures),
        "submission": submission,
        "consequences": consequences,
        "remedies": remedies,
        "agency": campaign.agency,
        "prefix": campaign.notice_prefix,
        "citations": citations,
        "provisions": provisions,
    }


def _covered_elsewhere(findings: list[Finding], exclude_pk: int | None = None) -> list[Finding]:
    taken = Notice.objects.filter(findings__in=findings)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken_ids = set(taken.values_list("findings__id", flat=True))
    return [f for f in findings if f.pk in taken_ids]


@transaction.atomic
def notice_create(*, enterprise: Enterprise, campaign: Campaign, findings: list[Finding],
                  actor: User, supersedes: Notice | None = None) -> Notice:
    """
    Draft a notice for open findings of one enterprise in one campaign (from
    one inspection or several). A finding belongs to one notice only, except
    when the new notice corrects an issued one (`supersedes`).
    """
    require_editor(actor, _("Only inspectors and supervisors may draft notices."))
    findings = list(
        Finding.objects.filter(pk__in=[f.pk for f in findings])
        .select_related("issue_code", "inspection")
        .prefetch_related("evidence_items", "inspection__sampled_services__service")
        .order_by("issue_code_id", "pk")
    )
    if not findings:
        raise ApplicationError(_("Choose at least one finding."))
    if any(f.enterprise_id != enterprise.pk or f.campaign_id != campaign.pk for f in findings):
        raise ApplicationError(_("A notice covers findings of one enterprise in one campaign."))
    if supersedes is None:
        if any(f.status != FindingStatus.OPEN for f in findings):
            raise ApplicationError(_("Only open findings can be put in a new notice."))
        if _covered_elsewhere(findings):
            raise ApplicationError(_("Some of these findings are already in another notice."))
    elif not supersedes.is_issued or supersedes.enterprise_id != enterprise.pk:
        raise ApplicationError(_("Only an issued notice of the same enterprise can be corrected."))
    # Facts come from a finished inspection only, and the agency's data must
    # be complete (both said in the actor's language).
    notice_facts.require_finished(inspection_record(inspection_ids=sorted({f.inspection_id for f in findings})))
    agency_for_documents(name=campaign.agency)
    notice_citing.refuse_unorderable(notice_citing.notice_bases(findings))
    prefill = notice_prefill(enterprise=enterprise, campaign=campaign, findings=findings, actor=actor)
    citations = prefill.pop("citations")
    provisions = prefill.pop("provisions")
    notice = Notice(enterprise=enterprise, campaign=campaign, created_by=actor,
                    supersedes=supersedes, **prefill)
    notice.full_clean()
    notice.save()
    notice.findings.set(findings)
    notice.citations.set(citations)
    notice.provisions.set(provisions)
    audit_record(actor=actor, action="notice.draft", obj=notice,
                 after=snapshot(notice, NOTICE_AUDIT_FIELDS))
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, actor: User, data: dict) -> Notice:
    """Edit a draft's text. Approved or issued notices are not edited."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.DRAFT:
        raise ApplicationError(_("Only a draft can be edited; return an approved notice to draft first."))
    before = snapshot(notice, NOTICE_AUDIT_FIELDS)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(notice, name, data[name])
    notice.full_clean()
    notice.save()
    audit_record(actor=actor, action="notice.edit", obj=notice, before=before,
                 after=snapshot(notice, NOTICE_AUDIT_FIELDS))
    return notice


@transaction.atomic
def notice_approve(*, notice: Notice, actor: User) -> Notice:
    """A supervisor who neither drafted nor edited the notice approves it."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require_supervisor(actor, _("Only a supervisor may approve a notice."))
    # Four eyes: the audit trail records everyone who wrote the text.
    wrote_text = audit_history(notice).filter(
        actor=actor, action__in=("notice.draft", "notice.edit")
    ).exists()
    if actor.pk == notice.created_by_id or wrote_text:
        raise ApplicationError(_("The author of a notice cannot approve it."))
    _check_transition(notice, NoticeStatus.APPROVED)
    _record, problems = notice_facts.notice_facts_check(notice)
    if problems:
        raise ApplicationError(
            _("The facts do not agree with the record; correct them before approving: %s")
            % " ".join(problems))
    before = snapshot(notice, NOTICE_AUDIT_FIELDS)
    notice.status = NoticeStatus.APPROVED
    notice.approved_by = actor
    notice.approved_at = timezone.now()
    notice.save()
    audit_record(actor=actor, action="notice.approve", obj=notice, before=before,
                 after=snapshot(notice, NOTICE_AUDIT_FIELDS))
    return notice


@transaction.atomic
def notice_submit(*, notice: Notice, actor: User) -> Notice:
    """
    Hand a finished draft to the supervisors for approval: they are told at
    once (in the app and by e-mail) and find it on their home page. Only an
    officer who may edit drafts submits; a submitted notice is not edited
    until a supervisor returns it.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require_editor(actor, _("Only an officer who drafts notices may submit one for approval."))
    if notice.status == NoticeStatus.SUBMITTED:
        # A second click (or a retried request): it is already with the supervisors.
        return notice
    _check_transition(notice, NoticeStatus.SUBMITTED)
    _record, problems = notice_facts.notice_facts_check(notice)
    if problems:
        raise ApplicationError(
            _("The facts do not agree with the record; correct them before submitting: %s")
            % " ".join(problems))
    before = snapshot(notice, NOTICE_AUDIT_FIELDS)
    notice.status = NoticeStatus.SUBMITTED
    notice.submitted_at = timezone.now()
    notice.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="notice.submit", obj=notice, before=before,
                 after=snapshot(notice, NOTICE_AUDIT_FIELDS))
    from accounts.models import Role, User

    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True).exclude(pk=actor.pk)
    # One event per submission: a draft returned and submitted again is news again.
    notify(recipients=supervisors, kind="notice_submitted",
           event_key=event_key("notice_submitted", notice, notice.submitted_at.isoformat()),
           context={"notice": notice, "actor": actor},
           url=reverse("reports:notice_detail", args=[notice.pk]))
    return notice


@transaction.atomic
def notice_return_to_draft(*, notice: Notice, actor: User, reason: str) -> Notice:
    """
    A supervisor sends a submitted or approved notice back for changes; its
    author is told why.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require_supervisor(actor, _("Only a supervisor may return a notice to draft."))
    if not reason.strip():
        raise ApplicationError(_("Give a reason."))
    _check_transition(notice, NoticeStatus.DRAFT)
    before = snapshot(notice, NOTICE_AUDIT_FIELDS)
    notice.status = NoticeStatus.DRAFT
    notice.approved_by = None
    notice.approved_at = None
    notice.submitted_at = None
    notice.save()
    audit_record(actor=actor, action="notice.return", obj=notice, before=before,
                 after=snapshot(notice, NOTICE_AUDIT_FIELDS), note=reason)
    notify(recipients=[notice.created_by], kind="notice_returned",
           event_key=event_key("notice_returned", notice, timezone.now().isoformat()),
           context={"notice": notice, "actor": actor, "reason": reason},
           url=reverse("reports:notice_detail", args=[notice.pk]))
    return notice


# --- rendering -----------------------------------------------------------------


def verify_url() -> str:
    """The public verification page's address, as printed on notices."""
    return _verify_url_on(settings.SITE_URL)


@functools.cache
def _verify_url_on(site_url: str) -> str:
    # Cached: reverse() costs milliseconds, and a batch prints this on every notice.
    return f"{site_url}{reverse('reports:verify')}"


@dataclass
class Deadlines:
    deadline: datetime.date
    deadline_at: datetime.datetime | None
    per_finding: dict[int, tuple[datetime.date, datetime.datetime | None, bool]] = field(default_factory=dict)


def notice_deadlines(*, notice: Notice, findings: list[Finding], start: datetime.datetime) -> Deadlines:
    """Each finding's deadline counted from issuance; the notice's is the latest."""
    per = {f.pk: compute_deadline(start=start, period=f.period, unit=f.period_unit) for f in findings}
    latest = max(per.values(), key=lambda d: (d[0], d[1] or datetime.datetime.max.replace(tzinfo=datetime.UTC)))
    return Deadlines(deadline=latest[0], deadline_at=latest[1], per_finding=per)


# A finding's paragraph in the facts ("一、…") and an evidence reference ("证据：地址，SHA-256：…").
FINDING_NUMERAL = re.compile(r"^([一二三四五六七八九十百]+)、")
EVIDENCE_REFERENCE = re.compile(r"^(?:证据：)?(?P<address>.*?)(?:，SHA-256：(?P<sha256>[0-9a-fA-F]{64}))?$")


def _facts_and_evidence(notice: Notice) -> tuple[list[str], list[dict]]:
    """
    The paragraphs of the facts for the body, and the evidence references
    for the attachment (附件：证据清单): each finding's paragraph points to its
    rows ("证据见附件第1、2项"), so hashes and addresses stay out of the text.
    """
    body: list[str] = []
    rows: list[dict] = []
    rows_of: dict[int, list[int]] = {}
    for paragraph in notice.fact_paragraphs():
        if not paragraph["evidence"]:
            body.append(paragraph["text"])
            continue
        match = EVIDENCE_REFERENCE.match(paragraph["text"])
        owner = FINDING_NUMERAL.match(body[-1]) if body else None
        rows.append({"finding": owner.group(1) if owner else "",
                     "address": match.group("address") if match else paragraph["text"],
                     "sha256": (match.group("sha256") or "") if match else ""})
        if body:
            rows_of.setdefault(len(body) - 1, []).append(len(rows))
    for index, numbers in rows_of.items():
        body[index] = (f"{body[index].rstrip('。')}（证据见附件第{'、'.join(str(n) for n in numbers)}项）。")
    return body, rows


def notice_document_context(*, notice: Notice, findings: list[Finding], number: str,
                            issue_date: datetime.date | None, deadlines: Deadlines,
                            verification_code: str = "", officers: str = "",
                            agency: Agency | None = None) -> dict:
    """Everything the PDF template needs, as plain values (`agency`: the issuing agency, looked up if not given)."""
    working = [f for f in findings if f.period_unit == PeriodUnit.WORKING_DAYS]
    hours = [f for f in findings if f.period_unit == PeriodUnit.HOURS]
    if deadlines.deadline_at is not None:
        deadline_text = cn_datetime(timezone.localtime(deadlines.deadline_at))
        period_text = f"{max(f.period for f in hours)}小时内"
    else:
        deadline_text = cn_date(deadlines.deadline)
        period_text = f"{max(f.period for f in working)}个工作日内" if working else ""
    urgent = []
    if working and hours:
        for f in hours:
            _d, at, _e = deadlines.per_finding[f.pk]
            urgent.append({"code": f.issue_code_id, "deadline": cn_datetime(timezone.localtime(at)),
                           "hours": f.period})
    # A date counted into a year whose official schedule is not loaded is
    # never printed as firm.
    estimated = any(deadlines.per_finding[f.pk][2] for f in working if f.pk in deadlines.per_finding)
    facts, evidence = _facts_and_evidence(notice)
    if agency is None:
        agency = Agency.objects.filter(name=notice.agency).first()
    service = _service_context(notice, deadline_text, estimated)
    verify_page = verify_url()
    return {
        "title": NOTICE_TITLE,
        "agency": notice.agency,
        "prefix": notice.prefix,
        "number": number,
        "party_name": notice.party_name,
        "party_uscc": notice.party_uscc,
        "party_address": notice.party_address,
        "party_legal_rep": notice.party_legal_rep,
        "facts": facts,
        "evidence": evidence,
        "violations": text_lines(notice.violations),
        "order_basis": notice.order_basis.strip().rstrip("，,。"),
        "deadline_text": deadline_text,
        "period_text": period_text,
        "deadline_note": "上述期限届满日系按法定节假日推算，具体以国务院公布的放假安排为准。" if estimated else "",
        "urgent": urgent,
        "measures": text_lines(notice.measures),
        "submission": text_lines(notice.submission),
        "consequences": text_lines(notice.consequences),
        "remedies": text_lines(notice.remedies),
        "date_text": cn_date(issue_date) if issue_date else "　　年　　月　　日",
        "verification_code": verification_code,
        "verify_url_plain": verify_page,
        "verify_url": f"{verify_page}?code={verification_code}" if verification_code else "",
        "officers": officers,
        "service": service,
        **agency_marks(agency, issue_date),
    }


# The methods as the proof of service names them (documents are in Chinese).
METHOD_ZH: dict[str, str] = {
    ServiceMethod.DIRECT: "直接送达", ServiceMethod.ELECTRONIC: "电子送达", ServiceMethod.POST: "邮寄送达",
    ServiceMethod.LEFT: "留置送达", ServiceMethod.ENTRUSTED: "委托送达", ServiceMethod.PUBLIC: "公告送达",
}


def _service_context(notice: Notice, deadline_text: str, estimated: bool) -> dict:
    """The elements of the proof of service (送达回证), from the service record."""
    record = notice.service_record
    if record is None:
        return {}
    servers = [u.get_full_name() or u.username for u in record.servers.all()]
    consent = record.consent
    return {
        "method": record.method,
        "method_text": ServiceMethod(record.method).label,
        "method_zh": METHOD_ZH.get(record.method, ""),
        "acknowledged": record.method == ServiceMethod.ELECTRONIC,
        "time_text": cn_datetime(timezone.localtime(record.served_at), minutes=True),
        "place": record.place,
        "recipient": record.recipient,
        "by_agent": record.by_agent, "agent_relation": record.agent_relation, "agent_reason": record.agent_reason,
        "refusal": record.refusal, "witnesses": record.witnesses,
        "entrusted_to": record.entrusted_to, "announcement": record.announcement,
        "servers": servers,
        "account": record.acknowledged_by.username if record.acknowledged_by else "",
        "ip": record.acknowledged_ip,
        "consent_text": (f"{cn_datetime(timezone.localtime(consent.given_at), minutes=True)}由账号“"
                         f"{consent.given_by.username}”确认同意电子送达") if consent else "",
        "note": record.note,
        "deadline_text": deadline_text,
        "deadline_estimated": estimated,
    }


def _officers_text(findings: list[Finding]) -> str:
    names = []
    for finding in findings:
        for officer in finding.inspection.officers.all():
            name = officer.get_full_name() or officer.username
            if name not in names:
                names.append(name)
    return "、".join(names)


def notice_preview_pdf(*, notice: Notice) -> bytes:
    """A draft or approved notice as it would look if issued now (marked 样稿)."""
    if notice.is_issued:
        raise ApplicationError(_("An issued notice is never re-rendered; download the stored PDF."))
    findings = list(notice_findings(notice=notice))
    deadlines = notice_deadlines(notice=notice, findings=findings, start=timezone.now())
    context = notice_document_context(notice=notice, findings=findings, number="",
                                      issue_date=None, deadlines=deadlines)
    return pdf.render_notice_preview(context)


def _new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"LW-{raw[:4]}-{raw[4:]}"


@dataclass
class Prepared:
    """A notice's issuance worked out ahead of its transaction, for a predicted number."""

    notice_id: int
    serial: int
    year: int
    issue_date: datetime.date
    moment: datetime.datetime
    verification_code: str
    deadlines: Deadlines
    document: dict
    rendered: pdf.RenderedNotice | None = None

    def fits(self, *, serial: int, moment: datetime.datetime) -> bool:
        """True when the PDF made ahead shows the number and date the notice now gets."""
        return (self.serial, self.year, self.issue_date) == (
            serial, numbering.numbering_year(moment), timezone.localdate(moment))


def _findings_of(notice_ids: list[int]) -> dict[int, list[Finding]]:
    """The findings of each notice, in the notice's order, in three queries."""
    links = list(Notice.findings.through.objects.filter(notice_id__in=notice_ids)
                 .values_list("notice_id", "finding_id"))
    findings = {f.pk: f for f in Finding.objects.filter(pk__in=[f for _n, f in links]).select_related(
        "issue_code", "inspection").prefetch_related("inspection__officers")}
    result: dict[int, list[Finding]] = {pk: [] for pk in notice_ids}
    for notice_id, finding_id in links:
        result[notice_id].append(findings[finding_id])
    for items in result.values():
        items.sort(key=lambda f: (f.issue_code_id, f.pk))
    return result


def _prepare(notices: list[Notice], serials: list[int], moment: datetime.datetime,
             findings: dict[int, list[Finding]]) -> list[Prepared]:
    """Number, date, deadlines, verification code and PDF context of each notice (not rendered)."""
    issue_date = timezone.localdate(moment)
    year = numbering.numbering_year(moment)
    agencies = Agency.objects.in_bulk({n.agency for n in notices}, field_name="name")
    prepared = []
    for notice, serial in zip(notices, serials, strict=True):
        own = findings[notice.pk]
        deadlines = notice_deadlines(notice=notice, findings=own, start=moment)
        code = _new_verification_code()
        number = numbering.format_number(prefix=notice.prefix, year=year, serial=serial)
        document = notice_document_context(
            notice=notice, findings=own, number=number, issue_date=issue_date,
            deadlines=deadlines, verification_code=code, officers=_officers_text(own),
            agency=agencies.get(notice.agency),
        )
        prepared.append(Prepared(notice.pk, serial, year, issue_date, moment, code, deadlines, document))
    return prepared


def _issue_locked_notices(*, notices: list[Notice], actor: User, ahead: dict[int, Prepared]) -> list[Notice]:
    """
    Issue approved `notices` (rows locked by the caller, all with findings)
    inside the caller's transaction: take their numbers in one go, use the
    PDFs rendered ahead where they show those numbers and today's date
    (otherwise render now), store the PDFs with their SHA-256, start the
    findings' deadlines and notify each enterprise. A handful of statements
    per call, however many notices.
    """
    now = timezone.now()
    year = numbering.numbering_year(now)
    findings = _findings_of([n.pk for n in notices])
    serial_of: dict[int, int] = {}
    for prefix in dict.fromkeys(n.prefix for n in notices):
        group = [n for n in notices if n.prefix == prefix]
        first = numbering.take_serials(prefix=prefix, year=year, count=len(group))
        serial_of.update({n.pk: first + i for i, n in enumerate(group)})
    ready = {pk: p for pk, p in ahead.items()
             if pk in serial_of and p.rendered is not None and p.fits(serial=serial_of[pk], moment=now)}
    late = [n for n in notices if n.pk not in ready]
    if late:
        # Someone issued in between, the day changed, or nothing was rendered ahead.
        fresh = _prepare(late, [serial_of[n.pk] for n in late], now, findings)
        for item, pdfs in zip(fresh, pdf.render_notices([p.document for p in fresh], processes=1)):
            item.rendered = pdfs
            ready[item.notice_id] = item

    events, starts = [], []
    for notice in notices:
        prepared = ready[notice.pk]
        _check_transition(notice, NoticeStatus.ISSUED)
        before = snapshot(notice, NOTICE_AUDIT_FIELDS)
        rendered = prepared.rendered
        assert rendered is not None  # `ready` holds rendered notices only
        notice.status = NoticeStatus.ISSUED
        notice.year, notice.serial = prepared.year, prepared.serial
        notice.number = numbering.format_number(prefix=notice.prefix, year=prepared.year, serial=prepared.serial)
        notice.issue_date = prepared.issue_date
        notice.issued_at = prepared.moment
        notice.issued_by = actor
        notice.deadline = prepared.deadlines.deadline
        notice.deadline_at = prepared.deadlines.deadline_at
        notice.verification_code = prepared.verification_code
        notice.pdf_sha256 = pdf.sha256_hex(rendered.notice_pdf)
        notice.pdf_size = len(rendered.notice_pdf)
        notice.signer_sha256 = signing.agency_certificate_sha256(notice.agency)
        notice.proof_sha256 = pdf.sha256_hex(rendered.proof_pdf)
        notice.proof_signer_sha256 = notice.signer_sha256
        notice.updated_at = now
        stem = uuid.uuid4().hex
        notice.pdf.save(f"{stem}.pdf", ContentFile(rendered.notice_pdf), save=False)
        notice.proof_pdf.save(f"{stem}-proof.pdf", ContentFile(rendered.proof_pdf), save=False)
        reason = _("Deadline counted from the issuance of notice %s") % notice.number
        for finding in findings[notice.pk]:
            # A correction notice leaves closed or overdue findings as they are.
            if finding.status in DEADLINE_RECOUNT_STATUSES:
                date, at, estimated = prepared.deadlines.per_finding[finding.pk]
                # Provisional until service: the period runs from 送达 (start None).
                starts.append(DeadlineStart(finding=finding, deadline=date, deadline_at=at,
                                            reason=reason, notice_number=notice.number,
                                            start=None, estimated=estimated))
        events.append(audit_event(actor=actor, action="notice.issue", obj=notice, before=before,
                                  after=snapshot(notice, NOTICE_AUDIT_FIELDS)))
    issued_fields = ["status", "year", "serial", "number", "issue_date", "issued_at", "issued_by",
                     "deadline", "deadline_at", "verification_code", "pdf_sha256", "pdf_size", "signer_sha256", "pdf",
                     "proof_pdf", "proof_sha256", "proof_signer_sha256", "updated_at"]
    for notice in notices:
        # Plain UPDATEs: bulk_update's CASE per field costs more than it saves here.
        Notice.objects.filter(pk=notice.pk).update(**{f: getattr(notice, f) for f in issued_fields})
    findings_start_deadlines(starts=starts, actor=actor)
    audit_record_many(events)
    recipients = _active_enterprise_users([n.enterprise_id for n in notices])
    enterprises = Enterprise.objects.in_bulk({n.enterprise_id for n in notices})
    notify_many(events=[
        NotifyEvent(
            recipients=recipients.get(notice.enterprise_id, []),
            kind="notice_issued",
            event_key=f"notice_issued:{notice.pk}",
            context={"notice": notice, "enterprise": enterprises[notice.enterprise_id],
                     "deadline": notice.deadline},
            url=reverse("portal:home"),
        )
        for notice in notices
    ])
    return notices


def _active_enterprise_users(enterprise_ids: list[int]) -> dict[int, list]:
    from accounts.models import User

    users: dict[int, list] = {}
    for user in User.objects.filter(enterprise_id__in=set(enterprise_ids), is_active=True).order_by("pk"):
        assert user.enterprise_id is not None  # by the filter
        users.setdefault(user.enterprise_id, []).append(user)
    return users


def notice_issue(*, notice: Notice, actor: User) -> Notice:
    """
    Issue one approved notice: take the next number, render the PDF once,
    store it with its SHA-256, move the findings to notified with deadlines
    counted from today, and notify the enterprise. Issuing twice is refused.
    """
    require_supervisor(actor, _("Only a supervisor may issue a notice."))
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.is_issued:
            raise ApplicationError(_("This notice has already been issued as %s.") % locked.number)
        _check_transition(locked, NoticeStatus.ISSUED)
        if not locked.findings.exists():
            raise ApplicationError(_("A notice without findings cannot be issued."))
        return _issue_locked_notices(notices=[locked], actor=actor, ahead={})[0]


@dataclass
class ChunkOutcome:
    issued: int = 0
    skipped: int = 0
    failed: int = 0


def _issue_chunk(*, prepared: list[Prepared], actor: User, batch_id: int | None = None) -> ChunkOutcome:
    """
    Issue one rendered chunk of a batch in ONE transaction: all of it or, if
    the worker dies midway, none of it (numbers included). Notices issued
    meanwhile by someone else count as skipped; notices no longer approved,
    or without findings, as failed. The batch's counts move in the same
    transaction, so they always match what was issued, whatever dies when.
    """
    with transaction.atomic():
        locked = {n.pk: n for n in Notice.objects.select_for_update().filter(
            pk__in=[p.notice_id for p in prepared]).order_by("pk")}
        with_findings = set(Notice.findings.through.objects.filter(
            notice_id__in=locked).values_list("notice_id", flat=True))
        outcome = ChunkOutcome()
        issuable = []
        for item in prepared:
            notice = locked.get(item.notice_id)
            if notice is not None and notice.is_issued:
                outcome.skipped += 1
            elif notice is None or notice.status != NoticeStatus.APPROVED or notice.pk not in with_findings:
                outcome.failed += 1
            else:
                issuable.append(notice)
        if issuable:
            _issue_locked_notices(notices=issuable, actor=actor, ahead={p.notice_id: p for p in prepared})
        outcome.issued = len(issuable)
        if batch_id is not None:
            BatchIssue.objects.filter(pk=batch_id).update(
                issued=F("issued") + outcome.issued, skipped=F("skipped") + outcome.skipped)
    return outcome


# --- batch issuance -------------------------------------------------------------


@transaction.atomic
def batch_issue_start(*, campaign: Campaign, actor: User) -> BatchIssue:
    """Start issuing every approved notice of `campaign` in the background."""
    require_supervisor(actor, _("Only a supervisor may issue notices."))
    running = BatchIssue.objects.select_for_update().filter(
        campaign=campaign, status__in=[BatchIssue.Status.PENDING, BatchIssue.Status.RUNNING]
    ).first()
    if running is not None:
        raise ApplicationError(_("A batch issuance of this campaign is already running."))
    ids = list(Notice.objects.filter(campaign=campaign, status=NoticeStatus.APPROVED)
               .order_by("enterprise__name", "pk").values_list("pk", flat=True))
    if not ids:
        raise ApplicationError(_("This campaign has no approved notices to issue."))
    batch = BatchIssue(campaign=campaign, started_by=actor, total=len(ids), notice_ids=ids)
    batch.full_clean()
    batch.save()
    audit_record(actor=actor, action="notice.batch_start", obj=batch, after={"total": len(ids)})
    from .tasks import batch_issue_task

    enqueue_on_commit(batch_issue_task, batch_id=batch.pk)
    return batch


def batch_issue_resume(*, batch: BatchIssue, actor: User) -> BatchIssue:
    """Run an interrupted batch again; notices issued before are skipped."""
    require_supervisor(actor, _("Only a supervisor may issue notices."))
    if batch.status == BatchIssue.Status.DONE:
        raise ApplicationError(_("This batch has finished."))
    with transaction.atomic():
        BatchIssue.objects.filter(pk=batch.pk).update(status=BatchIssue.Status.PENDING, error="")
        audit_record(actor=actor, action="notice.batch_resume", obj=batch)
        from .tasks import batch_issue_task

        enqueue_on_commit(batch_issue_task, batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def _batch_chunks(pending: list[Notice], moment: datetime.datetime) -> Iterator[list[Prepared]]:
    """
    Cut the pending notices into chunks of settings.NOTICE_RENDER_CHUNK (one
    prefix each) and prepare them, one chunk at a time, for the numbers they
    will take if nobody else issues meanwhile: the counter's next serial
    onwards, in order.
    """
    size = getattr(settings, "NOTICE_RENDER_CHUNK", 25)
    year = numbering.numbering_year(moment)
    for prefix in dict.fromkeys(n.prefix for n in pending):
        group = [n for n in pending if n.prefix == prefix]
        next_serial = numbering.peek_next_serial(prefix=prefix, year=year)
        for start in range(0, len(group), size):
            part = group[start:start + size]
            serials = list(range(next_serial + start, next_serial + start + len(part)))
            yield _prepare(part, serials, moment, _findings_of([n.pk for n in part]))


def batch_issue_run(*, batch_id: int) -> BatchIssue:
    """
    Issue the batch's approved notices. Chunks render ahead in a pool of
    processes while the chunk before is issued, each chunk in one
    transaction. Safe to run again after a crash: a chunk commits whole or
    not at all, issued notices are skipped and counted, and numbers stay
    gapless because they are taken in the transaction that issues them.
    """
    batch = BatchIssue.objects.select_related("started_by").get(pk=batch_id)
    if batch.status == BatchIssue.Status.DONE:
        return batch
    BatchIssue.objects.filter(pk=batch.pk).update(status=BatchIssue.Status.RUNNING)
    actor = batch.started_by
    notices = Notice.objects.in_bulk(batch.notice_ids)
    issued_now = sum(1 for pk in batch.notice_ids if pk in notices and notices[pk].is_issued)
    pending = [notices[pk] for pk in batch.notice_ids
               if pk in notices and notices[pk].status == NoticeStatus.APPROVED]
    # A run again after a crash keeps what earlier runs issued (counted with
    # their chunks); notices issued by someone else in between are skipped;
    # failures are what is neither issued nor still approved now.
    BatchIssue.objects.filter(pk=batch.pk).update(
        skipped=F("skipped") + Greatest(Value(0), issued_now - F("issued") - F("skipped")),
        failed=len(batch.notice_ids) - issued_now - len(pending))
    logger.info("batch %s of campaign %s: issuing %d approved notices (%d already issued)",
                batch.pk, batch.campaign_id, len(pending), issued_now)
    try:
        chunks: list[list[Prepared]] = []

        def documents():
            # Prepared one chunk at a time, so the pool starts rendering the
            # first while the next are read from the database.
            for chunk in _batch_chunks(pending, timezone.now()):
                chunks.append(chunk)
                yield [p.document for p in chunk]

        for index, rendered in enumerate(pdf.render_notice_chunks(documents())):
            chunk = chunks[index]
            for item, pdfs in zip(chunk, rendered, strict=True):
                item.rendered = pdfs
            outcome = _issue_chunk(prepared=chunk, actor=actor, batch_id=batch.pk)
            if outcome.failed:
                BatchIssue.objects.filter(pk=batch.pk).update(failed=F("failed") + outcome.failed)
                logger.warning("batch %s: %d notices of chunk %d no longer issuable (notices %s)",
                               batch.pk, outcome.failed, index,
                               [p.notice_id for p in chunk])
    except Exception as exc:
        logger.exception("batch %s of campaign %s failed", batch.pk, batch.campaign_id)
        BatchIssue.objects.filter(pk=batch.pk).update(
            status=BatchIssue.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    with transaction.atomic():
        # Only the run that finishes the batch says so: "done" is audited once
        # however often the task ran.
        finished = BatchIssue.objects.filter(pk=batch.pk).exclude(
            status=BatchIssue.Status.DONE).update(status=BatchIssue.Status.DONE,
                                                  finished_at=timezone.now())
        batch.refresh_from_db()
        if finished:
            audit_record(actor=actor, action="notice.batch_done", obj=batch,
                         after={"issued": batch.issued, "skipped": batch.skipped,
                                "failed": batch.failed})
    logger.info("batch %s done: %d issued, %d skipped, %d failed",
                batch.pk, batch.issued, batch.skipped, batch.failed)
    return batch


# --- service (送达) ----------------------------------------------------------------


def _render_proof(notice: Notice, findings: list[Finding], deadlines: Deadlines) -> None:
    context = notice_document_context(
        notice=notice, findings=findings, number=notice.number, issue_date=notice.issue_date,
        deadlines=deadlines, verification_code=notice.verification_code or "",
        officers=_officers_text(findings),
    )
    proof = pdf.render_proof(context)
    notice.proof_pdf.save(f"{uuid.uuid4().hex}-proof.pdf", ContentFile(proof), save=False)
    notice.proof_sha256 = pdf.sha256_hex(proof)
    notice.proof_signer_sha256 = signing.agency_certificate_sha256(notice.agency)


def _serve(notice: Notice, record, actor: User) -> Notice:
    """
    The notice is served: its findings' periods start running from the time
    of service (24-hour orders from the moment, working days from the next
    day), the proof of service is rendered with every element of the record
    and the deadlines, and the whole is audited. The caller holds the lock.
    """
    before = snapshot(notice, NOTICE_AUDIT_FIELDS)
    notice.status = NoticeStatus.SERVED
    notice.service_record = record
    notice.served_at = record.served_at
    notice.service_method = record.method
    notice.service_note = record.note
    if record.method == ServiceMethod.ELECTRONIC:
        notice.acknowledged_by, notice.acknowledged_ip = record.acknowledged_by, record.acknowledged_ip
    findings = list(notice_findings(notice=notice))
    deadlines = notice_deadlines(notice=notice, findings=findings, start=record.served_at)
    notice.deadline, notice.deadline_at = deadlines.deadline, deadlines.deadline_at
    reason = _("Deadline counted from the service of notice %s") % notice.number
    starts = []
    for finding in findings:
        if finding.status in DEADLINE_RECOUNT_STATUSES:
            date, at, estimated = deadlines.per_finding[finding.pk]
            starts.append(DeadlineStart(finding=finding, deadline=date, deadline_at=at, reason=reason,
                                        notice_number=notice.number, start=record.served_at,
                                        estimated=estimated))
    findings_start_deadlines(starts=starts, actor=actor)
    _render_proof(notice, findings, deadlines)
    notice.full_clean()
    notice.save()
    action = "notice.acknowledge" if record.method == ServiceMethod.ELECTRONIC else "notice.serve"
    audit_record(actor=actor, action=action, obj=notice, before=before,
                 after=snapshot(notice, NOTICE_AUDIT_FIELDS), note=record.note)
    return notice


@transaction.atomic
def notice_acknowledge(*, notice: Notice, actor: User, ip_address: str | None = None,
                       consent: bool = False) -> Notice:
    """
    The enterprise acknowledges receipt in the portal: electronic service,
    which counts only under the enterprise's consent (given now with
    `consent`, or before), recorded with the account, time and IP address.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if actor.enterprise_id != notice.enterprise_id:
        raise NotPermitted(_("Only the party's own users can acknowledge receipt."))
    if notice.status == NoticeStatus.SERVED:
        return notice
    _check_transition(notice, NoticeStatus.SERVED)
    assert notice.issued_at is not None  # only an issued notice is served
    if consent:
        consent_give(enterprise=notice.enterprise, actor=actor, ip_address=ip_address)
    record = service_record_create(
        document_kind="notice", document_id=notice.pk, document_title=f"{NOTICE_TITLE}（{notice.number}）",
        enterprise=notice.enterprise, method=ServiceMethod.ELECTRONIC, served_at=timezone.now(), actor=actor,
        not_before=notice.issued_at, ip_address=ip_address, place=_portal_place(notice))
    return _serve(notice, record, actor)


def _portal_place(notice: Notice) -> str:
    from legal.models import Agency

    agency = Agency.objects.filter(name=notice.agency).first()
    return (agency.portal_name if agency and agency.portal_name else notice.agency) + "（电子送达）"


@transaction.atomic
def notice_record_service(*, notice: Notice, actor: User, method: str, served_at: datetime.datetime,
                          servers=(), **details) -> Notice:
    """
    Officers record service made outside the portal: direct, by post, by
    leaving it (留置, with the refusal and witnesses), entrusted or by public
    announcement, with who signed (or the 代收人, their relation and why) and
    the officers who served it.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if method == ServiceMethod.ELECTRONIC:
        raise ApplicationError(_("Electronic service is recorded by the enterprise's acknowledgement."))
    _check_transition(notice, NoticeStatus.SERVED)
    assert notice.issued_at is not None  # only an issued notice is served
    details.setdefault("place", notice.party_address)
    record = service_record_create(
        document_kind="notice", document_id=notice.pk, document_title=f"{NOTICE_TITLE}（{notice.number}）",
        enterprise=notice.enterprise, method=method, served_at=served_at, actor=actor,
        not_before=notice.issued_at, servers=servers, **details)
    return _serve(notice, record, actor)
