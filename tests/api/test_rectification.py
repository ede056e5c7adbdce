"""
Rectification through API v1: the full submission equals the portal's in
state, audit trail and e-mails; idempotency keys; access and 404s.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from api.models import IdempotencyKey, TokenScope
from core.models import AuditEvent, Notification
from inspections.models import FindingStatus
from rectification import services
from rectification.models import ExtensionRequest, RectificationReport, ReportStatus
from tests.api.conftest import TokenClient, issue_token
from tests.factories import IssueCodeFactory
from tests.rectification.factories import PNG_BYTES, notified_finding, png

pytestmark = pytest.mark.django_db
JSON = "application/json"


def submit_through_api(api, finding) -> RectificationReport:
    report_id = draft_through_api(api, finding)
    submitted = api.post(f"/api/v1/reports/{report_id}/submit/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    return RectificationReport.objects.get(pk=report_id)


def draft_through_api(api, finding) -> int:
    """A complete draft answering `finding`, ready to submit; its id."""
    created = api.post("/api/v1/reports/", {"findings": [finding.pk]}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    report_id, response_id = body["id"], body["responses"][0]["id"]
    assert api.patch(f"/api/v1/reports/{report_id}/", {
        "responsible_person": "张总", "contact_person": "李四", "contact_phone": "010-1",
        "summary": "已整改", "declaration": True}, content_type=JSON).status_code == 200
    assert api.patch(f"/api/v1/reports/{report_id}/responses/{response_id}/", {
        "measures": "已补充隐式标识", "long_term_measures": "上线前检查",
        "completed_on": timezone.localdate().isoformat()}, content_type=JSON).status_code == 200
    upload = api.post(f"/api/v1/reports/{report_id}/responses/{response_id}/evidence/",
                      {"file": png()})
    assert upload.status_code == 201, upload.content
    return report_id


def submit_through_portal(client, finding) -> RectificationReport:
    assert client.post(reverse("portal:report_start"), {"findings": [finding.pk]}).status_code == 302
    report = RectificationReport.objects.filter(enterprise=finding.enterprise).latest("id")
    response = report.responses.get()
    prefix = f"r{response.pk}"
    data = {"responsible_person": "张总", "contact_person": "李四", "contact_phone": "010-1",
            "summary": "已整改", "declaration": "on", f"{prefix}-measures": "已补充隐式标识",
            f"{prefix}-long_term_measures": "上线前检查",
            f"{prefix}-completed_on": timezone.localdate().isoformat(), f"{prefix}-files": png()}
    assert client.post(reverse("portal:report_edit", args=[report.pk]), data).status_code == 302
    data.pop(f"{prefix}-files")
    data["submit"] = "1"
    assert client.post(reverse("portal:report_edit", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    return report


def last_id(model) -> int:
    return model.objects.order_by("-id").values_list("id", flat=True).first() or 0


def effect(report: RectificationReport, events: tuple[int, int], mails: tuple[int, int],
           notes: tuple[int, int]) -> dict:
    """
    What a submission did, without ids, times and actors (which differ by
    construction). Audit events that record no change are left out: the
    portal's submit button saves the unchanged draft once more first.
    """
    response = report.responses.get()
    evidence = response.evidence.get()
    audit = AuditEvent.objects.filter(pk__gt=events[0], pk__lte=events[1]).exclude(
        action="api_token.create").order_by("id")
    return {
        "report": (report.status, report.version, report.responsible_person, report.contact_person,
                   report.contact_phone, report.summary, report.declaration,
                   report.submitted_by.role, report.submitted_at is not None),
        "response": (response.measures, response.long_term_measures, response.completed_on,
                     response.decision),
        "evidence": (evidence.original_name, evidence.content_type, evidence.size, evidence.sha256),
        "finding": response.finding.status,
        "audit": [(e.action, e.object_type, sorted(e.after or {}), e.note.split("#")[0])
                  for e in audit if e.after != {} or e.before not in ({}, None)],
        "mail": sorted((m.subject, tuple(m.to)) for m in mail.outbox[mails[0]:mails[1]]),
        "notifications": sorted(Notification.objects.filter(pk__gt=notes[0], pk__lte=notes[1])
                                .values_list("recipient__username", "kind")),
    }


def test_a_submission_through_the_api_equals_one_through_the_portal(
        enterprise, enterprise_user, other_enterprise, other_enterprise_user, client_for,
        inspector, second_inspector, django_capture_on_commit_callbacks):
    code = IssueCodeFactory(code="IMP-01")
    officers = [inspector, second_inspector]
    through_api = notified_finding(enterprise, officers=officers, issue_code=code)
    through_portal = notified_finding(other_enterprise, officers=officers, issue_code=code)
    api = TokenClient(issue_token(enterprise_user))
    start = (last_id(AuditEvent), len(mail.outbox), last_id(Notification))

    with django_capture_on_commit_callbacks(execute=True):
        api_report = submit_through_api(api, through_api)
    middle = (last_id(AuditEvent), len(mail.outbox), last_id(Notification))
    with django_capture_on_commit_callbacks(execute=True):
        portal_report = submit_through_portal(client_for(other_enterprise_user), through_portal)
    end = (last_id(AuditEvent), len(mail.outbox), last_id(Notification))

    by_api = effect(api_report, *zip(start, middle))
    by_portal = effect(portal_report, *zip(middle, end))
    # The e-mails name the enterprise and its report; compare who got one.
    assert [to for _subject, to in by_api.pop("mail")] == [to for _s, to in by_portal.pop("mail")]
    assert by_api == by_portal
    assert by_api["finding"] == FindingStatus.REPORT_SUBMITTED
    assert [a[0] for a in by_api["audit"]] == [
        "report.create", "report.update", "response.update", "evidence.add", "report.submitted",
        "finding.report_submitted"]
    assert [kind for _user, kind in by_api["notifications"]] == ["report_submitted"] * 2
    assert len(mail.outbox) == 4  # each officer e-mailed once per submission


def test_the_idempotency_key_never_submits_twice(enterprise, enterprise_user, inspector):
    finding = notified_finding(enterprise, officers=[inspector])
    api = TokenClient(issue_token(enterprise_user))
    report = submit_through_api(api, finding)
    events = AuditEvent.objects.count()
    mails = len(mail.outbox)

    retry = api.post(f"/api/v1/reports/{report.pk}/submit/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["status"] == "submitted"
    assert (AuditEvent.objects.count(), len(mail.outbox)) == (events, mails)

    # Without the key the second submission is refused by the lifecycle.
    again = api.post(f"/api/v1/reports/{report.pk}/submit/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "illegal_transition"
    # The same key for another request is refused.
    other = api.post("/api/v1/reports/", {"findings": [finding.pk]}, content_type=JSON,
                     HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert AuditEvent.objects.count() == events
    assert IdempotencyKey.objects.filter(user=enterprise_user).count() == 1


def test_a_retry_while_the_first_attempt_runs_is_told_to_wait(enterprise, enterprise_user,
                                                             inspector, monkeypatch):
    finding = notified_finding(enterprise, officers=[inspector])
    api = TokenClient(issue_token(enterprise_user))
    report_id = draft_through_api(api, finding)
    url = f"/api/v1/reports/{report_id}/submit/"
    real_submit = services.report_submit
    retries = []

    def slow_submit(**kwargs):
        # The client gave up waiting and sent the same request again.
        retries.append(api.post(url, HTTP_IDEMPOTENCY_KEY="slow", HTTP_ACCEPT_LANGUAGE="en"))
        return real_submit(**kwargs)

    monkeypatch.setattr("api.v1.rectification.services.report_submit", slow_submit)
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="slow")
    assert first.status_code == 200, first.content
    (retry,) = retries
    assert retry.status_code == 409
    assert retry.json()["error"]["code"] == "idempotency_key_in_use"
    assert retry["Retry-After"]
    # Once the first attempt is done, a retry gets its answer.
    again = api.post(url, HTTP_IDEMPOTENCY_KEY="slow")
    assert (again.status_code, again["Idempotent-Replayed"]) == (200, "true")
    assert again.json() == first.json()
    assert AuditEvent.objects.filter(action="report.submitted").count() == 1


def test_a_key_whose_attempt_never_finished_is_free_again(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user))
    IdempotencyKey.objects.create(user=enterprise_user, key="crashed", fingerprint="?",
                                  status_code=0, body={})
    request = {"path": "/api/v1/reports/", "data": {"findings": [finding.pk]},
               "content_type": JSON, "HTTP_IDEMPOTENCY_KEY": "crashed"}
    assert api.post(**request).status_code == 422  # taken by another request, for now
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        created = api.post(**request)
    assert created.status_code == 201, created.content
    assert RectificationReport.objects.count() == 1
    assert IdempotencyKey.objects.get(key="crashed").status_code == 201


def test_a_retried_draft_creation_creates_one_draft(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user))
    first = api.post("/api/v1/reports/", {"findings": [finding.pk]}, content_type=JSON,
                     HTTP_IDEMPOTENCY_KEY="draft-7")
    second = api.post("/api/v1/reports/", {"findings": [finding.pk]}, content_type=JSON,
                      HTTP_IDEMPOTENCY_KEY="draft-7")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert RectificationReport.objects.count() == 1


def test_a_failed_attempt_is_not_stored_so_the_corrected_retry_works(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user))
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    incomplete = api.post(f"/api/v1/reports/{report.pk}/submit/", HTTP_IDEMPOTENCY_KEY="s",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert incomplete.status_code == 400
    body = incomplete.json()["error"]
    assert body["code"] == "refused"
    assert "Name the person responsible for the rectification." in body["fields"]["non_field_errors"]
    assert not IdempotencyKey.objects.exists()


def test_domain_errors_are_in_the_requests_language(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    api = TokenClient(issue_token(enterprise_user))
    chinese = api.post(f"/api/v1/reports/{report.pk}/submit/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    english = api.post(f"/api/v1/reports/{report.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8")
    assert "Name the person responsible" in english.json()["error"]["message"]
    assert "Name the person responsible" not in chinese.json()["error"]["message"]
    assert english["Content-Language"] == "en"


def test_validation_errors_name_their_fields(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user))
    response = api.post(f"/api/v1/findings/{finding.pk}/extension-requests/",
                        {"requested_deadline": "tomorrow"}, content_type=JSON,
                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"requested_deadline", "reason"}
    assert error["message"].startswith("requested_deadline: ")


def test_extension_request_and_withdrawal(enterprise, enterprise_user, supervisor):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user))
    new_date = (finding.deadline + datetime.timedelta(days=10)).isoformat()
    created = api.post(f"/api/v1/findings/{finding.pk}/extension-requests/",
                       {"requested_deadline": new_date, "reason": "需要时间"}, content_type=JSON)
    assert created.status_code == 201
    extension = ExtensionRequest.objects.get()
    assert (extension.status, extension.requested_by) == ("pending", enterprise_user)
    assert [e["id"] for e in api.get("/api/v1/extension-requests/").json()["results"]] == [extension.pk]
    # A second pending request is refused by the same rule as in the portal.
    twice = api.post(f"/api/v1/findings/{finding.pk}/extension-requests/",
                     {"requested_deadline": new_date, "reason": "再次"}, content_type=JSON)
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "refused"
    withdrawn = api.post(f"/api/v1/extension-requests/{extension.pk}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"
    assert AuditEvent.objects.filter(action="extension.withdrawn").count() == 1


def test_another_enterprises_objects_are_404(enterprise, enterprise_user, other_enterprise_user):
    finding = notified_finding(enterprise)
    report = services.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    response = report.responses.get()
    evidence = services.evidence_add(response=response, actor=enterprise_user, uploaded=png())
    extension = services.extension_request_create(
        finding=finding, actor=enterprise_user, reason="x",
        requested_deadline=finding.deadline + datetime.timedelta(days=3))
    api = TokenClient(issue_token(other_enterprise_user))
    calls = [
        ("get", f"/api/v1/findings/{finding.pk}/"),
        ("post", f"/api/v1/findings/{finding.pk}/extension-requests/"),
        ("get", f"/api/v1/reports/{report.pk}/"),
        ("patch", f"/api/v1/reports/{report.pk}/"),
        ("patch", f"/api/v1/reports/{report.pk}/responses/{response.pk}/"),
        ("post", f"/api/v1/reports/{report.pk}/responses/{response.pk}/evidence/"),
        ("post", f"/api/v1/reports/{report.pk}/submit/"),
        ("post", f"/api/v1/reports/{report.pk}/new-version/"),
        ("get", f"/api/v1/evidence/{evidence.pk}/download/"),
        ("delete", f"/api/v1/evidence/{evidence.pk}/"),
        ("get", f"/api/v1/extension-requests/{extension.pk}/"),
        ("post", f"/api/v1/extension-requests/{extension.pk}/withdraw/"),
    ]
    for method, url in calls:
        answer = getattr(api, method)(url, content_type=JSON) if method != "get" else api.get(url)
        assert answer.status_code == 404, (method, url, answer.content)
        assert answer.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/reports/").json()["results"] == []
    assert api.get("/api/v1/findings/").json()["results"] == []
    assert api.post("/api/v1/reports/", {"findings": [finding.pk]}, content_type=JSON).status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.responses.get().evidence.count() == 1


def test_staff_read_submitted_reports_but_never_write_the_enterprises_part(
        enterprise, enterprise_user, inspector, admin_user):
    finding = notified_finding(enterprise, officers=[inspector])
    report = submit_through_api(TokenClient(issue_token(enterprise_user)), finding)
    staff = TokenClient(issue_token(inspector, admin=admin_user))
    body = staff.get(f"/api/v1/reports/{report.pk}/").json()
    assert body["status"] == "submitted" and body["responses"][0]["measures"] == "已补充隐式标识"
    evidence = body["responses"][0]["evidence"][0]["id"]
    download = staff.get(f"/api/v1/evidence/{evidence}/download/", HTTP_ACCEPT="image/png")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG_BYTES
    assert download["Content-Disposition"].startswith("attachment")
    for method, url in [("post", "/api/v1/reports/"), ("patch", f"/api/v1/reports/{report.pk}/"),
                        ("post", f"/api/v1/reports/{report.pk}/submit/"),
                        ("post", f"/api/v1/findings/{finding.pk}/extension-requests/")]:
        assert getattr(staff, method)(url, {}, content_type=JSON).status_code == 404, url


def test_a_read_only_token_cannot_submit(enterprise, enterprise_user):
    finding = notified_finding(enterprise)
    api = TokenClient(issue_token(enterprise_user, scope=TokenScope.READ))
    response = api.post("/api/v1/reports/", {"findings": [finding.pk]}, content_type=JSON)
    assert response.status_code == 403
    assert not RectificationReport.objects.exists()
