"""Factories and builders for notices and bulletins (tests of issue 6)."""



import datetime

from django.utils import timezone

from inspections.models import Inspection, InspectionService, SamplingRule
from reports.notices import services
from tests.factories import (
    CampaignFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    IssueCodeFactory,
    SampledItemFactory,
    ServiceFactory,
)


def ensure_law_data() -> None:
    """
    The provision table shipped by legal's data migration: a transactional
    test's flush empties it, and notices cannot be drafted without it.
    """
    from legal.models import CodeBasis

    if not CodeBasis.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("legal.migrations.0003_provision_data").load(apps, None)


def make_findings(*, author, enterprise=None, campaign=None, n: int = 2, officers=(), code=None):
    """Open findings of one enterprise from one inspection, with evidence and a sampled service."""
    ensure_law_data()
    enterprise = enterprise or EnterpriseFactory()
    campaign = campaign or CampaignFactory()
    now = timezone.now()
    # Notices state the facts of completed inspections only.
    inspection = InspectionFactory(enterprise=enterprise, campaign=campaign, officers=list(officers),
                                   status=Inspection.Status.COMPLETED,
                                   started_at=now - datetime.timedelta(days=1), completed_at=now)
    service = ServiceFactory(enterprise=enterprise, name="星河AI助手")
    InspectionService.objects.create(inspection=inspection, service=service, lot_size=5000,
                                     rule=SamplingRule.GB2828, code_letter="L", plan_letter="L",
                                     sample_size=200)
    code = code or IssueCodeFactory(code="IMP-01", category="IMP", title_zh="未添加隐式标识",
                                    legal_basis="《人工智能生成合成内容标识办法》第五条")
    findings = []
    for i in range(n):
        item = SampledItemFactory(inspection=inspection,
                                  file_sha256=f"{i:02d}" + "ab" * 31)
        finding = FindingFactory(inspection=inspection, issue_code=code,
                                 description=f"抽检的图片文件{i + 1}未添加隐式标识", created_by=author)
        finding.evidence_items.set([item])
        findings.append(finding)
    return findings


def make_notice(*, author, approver=None, enterprise=None, campaign=None, n: int = 2):
    """A draft notice (approved when `approver` is given)."""
    findings = make_findings(author=author, enterprise=enterprise, campaign=campaign, n=n,
                             officers=[author])
    notice = services.notice_create(enterprise=findings[0].enterprise, campaign=findings[0].campaign,
                                    findings=findings, actor=author)
    if approver is not None:
        notice = services.notice_approve(notice=notice, actor=approver)
    return notice


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext extracts it."""
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
