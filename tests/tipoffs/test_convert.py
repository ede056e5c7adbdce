"""From a public report to a finding: the whole way, and straight into a finding."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from inspections.models import Finding, Inspection, IssueCode
from tests.factories import CampaignFactory, InspectionFactory
from tests.tipoffs.test_public import report_data, solve
from tipoffs import services
from tipoffs.models import TipOff


def test_a_public_report_becomes_a_targeted_inspection_then_a_finding(
    enterprise, supervisor, inspector, second_inspector, client_for
):
    public = Client()
    page = public.get(reverse("tipoffs:report")).content.decode()
    public.post(reverse("tipoffs:report"), {**report_data(), **solve(page)})
    tipoff = TipOff.objects.get()
    code = tipoff.tracking_code

    staff = client_for(supervisor)
    url = tipoff.get_absolute_url()
    staff.post(reverse("tipoffs:decide", args=[tipoff.pk]), {"to": "under_review"})
    staff.post(reverse("tipoffs:link", args=[tipoff.pk]), {"enterprise": enterprise.name})
    staff.post(reverse("tipoffs:decide", args=[tipoff.pk]), {"to": "valid", "reason": "远程核查确认图片无标识"})
    campaign = CampaignFactory()
    response = staff.post(reverse("tipoffs:convert_inspection", args=[tipoff.pk]), {
        "campaign": campaign.pk, "officers": [inspector.pk, second_inspector.pk],
        "planned_date": timezone.localdate().isoformat(), "method": "remote", "reason": "开展定向检查"})
    assert response.status_code == 302 and response.url == url
    assert not [m for m in staff.get(url).context["messages"] if m.level_tag == "error"]
    tipoff.refresh_from_db()
    inspection = tipoff.inspection
    assert tipoff.status == "converted" and inspection.origin == "targeted"
    assert inspection.target_basis == "tip_off" and code in inspection.target_reason
    # The public still sees only "being handled", nothing about the inspection.
    status = public.get(reverse("tipoffs:track"), {"code": code}).content.decode()
    assert "办理中" in status and enterprise.name not in status and "检查" not in status.split("<main")[1]

    # The inspection's officers record the finding in it.
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.IN_PROGRESS)
    other = TipOff.objects.get(pk=services.tipoff_submit(fields={
        "category": "IMP", "service_name": "同一App", "description": "同样问题"}).pk)
    services.tipoff_assign(tipoff=other, assignee=inspector, actor=supervisor)
    services.tipoff_transition(tipoff=other, to_status="under_review", actor=inspector)
    services.tipoff_link_enterprise(tipoff=other, enterprise=enterprise, actor=inspector)
    services.tipoff_transition(tipoff=other, to_status="valid", actor=inspector, reason="属实")
    response = client_for(inspector).post(reverse("tipoffs:convert_finding", args=[other.pk]), {
        "inspection": inspection.pk, "issue_code": "IMP-01", "description": "导出文件无隐式标识"})
    other.refresh_from_db()
    finding = other.finding
    assert other.status == "converted" and finding.inspection == inspection
    assert finding.issue_code_id == "IMP-01" and other.tracking_code in finding.description


def test_conversion_needs_a_substantiated_linked_tip_off_and_an_open_inspection_of_that_enterprise(
    enterprise, other_enterprise, supervisor, inspector, second_inspector
):
    tipoff = services.tipoff_submit(fields={"category": "EXP", "service_name": "某App", "description": "无标识"})
    code = IssueCode.objects.get(pk="EXP-01")
    elsewhere = InspectionFactory(enterprise=other_enterprise, officers=[inspector, second_inspector])
    with pytest.raises(ApplicationError):  # not decided yet
        services.tipoff_convert_finding(tipoff=tipoff, actor=supervisor, inspection=elsewhere,
                                        issue_code=code, description="x")
    services.tipoff_transition(tipoff=tipoff, to_status="under_review", actor=supervisor)
    services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=supervisor, reason="属实")
    with pytest.raises(ApplicationError):  # no enterprise linked
        services.tipoff_convert_finding(tipoff=tipoff, actor=supervisor, inspection=elsewhere,
                                        issue_code=code, description="x")
    services.tipoff_link_enterprise(tipoff=tipoff, enterprise=enterprise, actor=supervisor)
    with pytest.raises(ApplicationError):  # another enterprise's inspection
        services.tipoff_convert_finding(tipoff=tipoff, actor=supervisor, inspection=elsewhere,
                                        issue_code=code, description="x")
    assert not Finding.objects.exists()
    tipoff.refresh_from_db()
    assert tipoff.status == "valid"


def test_the_reporters_file_becomes_evidence_of_the_finding(enterprise, supervisor, inspector):
    """Converted into a finding, the tip-off's file is a sampled item of the inspection, linked as evidence."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import check_upload
    from inspections import uploads
    from tests.tipoffs.test_public import PNG

    upload = SimpleUploadedFile("截图.png", PNG, content_type="image/png")
    info = check_upload(upload, accepts=uploads.CONTENT, what="content")
    tipoff = services.tipoff_submit(fields={"category": "IMP", "service_name": "某App", "description": "无标识",
                                            "url": "https://example.com/post/1"},
                                    upload=upload, upload_info=info)
    services.tipoff_transition(tipoff=tipoff, to_status="under_review", actor=supervisor)
    services.tipoff_link_enterprise(tipoff=tipoff, enterprise=enterprise, actor=supervisor)
    services.tipoff_transition(tipoff=tipoff, to_status="valid", actor=supervisor, reason="属实")
    # A planned inspection still takes the finding; the file is evidence the office already holds.
    inspection = InspectionFactory(enterprise=enterprise, officers=[inspector],
                                   status=Inspection.Status.PLANNED)
    tipoff = services.tipoff_convert_finding(tipoff=tipoff, actor=inspector, inspection=inspection,
                                             issue_code=IssueCode.objects.get(pk="IMP-01"),
                                             description="图片无隐式标识")
    item = tipoff.finding.evidence_items.get()
    assert item.inspection == inspection and item.channel == "tip_off" and item.modality == "image"
    assert item.file_sha256 == tipoff.file_sha256 and item.file.read() == PNG
    assert item.content_ref == "https://example.com/post/1" and item.captured_at == tipoff.created_at
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.PLANNED
