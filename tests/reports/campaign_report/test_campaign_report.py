"""The campaign summary report PDF."""

import subprocess

import pytest
from django.urls import reverse

from core.models import ExportJob
from reports.notices import services
from tests.reports.factories import make_notice


@pytest.mark.django_db
def test_campaign_report_pdf_has_scope_results_and_outcomes(
    inspector, supervisor, client_for, django_capture_on_commit_callbacks
):
    notice = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor),
                                   actor=supervisor)
    client = client_for(supervisor)
    # Always a background job (core.exports); it runs at commit here.
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("reports:campaign_report", args=[notice.campaign_id]))
    assert started.status_code == 302
    job = ExportJob.objects.get(owner=supervisor, kind="campaign_report")
    response = client.get(reverse("core:export_job_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and content.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    compact = "".join(text.split())
    assert "京网信改" in compact  # the number column (cells wrap, so not compared whole)
    for expected in ("专项检查总结报告", "抽取方案", "样本量", "问题类别分布", notice.party_uscc,
                     "逾期未整改清单"):
        assert expected in compact, expected


@pytest.mark.django_db
def test_the_report_splits_inspections_and_findings_by_origin(supervisor, inspector):
    """Random draw, targeted (by basis) and re-verification are counted apart, in the PDF too."""
    from inspections.models import Inspection
    from reports.campaign_report.services import campaign_report_context, campaign_report_pdf
    from tests.factories import CampaignFactory, FindingFactory, InspectionFactory

    campaign = CampaignFactory()
    done = Inspection.Status.COMPLETED
    drawn = InspectionFactory(campaign=campaign, status=done)
    FindingFactory(inspection=drawn)
    FindingFactory(inspection=drawn, status="withdrawn")
    aimed = InspectionFactory(campaign=campaign, origin="targeted", target_basis="tip_off",
                              target_reason="举报", status=done)
    FindingFactory(inspection=aimed)
    FindingFactory(inspection=aimed)
    InspectionFactory(campaign=campaign, origin="targeted", target_basis="referral",
                      target_reason="移送")
    InspectionFactory(campaign=campaign, origin="follow_up", follow_up_of=drawn)
    rows = {(r["origin"], r["basis"]): (r["total"], r["done"], r["findings"])
            for r in campaign_report_context(campaign=campaign)["origins"]}
    assert rows == {("random", ""): (1, 1, 1), ("targeted", "tip_off"): (1, 1, 2),
                    ("targeted", "referral"): (1, 0, 0), ("targeted", "decision"): (0, 0, 0),
                    ("follow_up", ""): (1, 0, 0)}
    text = subprocess.run(["pdftotext", "-", "-"], input=campaign_report_pdf(campaign=campaign, viewer=supervisor),
                          capture_output=True, check=True).stdout.decode()
    compact = "".join(text.split())
    assert "检查来源" in compact and "定向检查·举报线索" in compact, compact[:400]
