"""The rectification step of seed_demo, run alone on a small fixture."""

import random

import pytest
from django.utils import timezone

from inspections.models import FindingStatus
from rectification import demo
from rectification.models import (
    Escalation,
    EscalationKind,
    ExtensionRequest,
    ExtensionStatus,
    RectificationReport,
    ReportEvidence,
    ReportStatus,
)
from tests.factories import CampaignFactory, EnterpriseFactory, EnterpriseUserFactory
from tests.rectification.factories import notified_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ctx(inspector, second_inspector, supervisor):
    campaign = CampaignFactory(code=demo.CAMPAIGN_CODE)
    officers = [inspector, second_inspector]
    qiye = EnterpriseUserFactory(username="qiye")

    def findings(enterprise, n, **kwargs):
        found = []
        for days in range(n):
            finding = notified_finding(enterprise, officers=officers, days=20 + days, **kwargs)
            finding.inspection.campaign = finding.campaign = campaign
            finding.inspection.save()
            finding.save()
            found.append(finding)
        return found

    findings(qiye.enterprise, 5)
    others = [EnterpriseFactory() for _ in range(2)]
    for enterprise in others:
        findings(enterprise, 3)
    overdue = []
    for enterprise in [EnterpriseFactory() for _ in range(3)]:
        overdue += [notified_finding(enterprise, officers=officers, days=-12, status=FindingStatus.OVERDUE)]
    for finding in overdue:
        finding.inspection.campaign = finding.campaign = campaign
        finding.inspection.save()
        finding.save()
    users = {u.username: u for u in (inspector, second_inspector, supervisor, qiye)}
    return {"rng": random.Random("test:rectification"), "today": timezone.localdate(),
            "users": users, "enterprises": [], "others": others, "overdue": overdue}


def test_the_rectification_step_fills_every_state(demo_ctx):
    qiye = demo_ctx["users"]["qiye"]
    demo.seed_rectification(demo_ctx)

    mine = RectificationReport.objects.filter(enterprise=qiye.enterprise)
    assert sorted(mine.values_list("version", "status")) == [
        (1, ReportStatus.ACCEPTED), (1, ReportStatus.CHANGES_REQUESTED), (1, ReportStatus.DRAFT),
        (2, ReportStatus.SUBMITTED)]
    v2 = mine.get(version=2)
    assert v2.previous.status == ReportStatus.CHANGES_REQUESTED and v2.submitted_by == qiye
    assert v2.responses.get().evidence.count() >= 2  # copied from v1, plus the new screenshot
    accepted = mine.get(status=ReportStatus.ACCEPTED).responses.get().finding
    assert accepted.status == FindingStatus.ACCEPTED and accepted.closed_at
    assert mine.get(status=ReportStatus.DRAFT).submitted_at is None
    # Evidence is checked by content: images, the self-check ledger, the statement PDF.
    types = set(ReportEvidence.objects.values_list("content_type", flat=True))
    assert {"image/png", "text/csv", "application/pdf"} <= types
    # The other enterprises report through their compliance contacts.
    for enterprise in demo_ctx["others"]:
        report = RectificationReport.objects.get(enterprise=enterprise)
        assert report.status != ReportStatus.DRAFT and report.created_by.enterprise == enterprise

    extensions = dict(ExtensionRequest.objects.values_list("enterprise_id", "status"))
    assert extensions[qiye.enterprise_id] == ExtensionStatus.PENDING
    assert sorted(extensions[e.pk] for e in demo_ctx["others"]) == [
        ExtensionStatus.APPROVED, ExtensionStatus.DENIED]

    steps = Escalation.objects
    assert steps.filter(kind=EscalationKind.REMINDER).count() == 3
    assert steps.filter(kind=EscalationKind.INTERVIEW).count() == 3
    # Warnings and fines are penalties: never a ladder step (cases app).
    assert not steps.filter(kind__in=[EscalationKind.WARNING, EscalationKind.PENALTY_REFERRAL]).exists()
    interview = steps.filter(kind=EscalationKind.INTERVIEW).first()
    assert "执法人员" in interview.attendees and interview.minutes_name == "约谈笔录.docx"
    for finding in demo_ctx["overdue"]:
        finding.refresh_from_db()
        assert finding.status == FindingStatus.ESCALATED
