"""The notices step of seed_demo, run alone on a small fixture."""

import datetime
import random

import pytest
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from inspections.models import Finding, FindingStatus, Inspection, InspectionService, SamplingRule
from reports import demo
from reports.models import (
    BatchIssue,
    Bulletin,
    BulletinRecipient,
    Notice,
    NoticeStatus,
    ServiceMethod,
)
from tests.factories import (
    CampaignFactory,
    EnterpriseUserFactory,
    InspectionFactory,
    ServiceFactory,
)
from tests.reports.factories import make_findings

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ctx(inspector, second_inspector, supervisor, monkeypatch):
    monkeypatch.setattr(demo, "NOTICE_TARGET", 6)
    monkeypatch.setattr(demo, "DRAFTS", 1)
    monkeypatch.setattr(demo, "APPROVED_ONLY", 1)
    monkeypatch.setattr(demo, "ACKNOWLEDGED", 1)
    campaign = CampaignFactory(code=demo.CAMPAIGN_CODE)
    officers = [inspector, second_inspector]
    qiye = EnterpriseUserFactory(username="qiye")
    qiye2 = EnterpriseUserFactory(username="qiye2")
    make_findings(author=inspector, enterprise=qiye.enterprise, campaign=campaign, n=2, officers=officers)
    # qiye2's enterprise has only a planned inspection: the step carries it out.
    planned = InspectionFactory(enterprise=qiye2.enterprise, campaign=campaign, officers=officers,
                                status=Inspection.Status.PLANNED,
                                planned_date=timezone.localdate() + datetime.timedelta(days=10))
    InspectionService.objects.create(
        inspection=planned, service=ServiceFactory(enterprise=qiye2.enterprise), lot_size=5000,
        rule=SamplingRule.GB2828, code_letter="L", plan_letter="L", sample_size=200)
    for _ in range(4):
        make_findings(author=inspector, campaign=campaign, n=1, officers=officers)
    users = {u.username: u for u in (inspector, second_inspector, supervisor, qiye, qiye2)}
    return {"rng": random.Random("test:notices"), "today": timezone.localdate(), "users": users,
            "enterprises": [], "campaign": campaign, "planned": planned}


def test_the_notices_step_issues_serves_and_leaves_drafts(demo_ctx):
    users = demo_ctx["users"]
    demo.seed_notices(demo_ctx)

    notices = Notice.objects.filter(campaign=demo_ctx["campaign"])
    assert notices.count() == 6
    by_status = {s: notices.filter(status=s).count() for s in NoticeStatus.values}
    assert by_status == {NoticeStatus.DRAFT: 1, NoticeStatus.SUBMITTED: 0, NoticeStatus.APPROVED: 1,
                         NoticeStatus.ISSUED: 1, NoticeStatus.SERVED: 3}
    assert BatchIssue.objects.get().status == BatchIssue.Status.DONE
    issued = notices.filter(status__in=[NoticeStatus.ISSUED, NoticeStatus.SERVED])
    assert sorted(n.serial for n in issued) == [1, 2, 3, 4]
    for notice in issued:
        assert notice.number.startswith("京网信改〔") and notice.pdf and notice.pdf_sha256
        assert notice.approved_by == users["supervisor"] and notice.created_by.role == Role.INSPECTOR
        assert set(notice.findings.values_list("status", flat=True)) == {FindingStatus.NOTIFIED}
    assert not Finding.objects.filter(campaign=demo_ctx["campaign"], status=FindingStatus.OPEN,
                                       notices__status__in=[NoticeStatus.ISSUED, NoticeStatus.SERVED])

    # Both demo logins have an issued notice; qiye acknowledged it, qiye2 not yet.
    qiye_notice = issued.get(enterprise=users["qiye"].enterprise)
    assert qiye_notice.status == NoticeStatus.SERVED and qiye_notice.acknowledged_by == users["qiye"]
    assert qiye_notice.service_method == ServiceMethod.ELECTRONIC and qiye_notice.served_at
    assert issued.get(enterprise=users["qiye2"].enterprise).status == NoticeStatus.ISSUED
    demo_ctx["planned"].refresh_from_db()
    # Carried out, then completed before its notice was drafted (facts come from the record).
    assert demo_ctx["planned"].status == Inspection.Status.COMPLETED
    assert demo_ctx["planned"].completed_at is not None
    # Another party acknowledged through its compliance contact, one was served in person.
    served = notices.filter(status=NoticeStatus.SERVED).exclude(pk=qiye_notice.pk)
    assert {n.service_method for n in served} == {ServiceMethod.ELECTRONIC, ServiceMethod.DIRECT}

    bulletin = Bulletin.objects.get()
    assert bulletin.status == Bulletin.Status.ISSUED and bulletin.pdf
    assert BulletinRecipient.objects.filter(bulletin=bulletin).count() == 6
    assert AuditEvent.objects.filter(action="notice.issue").count() == 4
    assert demo_ctx["notices"] and len(demo_ctx["notices"]) == 6

