"""
Every v1 endpoint for every role: allowed, denied, and 404 for another
enterprise's objects (or, for an inspector, another campaign's), as on the
pages.
"""

import datetime

import pytest
from django.utils import timezone

from api.models import TokenScope
from rectification import services as rectification
from reports.notices import services as notices
from tests.api.conftest import TokenClient, issue_token
from tests.factories import EnterpriseUserFactory, SampledItemFactory
from tests.inspections.factories import make_plan
from tests.rectification.factories import png
from tests.reports.factories import make_findings

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(enterprise, enterprise_user, other_enterprise_user, inspector, second_inspector,
          supervisor, analyst, admin_user):
    """One enterprise's case in one campaign, seen by every role."""
    findings = make_findings(author=inspector, enterprise=enterprise, officers=[inspector])
    finding = findings[0]
    campaign, inspection = finding.campaign, finding.inspection
    notice = notices.notice_create(enterprise=enterprise, campaign=campaign, findings=findings,
                                   actor=inspector)
    notice = notices.notice_approve(notice=notice, actor=supervisor)
    notice = notices.notice_issue(notice=notice, actor=supervisor)
    finding.refresh_from_db()
    report = rectification.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    response = report.responses.get()
    evidence = rectification.evidence_add(response=response, actor=enterprise_user, uploaded=png())
    rectification.report_update(report=report, actor=enterprise_user, responsible_person="张总",
                                declaration=True)
    rectification.response_update(response=response, actor=enterprise_user, measures="已整改",
                                  long_term_measures="", completed_on=timezone.localdate())
    rectification.report_submit(report=report, actor=enterprise_user)
    extension = rectification.extension_request_create(
        finding=findings[1], actor=enterprise_user, reason="需要时间",
        requested_deadline=findings[1].deadline + datetime.timedelta(days=10))
    plan = make_plan(actor=supervisor, officers=[inspector, second_inspector], campaign=campaign)
    item = inspection.items.first() or SampledItemFactory(inspection=inspection)
    # second_inspector sits on another campaign's team only (not this one's).
    campaign.team.remove(second_inspector)
    ids = {"finding": finding.pk, "notice": notice.pk, "report": report.pk, "response": response.pk,
           "evidence": evidence.pk, "extension": extension.pk, "enterprise": enterprise.pk,
           "campaign": campaign.pk, "plan": plan.pk, "inspection": inspection.pk, "item": item.pk}
    users = {"enterprise": enterprise_user, "other_enterprise": other_enterprise_user,
             "inspector": inspector, "unassigned_inspector": second_inspector,
             "supervisor": supervisor, "analyst": analyst, "admin": admin_user}
    return ids, users


# (path, {role: status}); roles not named answer 200. Reads only here.
ENTERPRISE_404 = {"other_enterprise": 404}
STAFF_ONLY = {"enterprise": 404, "other_enterprise": 404}
CAMPAIGN_SCOPED = {**STAFF_ONLY, "unassigned_inspector": 404}
READS = [
    ("/api/v1/findings/{finding}/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/notices/{notice}/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/notices/{notice}/pdf/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/notices/{notice}/proof/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/reports/{report}/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/evidence/{evidence}/download/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/extension-requests/{extension}/", {**ENTERPRISE_404, "unassigned_inspector": 404}),
    ("/api/v1/enterprises/", STAFF_ONLY),
    ("/api/v1/enterprises/{enterprise}/", STAFF_ONLY),
    ("/api/v1/campaigns/", STAFF_ONLY),
    ("/api/v1/campaigns/{campaign}/", CAMPAIGN_SCOPED),
    ("/api/v1/plans/", STAFF_ONLY),
    ("/api/v1/plans/{plan}/", CAMPAIGN_SCOPED),
    ("/api/v1/inspections/", STAFF_ONLY),
    ("/api/v1/inspections/{inspection}/", CAMPAIGN_SCOPED),
    ("/api/v1/inspections/{inspection}/items/", CAMPAIGN_SCOPED),
    ("/api/v1/items/{item}/", CAMPAIGN_SCOPED),
    ("/api/v1/audit-events/", {**STAFF_ONLY, "inspector": 403, "unassigned_inspector": 403,
                               "analyst": 403}),
    ("/api/v1/analytics/", STAFF_ONLY),
    ("/api/v1/analytics/violations/", STAFF_ONLY),
    ("/api/v1/findings/", {}),
    ("/api/v1/notices/", {}),
    ("/api/v1/reports/", {}),
    ("/api/v1/extension-requests/", {}),
    ("/api/v1/notifications/", {}),
]
ROLES = ["enterprise", "other_enterprise", "inspector", "unassigned_inspector", "supervisor",
         "analyst", "admin"]


def test_every_read_for_every_role(world, admin_user):
    ids, users = world
    clients = {role: TokenClient(issue_token(user, admin=admin_user, scope=TokenScope.READ))
               for role, user in users.items()}
    failures = []
    for path, expected in READS:
        url = path.format(**ids)
        for role in ROLES:
            response = clients[role].get(url)
            want = expected.get(role, 200)
            if response.status_code != want:
                failures.append((url, role, response.status_code, want))
            elif want != 200:
                assert response.json()["error"]["code"] in ("not_found", "permission_denied"), url
    assert failures == []


def test_lists_hold_only_what_each_role_may_see(world, admin_user):
    ids, users = world

    def listed(role, path):
        client = TokenClient(issue_token(users[role], admin=admin_user))
        return {row["id"] for row in client.get(path).json()["results"]}

    assert ids["finding"] in listed("enterprise", "/api/v1/findings/")
    assert listed("other_enterprise", "/api/v1/findings/") == set()
    assert listed("unassigned_inspector", "/api/v1/findings/") == set()
    assert listed("other_enterprise", "/api/v1/notices/") == set()
    assert listed("enterprise", "/api/v1/notices/") == {ids["notice"]}
    assert listed("unassigned_inspector", "/api/v1/inspections/") == set()
    assert ids["inspection"] in listed("inspector", "/api/v1/inspections/")
    assert listed("unassigned_inspector", "/api/v1/reports/") == set()
    assert listed("supervisor", "/api/v1/reports/") == {ids["report"]}


def test_enterprise_writes_are_404_for_staff_and_for_another_enterprise(world, admin_user):
    ids, users = world
    writes = [
        ("post", "/api/v1/notices/{notice}/acknowledge/"),
        ("post", "/api/v1/findings/{finding}/extension-requests/"),
        ("post", "/api/v1/extension-requests/{extension}/withdraw/"),
        ("post", "/api/v1/reports/{report}/submit/"),
        ("post", "/api/v1/reports/{report}/new-version/"),
        ("patch", "/api/v1/reports/{report}/"),
        ("patch", "/api/v1/reports/{report}/responses/{response}/"),
        ("post", "/api/v1/reports/{report}/responses/{response}/evidence/"),
        ("delete", "/api/v1/evidence/{evidence}/"),
    ]
    for role in ("other_enterprise", "inspector", "supervisor"):
        client = TokenClient(issue_token(users[role], admin=admin_user))
        for method, path in writes:
            response = getattr(client, method)(path.format(**ids), {}, content_type="application/json")
            assert response.status_code == 404, (role, method, path, response.content)


def test_an_enterprise_downloads_and_acknowledges_its_notice(world, client):
    ids, users = world
    api = TokenClient(issue_token(users["enterprise"]))
    pdf = api.get(f"/api/v1/notices/{ids['notice']}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Electronic service counts only under a recorded consent.
    assert api.post(f"/api/v1/notices/{ids['notice']}/acknowledge/").status_code == 400
    acknowledged = api.post(f"/api/v1/notices/{ids['notice']}/acknowledge/", {"consent": True},
                            content_type="application/json", REMOTE_ADDR="198.51.100.4")
    assert acknowledged.status_code == 200
    body = acknowledged.json()
    assert (body["status"], body["service_method"]) == ("served", "electronic")
    from reports.notices.models import Notice

    notice = Notice.objects.get(pk=ids["notice"])
    assert (notice.acknowledged_by, notice.acknowledged_ip) == (users["enterprise"], "198.51.100.4")
    proof = api.get(f"/api/v1/notices/{ids['notice']}/proof/")
    assert b"".join(proof.streaming_content).startswith(b"%PDF")
    # Acknowledging again changes nothing.
    assert api.post(f"/api/v1/notices/{ids['notice']}/acknowledge/").json()["served_at"] == body["served_at"]


def test_the_old_api_still_answers_with_the_session(world, client_for):
    ids, users = world
    client = client_for(users["supervisor"])
    assert client.get("/api/findings/").status_code == 200
    assert client.get(f"/api/enterprises/{ids['enterprise']}/").status_code == 200
    assert client_for(users["enterprise"]).get("/api/enterprises/").status_code == 404


def test_the_session_works_for_v1_too(world, client_for):
    ids, users = world
    assert client_for(users["analyst"]).get("/api/v1/inspections/").status_code == 200
    assert client_for(users["enterprise"]).get("/api/v1/inspections/").status_code == 404


def test_a_colleague_of_the_same_enterprise_sees_its_reports(world):
    ids, users = world
    colleague = EnterpriseUserFactory(enterprise=users["enterprise"].enterprise)
    api = TokenClient(issue_token(colleague))
    assert api.get(f"/api/v1/reports/{ids['report']}/").status_code == 200


def test_notifications_are_each_users_own(world, admin_user):
    ids, users = world
    from core.models import Notification

    owner = Notification.objects.filter(read_at__isnull=True).values_list(
        "recipient", flat=True).first()
    assert owner is not None  # the submitted report told its officers
    notification = Notification.objects.filter(recipient=owner, read_at__isnull=True).first()
    for role, user in users.items():
        api = TokenClient(issue_token(user, admin=admin_user))
        listed = {row["id"] for row in api.get("/api/v1/notifications/").json()["results"]}
        assert listed == set(Notification.objects.filter(recipient=user).values_list("id", flat=True))
        if user.pk == owner:
            continue
        answer = api.post(f"/api/v1/notifications/{notification.pk}/read/")
        assert answer.status_code == 404, role
        assert api.post("/api/v1/notifications/read-all/").status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is None
    api = TokenClient(issue_token(notification.recipient, admin=admin_user))
    unread = Notification.objects.filter(recipient=owner, read_at__isnull=True).count()
    assert api.post(f"/api/v1/notifications/{notification.pk}/read/").json()["read_at"]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": unread - 1}
    read_only = TokenClient(issue_token(notification.recipient, admin=admin_user,
                                        scope=TokenScope.READ))
    assert read_only.post("/api/v1/notifications/read-all/").status_code == 403


def test_the_explicit_evidence_of_an_item_is_scoped_like_the_item(world, admin_user):
    ids, users = world
    from django.core.files.base import ContentFile

    from inspections.models import ExplicitEvidence, SampledItem

    item = SampledItem.objects.get(pk=ids["item"])
    evidence = ExplicitEvidence(item=item, name="crop-1.png", media_type="image/png",
                                sha256="0" * 64)
    evidence.file.save("crop-1.png", ContentFile(b"\x89PNG crop"), save=True)
    url = f"/api/v1/items/{item.pk}/explicit-evidence/{evidence.pk}/"
    expected = {"enterprise": 404, "other_enterprise": 404, "unassigned_inspector": 404}
    for role in ROLES:
        api = TokenClient(issue_token(users[role], admin=admin_user, scope=TokenScope.READ))
        answer = api.get(url, HTTP_ACCEPT="image/png")
        assert answer.status_code == expected.get(role, 200), role
        if answer.status_code == 200:
            assert b"".join(answer.streaming_content) == b"\x89PNG crop"
            assert answer["Content-Disposition"].startswith("attachment")
    listed = TokenClient(issue_token(users["inspector"], admin=admin_user)).get(
        f"/api/v1/items/{item.pk}/").json()["explicit_evidence"]
    assert listed == [{"id": evidence.pk, "name": "crop-1.png", "media_type": "image/png",
                       "caption": "", "sha256": "0" * 64}]
    # Another item's id with this evidence: 404 (the evidence belongs to its own item).
    other = SampledItemFactory(inspection=item.inspection)
    assert TokenClient(issue_token(users["supervisor"], admin=admin_user)).get(
        f"/api/v1/items/{other.pk}/explicit-evidence/{evidence.pk}/").status_code == 404
