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
