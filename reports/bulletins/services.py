"""
Business rules for typical-issues bulletins (典型问题通报): compiled from
chosen findings by a supervisor, edited while a draft, issued once (PDF
rendered and stored) to every enterprise the campaign inspected.
"""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.access import require_supervisor
from core.audit import audit_record, snapshot
from core.exceptions import ApplicationError
from core.notifications import notify
from enterprises.models import Enterprise
from inspections.models import Campaign, Finding, IssueCode
from legal.models import Agency
from legal.selectors import agency_for_documents

from .. import pdf, signing
from ..pdf_titles import title_lines
from ..texts import COMPLIANCE_GUIDANCE, agency_marks, cn_date, cn_numeral, text_lines
from .models import Bulletin, BulletinItem, BulletinRecipient, BulletinSection


def bulletin_scope(*, campaign: Campaign):
    """Enterprises in scope of a campaign's bulletin: every enterprise it inspected."""
    return Enterprise.objects.filter(inspections__campaign=campaign).distinct()


@transaction.atomic
def bulletin_create(*, campaign: Campaign, actor: User, findings: list[Finding],
                    named_ids: set[int] | frozenset = frozenset(), title: str = "") -> Bulletin:
    """
    Compile a typical-issues bulletin from chosen findings, grouped by issue
    code with its legal basis and what compliance looks like. Enterprises
    are anonymised unless their finding is in `named_ids`.
    """
    require_supervisor(actor, _("Only a supervisor may compile a bulletin."))
    findings = list(Finding.objects.filter(pk__in=[f.pk for f in findings], campaign=campaign)
                    .select_related("issue_code").order_by("issue_code_id", "pk"))
    if not findings:
        raise ApplicationError(_("Choose at least one finding of this campaign."))
    scope_count = bulletin_scope(campaign=campaign).count()
    start, end = campaign.starts_on, min(campaign.ends_on, timezone.localdate())
    bulletin = Bulletin(
        campaign=campaign, created_by=actor, agency=campaign.agency,
        title=title or "关于人工智能生成合成内容标识典型问题的通报",
        introduction=(
            f"{cn_date(start)}至{cn_date(end)}，我办对辖区内{scope_count}家生成式人工智能服务提供者和"
            "重点内容传播平台开展了人工智能生成合成内容标识合规检查。现将发现的典型问题通报如下："
        ),
        closing=(
            "各企业要举一反三，对照上述问题全面开展自查整改，健全标识上线前校验、传播平台核验和用户声明等"
            "机制，切实落实《人工智能生成合成内容标识办法》和GB 45438-2025的各项要求。"
        ),
    )
    bulletin.full_clean()
    bulletin.save()
    codes: dict[str, BulletinSection] = {}
    for finding in findings:
        code: IssueCode = finding.issue_code
        if code.pk not in codes:
            codes[code.pk] = BulletinSection.objects.create(
                bulletin=bulletin, issue_code=code, position=len(codes) + 1,
                heading=code.title_zh, legal_basis=code.legal_basis,
                compliance=COMPLIANCE_GUIDANCE.get(code.category, COMPLIANCE_GUIDANCE["default"]),
            )
        BulletinItem.objects.create(section=codes[code.pk], finding=finding,
                                    anonymised=finding.pk not in named_ids)
    audit_record(actor=actor, action="bulletin.create", obj=bulletin,
                 after={"findings": [f.pk for f in findings], "named": sorted(named_ids)})
    return bulletin


@transaction.atomic
def bulletin_update(*, bulletin: Bulletin, actor: User, data: dict, sections: dict[int, dict],
                    named_item_ids: set[int] | None = None) -> Bulletin:
    """Edit a draft bulletin's text, its sections, and who is named."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.DRAFT:
        raise ApplicationError(_("An issued bulletin is not edited."))
    fields = ["title", "addressee", "introduction", "closing"]
    before = snapshot(bulletin, fields)
    for name in fields:
        if name in data:
            setattr(bulletin, name, data[name])
    bulletin.full_clean()
    bulletin.save()
    for section in bulletin.sections.all():
        changes = sections.get(section.pk)
        if changes:
            for name in ("heading", "legal_basis", "compliance"):
                if name in changes:
                    setattr(section, name, changes[name])
            section.full_clean()
            section.save()
    if named_item_ids is not None:
        items = BulletinItem.objects.filter(section__bulletin=bulletin)
        items.filter(pk__in=named_item_ids).update(anonymised=False)
        items.exclude(pk__in=named_item_ids).update(anonymised=True)
    audit_record(actor=actor, action="bulletin.edit", obj=bulletin, before=before,
                 after=snapshot(bulletin, fields))
    return bulletin


MODALITY_ZH = {"text": "文本", "image": "图片", "audio": "音频", "video": "视频", "virtual_scene": "虚拟场景"}
CHANNEL_ZH = {"download": "下载文件", "export": "导出文件", "platform": "平台传播内容"}


def anonymised_case(finding, code) -> str:
    """
    An anonymised case from structured facts: the issue code's title, how
    many sampled items showed it, of which modalities and channels.
    """
    items = list(finding.evidence_items.all())
    if not items:
        return f"经检查，存在“{code.title_zh}”问题（问题编号：{code.code}）。"
    modalities = "、".join(dict.fromkeys(MODALITY_ZH.get(i.modality, "内容") for i in items))
    channels = "、".join(dict.fromkeys(CHANNEL_ZH.get(i.channel, "内容") for i in items))
    return (f"抽检的{len(items)}个{modalities}样本（{channels}）存在“{code.title_zh}”问题"
            f"（问题编号：{code.code}）。")


def bulletin_document_context(*, bulletin: Bulletin, issue_date: datetime.date | None) -> dict:
    sections = []
    labels: dict[int, str] = {}
    sections_qs = bulletin.sections.select_related("issue_code").prefetch_related(
        "items__finding__enterprise", "items__finding__evidence_items")
    for section in sections_qs.order_by("position"):
        cases = []
        for item in section.items.all():
            enterprise = item.finding.enterprise
            if item.anonymised:
                if enterprise.pk not in labels:
                    labels[enterprise.pk] = f"企业{chr(ord('A') + len(labels) % 26)}{len(labels) // 26 or ''}"
                # Written from the code and counts only, never from the
                # description: free text names people, sites and links.
                cases.append(f"某企业（{labels[enterprise.pk]}）：{anonymised_case(item.finding, section.issue_code)}")
            else:
                cases.append(f"{enterprise.name}：{item.finding.description.strip().rstrip('。')}。")
        sections.append({
            "numeral": cn_numeral(section.position), "heading": section.heading,
            "code": section.issue_code_id, "legal_basis": section.legal_basis,
            "compliance": section.compliance, "cases": cases,
        })
    # Issued, the agency must be complete (seal, 版记); a draft shows what there is.
    agency = (agency_for_documents(name=bulletin.agency) if issue_date
              else Agency.objects.filter(name=bulletin.agency).first())
    return {
        "bulletin": bulletin, "sections": sections, "title_lines": title_lines(bulletin.title),
        "intro": text_lines(bulletin.introduction), "closing": text_lines(bulletin.closing),
        "date_text": cn_date(issue_date) if issue_date else "　　年　　月　　日",
        "marks": agency_marks(agency, issue_date),
        "draft": issue_date is None,
    }


@transaction.atomic
def bulletin_issue(*, bulletin: Bulletin, actor: User) -> Bulletin:
    """Render the bulletin once and send it to every enterprise in scope."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require_supervisor(actor, _("Only a supervisor may issue a bulletin."))
    if bulletin.status != Bulletin.Status.DRAFT:
        raise ApplicationError(_("This bulletin has already been issued."))
    if not BulletinItem.objects.filter(section__bulletin=bulletin).exists():
        raise ApplicationError(_("A bulletin needs at least one finding."))
    now = timezone.now()
    data = pdf.render_bulletin(bulletin_document_context(bulletin=bulletin, issue_date=timezone.localdate(now)))
    bulletin.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    bulletin.pdf_sha256 = pdf.sha256_hex(data)
    bulletin.signer_sha256 = signing.agency_certificate_sha256(bulletin.agency)
    bulletin.status = Bulletin.Status.ISSUED
    bulletin.issued_at = now
    bulletin.issue_date = timezone.localdate(now)
    bulletin.issued_by = actor
    bulletin.full_clean()
    bulletin.save()
    enterprises = list(bulletin_scope(campaign=bulletin.campaign))
    BulletinRecipient.objects.bulk_create(
        [BulletinRecipient(bulletin=bulletin, enterprise=e) for e in enterprises],
        ignore_conflicts=True,
    )
    from accounts.models import Role, User

    users = User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise__in=enterprises)
    notify(recipients=users, kind="bulletin_issued", event_key=f"bulletin_issued:{bulletin.pk}",
           context={"subject": bulletin.title,
                    "body": _("A typical-issues bulletin has been issued to your enterprise: %s")
                    % bulletin.title, "bulletin": bulletin},
           url=reverse("portal:home"))
    audit_record(actor=actor, action="bulletin.issue", obj=bulletin,
                 after={"recipients": len(enterprises), "pdf_sha256": bulletin.pdf_sha256})
    return bulletin


@transaction.atomic
def bulletin_mark_opened(*, bulletin: Bulletin, user: User) -> BulletinRecipient | None:
    """Record the first time a user of a recipient enterprise opened the bulletin."""
    if not user.enterprise_id:
        return None
    updated = BulletinRecipient.objects.filter(
        bulletin=bulletin, enterprise_id=user.enterprise_id, first_opened_at__isnull=True
    ).update(first_opened_at=timezone.now(), first_opened_by=user)
    recipient = BulletinRecipient.objects.filter(bulletin=bulletin, enterprise_id=user.enterprise_id).first()
    if updated and recipient is not None:
        audit_record(actor=user, action="bulletin.read", obj=recipient, enterprise_id=user.enterprise_id)
    return recipient
