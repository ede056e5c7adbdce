"""
Every list that a page and API v1 both serve reads one set of parameters:
the same parameters give the same rows on the page and through the API,
and a bad value is a clear error on both (never a 500, never a silently
widened list).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.models import Notification
from enterprises.models import District, EnterpriseStatus, RiskTier
from inspections.models import FindingStatus, Inspection, Severity
from rectification import services as rectification
from tests.api.conftest import TokenClient, issue_token
from tests.factories import (
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    IssueCodeFactory,
)
from tests.rectification.factories import notified_finding
from tests.reports.factories import make_notice

pytestmark = pytest.mark.django_db


def page_ids(client, url, params) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' not in response.content.decode(), params
    return {row.pk for row in response.context["page_obj"].object_list}


def api_ids(api, url, params) -> set[int]:
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_same(client, api, page_url, api_url, cases):
    for params in cases:
        on_page = page_ids(client, page_url, params)
        assert on_page == api_ids(api, api_url, params), params
        assert on_page, f"{params} selects nothing: the case proves little"


@pytest.fixture
def staff(client_for, supervisor, admin_user):
    return client_for(supervisor), TokenClient(issue_token(supervisor, admin=admin_user))


def test_findings_page_and_api_agree(staff):
    client, api = staff
    category = IssueCodeFactory(code="TST-71", category="EXP")
    repeat = FindingFactory(severity=Severity.HIGH, is_repeat=True, issue_code=category,
                            description="图片未加显式标识", deadline=datetime.date(2026, 12, 1))
    FindingFactory(inspection=InspectionFactory(campaign=repeat.campaign), status=FindingStatus.ACCEPTED,
                   deadline=datetime.date(2027, 1, 5))
    FindingFactory(status=FindingStatus.NOTIFIED, deadline=datetime.date(2020, 1, 2))
    assert_same(client, api, reverse("inspections:finding_list"), "/api/v1/findings/", [
        {"status": "accepted"},
        {"severity": "high", "repeat": "on"},
        {"code": "EXP"},
        {"code": "TST-71"},
        {"campaign": repeat.campaign_id, "open": "on"},
        {"overdue": "on"},
        {"q": "显式标识"},
        {"deadline": "2026-12-01"},
        {"deadline_after": "2026-11-30", "deadline_before": "2026-12-31"},
        {"enterprise": repeat.enterprise_id},
    ])


def test_inspections_page_and_api_agree(client_for, inspector, admin_user):
    mine = InspectionFactory(officers=[inspector], status=Inspection.Status.PLANNED,
                             planned_date=datetime.date(2026, 11, 3))
    InspectionFactory(campaign=mine.campaign, status=Inspection.Status.CLOSED)
    InspectionFactory(campaign=mine.campaign, status=Inspection.Status.IN_PROGRESS)
    client, api = client_for(inspector), TokenClient(issue_token(inspector, admin=admin_user))
    assert_same(client, api, reverse("inspections:inspection_list"), "/api/v1/inspections/", [
        {"mine": "on"},
        {"open": "on", "sort": "-status"},
        {"status": "closed"},
        {"campaign": mine.campaign_id, "planned_date": "2026-11-03"},
        {"planned_after": "2026-11-03", "planned_before": "2026-11-30"},
        {"q": mine.enterprise.name},
        {"enterprise": mine.enterprise_id},
    ])


def test_enterprises_page_and_api_agree(staff):
    client, api = staff
    first = EnterpriseFactory(name="北京丙数据科技有限公司", district=District.HAIDIAN,
                              risk_tier=RiskTier.HIGH)
    EnterpriseFactory(district=District.CHAOYANG, risk_tier=RiskTier.LOW,
                      status=EnterpriseStatus.SUSPENDED, is_generation_provider=False)
    assert_same(client, api, reverse("enterprises:list"), "/api/v1/enterprises/", [
        {"q": "丙数据"},
        {"district": District.HAIDIAN, "risk_tier": "high"},
        {"status": "suspended"},
        {"role": "generation_provider", "sort": "-risk_tier"},
        {"q": first.uscc},
    ])


def test_notices_page_and_api_agree(staff, inspector, supervisor):
    client, api = staff
    draft = make_notice(author=inspector)
    make_notice(author=inspector, approver=supervisor)
    assert_same(client, api, reverse("reports:notice_list"), "/api/v1/notices/", [
        {"status": draft.status},
        {"campaign": draft.campaign_id},
        {"q": draft.party_name},
    ])


def test_reports_and_extensions_pages_and_api_agree(staff, enterprise, enterprise_user, inspector):
    client, api = staff
    finding = notified_finding(enterprise, officers=[inspector])
    report = rectification.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    rectification.report_update(report=report, actor=enterprise_user, responsible_person="张总",
                                declaration=True)
    rectification.response_update(response=report.responses.get(), actor=enterprise_user,
                                  measures="已整改", long_term_measures="上线前检测",
                                  completed_on=timezone.localdate())
    rectification.report_submit(report=report, actor=enterprise_user)
    other = notified_finding(enterprise, officers=[inspector])
    rectification.extension_request_create(finding=other, actor=enterprise_user, reason="需要时间",
                                           requested_deadline=other.deadline + datetime.timedelta(days=10))
    assert_same(client, api, reverse("rectification:report_list"), "/api/v1/reports/", [
        {"status": "submitted"},
        {"q": enterprise.name},
        {"enterprise": enterprise.pk},
    ])
    assert_same(client, api, reverse("rectification:extension_list"), "/api/v1/extension-requests/", [
        {"status": "pending"},
        {"finding": other.pk},
    ])


def test_the_audit_trail_page_and_api_agree(staff, supervisor, enterprise):
    client, api = staff
    audit_record(actor=supervisor, action="enterprise.update", obj=enterprise, enterprise_id=None)
    day = timezone.localdate().isoformat()
    assert_same(client, api, reverse("core:audit_list"), "/api/v1/audit-events/", [
        {"action": "enterprise.update"},
        {"enterprise": enterprise.pk},
        {"object_type": "enterprises.enterprise", "date_from": day, "date_to": day},
        {"actor": supervisor.pk},
    ])


def test_the_notification_list_page_and_api_agree(client_for, enterprise_user):
    for n, read_at in enumerate((None, None, timezone.now())):
        Notification.objects.create(recipient=enterprise_user, kind="test", event_key=f"test-{n}",
                                    subject=f"通知 {n}", read_at=read_at)
    client, api = client_for(enterprise_user), TokenClient(issue_token(enterprise_user))
    assert_same(client, api, reverse("core:notifications"), "/api/v1/notifications/", [
        {"unread": "1"}, {"unread": "true"}, {"unread": "false"}, {},
    ])
    assert len(page_ids(client, reverse("core:notifications"), {"unread": "1"})) == 2


@pytest.mark.parametrize("page_url,api_url,params,field", [
    ("inspections:finding_list", "/api/v1/findings/", {"status": "nonsense"}, "status"),
    ("inspections:finding_list", "/api/v1/findings/", {"campaign": "abc"}, "campaign"),
    ("inspections:finding_list", "/api/v1/findings/", {"repeat": "perhaps"}, "repeat"),
    ("inspections:finding_list", "/api/v1/findings/", {"deadline": "2026-13-45"}, "deadline"),
    ("inspections:inspection_list", "/api/v1/inspections/", {"sort": "password"}, "sort"),
    ("inspections:inspection_list", "/api/v1/inspections/", {"enterprise": "9" * 30}, "enterprise"),
    ("enterprises:list", "/api/v1/enterprises/", {"district": "atlantis"}, "district"),
    ("reports:notice_list", "/api/v1/notices/", {"issued_after": "yesterday"}, "issued_after"),
    ("rectification:report_list", "/api/v1/reports/", {"status": "lost"}, "status"),
    ("rectification:extension_list", "/api/v1/extension-requests/", {"finding": "-1"}, "finding"),
    ("core:audit_list", "/api/v1/audit-events/", {"date_from": "someday"}, "date_from"),
    ("core:notifications", "/api/v1/notifications/", {"unread": "maybe"}, "unread"),
])
def test_a_bad_value_is_a_clear_error_on_the_page_and_in_the_api(staff, page_url, api_url, params, field):
    client, api = staff
    FindingFactory()

    page = client.get(reverse(page_url), params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="filter-errors"' in body and "筛选条件有误" in body
    assert not page.context["page_obj"].object_list

    response = api.get(api_url, params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]


def test_the_findings_page_keeps_its_bookmarked_parameters(staff):
    """Links and bookmarks of the page (the calendar's deadline day, the enterprise's findings) still work."""
    client, _api = staff
    finding = FindingFactory(deadline=datetime.date(2026, 12, 9))
    FindingFactory(deadline=datetime.date(2026, 12, 10))
    url = reverse("inspections:finding_list")
    assert page_ids(client, url, {"deadline": "2026-12-09"}) == {finding.pk}
    assert page_ids(client, url, {"enterprise": finding.enterprise_id, "open": "on"}) == {finding.pk}
