"""Staff endpoints: an item upload runs the checkers as the page does; label check; analytics; audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.v1.analytics import SLUGS
from core.models import AuditEvent
from inspections.models import CheckResult, Inspection, ItemCheck, SampledItem
from tests.api.conftest import TokenClient, issue_token
from tests.factories import EnterpriseFactory, FindingFactory, InspectionFactory, ServiceFactory
from tests.labels import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(inspector, second_inspector):
    enterprise = EnterpriseFactory(name="北京标识智能科技有限公司", uscc=builders.ENTERPRISE_USCC)
    return InspectionFactory(enterprise=enterprise, status=Inspection.Status.DUE,
                             officers=[inspector, second_inspector])


def item_fields(**extra):
    return {"modality": "image", "content_ref": "https://app.example.cn/img/1", "channel": "download",
            "captured_at": timezone.now().isoformat(), **extra}


def test_an_uploaded_file_is_checked_as_on_the_page(inspection, inspector, admin_user,
                                                     django_capture_on_commit_callbacks):
    api = TokenClient(issue_token(inspector, admin=admin_user))
    service = ServiceFactory(enterprise=inspection.enterprise)
    data = builders.png_xmp(builders.label_json(wrapped=True, Label="AIGC"))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/inspections/{inspection.pk}/items/",
                            item_fields(service=service.pk,
                                        file=SimpleUploadedFile("海报.png", data)))
    assert response.status_code == 201, response.content
    item = SampledItem.objects.get(pk=response.json()["id"])
    assert (item.service, item.file_type, item.label_verdict) == (service, "png", "noncompliant")
    check = item.checks.get(issue_code_id="IMP-04")
    assert (check.result, check.source) == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS
    assert AuditEvent.objects.filter(action="item.create", object_id=str(item.pk)).exists()
    detail = api.get(f"/api/v1/items/{item.pk}/").json()
    assert detail["label_verdict"] == "noncompliant"
    assert {"issue_code": "IMP-04", "result": "fail"}.items() <= next(
        c for c in detail["checks"] if c["issue_code"] == "IMP-04").items()


def test_a_text_sample_gets_the_explicit_label_check(inspection, inspector, admin_user):
    api = TokenClient(issue_token(inspector, admin=admin_user))
    response = api.post(f"/api/v1/inspections/{inspection.pk}/items/",
                        item_fields(modality="text", text_sample="今天天气很好"),
                        content_type="application/json")
    assert response.status_code == 201, response.content
    checks = {c["issue_code"]: c["result"] for c in response.json()["checks"]}
    # No prompt at all is EXP-01 (no explicit label), not EXP-03 (a label lacking an element).
    assert checks.get("EXP-01") == "fail" and "EXP-03" not in checks


@pytest.mark.parametrize("fields,field", [
    ({"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)}, "non_field_errors"),
    ({"captured_at": "yesterday"}, "captured_at"),
    ({"modality": "smell"}, "modality"),
    ({"service": 999999}, "service"),
])
def test_bad_item_input_is_a_400_and_records_nothing(inspection, inspector, admin_user, fields, field):
    api = TokenClient(issue_token(inspector, admin=admin_user))
    response = api.post(f"/api/v1/inspections/{inspection.pk}/items/", item_fields(**fields),
                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not SampledItem.objects.exists()


def test_who_may_record_an_item(inspection, analyst, supervisor, admin_user, other_enterprise_user):
    url = f"/api/v1/inspections/{inspection.pk}/items/"
    analyst_api = TokenClient(issue_token(analyst, admin=admin_user))
    assert analyst_api.post(url, item_fields()).status_code == 403
    outsider = FindingFactory().inspection.officers  # noqa: F841 - another campaign exists
    from tests.factories import UserFactory

    unassigned = UserFactory(role="inspector")
    assert TokenClient(issue_token(unassigned, admin=admin_user)).post(url, item_fields()).status_code == 404
    assert TokenClient(issue_token(other_enterprise_user)).post(url, item_fields()).status_code == 404
    assert TokenClient(issue_token(supervisor, admin=admin_user)).post(url, item_fields()).status_code == 201


def test_label_check_answers_the_checklabels_object(inspector, admin_user, enterprise_user):
    api = TokenClient(issue_token(inspector, admin=admin_user))
    data = builders.png_xmp(builders.label_json(wrapped=True))
    response = api.post("/api/v1/label-check/", {"file": SimpleUploadedFile("a.png", data),
                                                 "uscc": builders.ENTERPRISE_USCC})
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "compliant" and body["format"] == "png"
    assert set(body) == {"path", "format", "verdict", "label", "sites", "findings", "elapsed_ms"}
    empty = api.post("/api/v1/label-check/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 400 and "file" in empty.json()["error"]["fields"]
    assert TokenClient(issue_token(enterprise_user)).post(
        "/api/v1/label-check/", {"file": SimpleUploadedFile("a.png", data)}).status_code == 404


def test_an_uploaded_picture_gets_its_explicit_label_checked_with_evidence(
        inspection, inspector, admin_user, django_capture_on_commit_callbacks):
    from tests.labels.explicit import media

    api = TokenClient(issue_token(inspector, admin=admin_user))
    picture = media.png(media.label_image(640, 360, ratio=0.035))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/inspections/{inspection.pk}/items/",
                            item_fields(file=SimpleUploadedFile("海报.png", picture)))
    assert response.status_code == 201, response.content
    item = api.get(f"/api/v1/items/{response.json()['id']}/").json()
    assert item["explicit_status"] == "found"
    assert item["explicit_result"]["marks"][0]["text"] == "AI生成"
    assert [f["rule"] for f in item["explicit_result"]["findings"]] == ["EXP-04"]
    checks = {c["issue_code"]: c["result"] for c in item["checks"]}
    assert checks["EXP-04"] == "fail" and checks["EXP-01"] == "pass"
    crop = item["explicit_evidence"][0]
    assert crop["name"] == "crop-1.png"
    download = api.get(f"/api/v1/items/{item['id']}/explicit-evidence/{crop['id']}/")
    data = b"".join(download.streaming_content)
    assert data.startswith(b"\x89PNG")
    import hashlib

    assert hashlib.sha256(data).hexdigest() == crop["sha256"]


def test_label_check_with_explicit_answers_as_checklabels_explicit(inspector, admin_user):
    from tests.labels.explicit import media

    # Nothing is stored: a read-only token may check files.
    api = TokenClient(issue_token(inspector, admin=admin_user, scope="read"))
    picture = SimpleUploadedFile("poster.png", media.png(media.label_image(640, 360, ratio=0.035)))
    response = api.post("/api/v1/label-check/", {"file": picture, "explicit": "true"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == ["path", "format", "verdict", "label", "sites", "findings", "explicit",
                          "elapsed_ms"]
    assert body["explicit"]["status"] == "found"
    assert body["explicit"]["marks"][0]["height_ratio"] < 0.05
    assert [f["rule"] for f in body["findings"]] == ["IMP-01", "EXP-04"]
    implicit_only = api.post("/api/v1/label-check/", {
        "file": SimpleUploadedFile("poster.png", picture.file.getvalue())}).json()
    assert "explicit" not in implicit_only
    assert [f["rule"] for f in implicit_only["findings"]] == ["IMP-01"]


def test_analytics_series_are_the_charts_export_rows(supervisor, admin_user, client_for):
    api = TokenClient(issue_token(supervisor, admin=admin_user))
    charts = api.get("/api/v1/analytics/").json()
    slugs = [c["slug"] for c in charts]
    assert slugs == SLUGS  # the schema's list of charts
    assert "violations" in slugs and "ontime" in slugs
    for slug in slugs:
        response = api.get(f"/api/v1/analytics/{slug}/", {"start": "2026-01", "end": "2026-12"})
        assert response.status_code == 200, (slug, response.content)
        body = response.json()
        assert body["slug"] == slug and isinstance(body["rows"], list)
    # The pages draw the same series (an empty period once broke the trend chart).
    page = client_for(supervisor).get("/reports/analytics/trend/?start=2026-01&end=2026-12")
    assert page.status_code == 200
    bad = api.get("/api/v1/analytics/violations/", {"start": "2026-13", "by": "colour"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"start", "by"}
    assert api.get("/api/v1/analytics/nothing/").status_code == 404


def test_the_audit_trail_is_for_supervisors(supervisor, inspector, admin_user, enterprise_user):
    issue_token(enterprise_user)  # writes an audit event
    api = TokenClient(issue_token(supervisor, admin=admin_user))
    rows = api.get("/api/v1/audit-events/", {"action": "api_token"}).json()["results"]
    assert {r["action"] for r in rows} == {"api_token.create"}
    assert all("key_hash" not in (r["after"] or {}) for r in rows)
    assert TokenClient(issue_token(inspector, admin=admin_user)).get("/api/v1/audit-events/").status_code == 403


def test_lists_page_by_cursor_with_flat_query_counts(supervisor, admin_user, django_assert_max_num_queries):
    for _ in range(7):
        FindingFactory()
    api = TokenClient(issue_token(supervisor, admin=admin_user))
    seen, url, pages = [], "/api/v1/findings/?page_size=3&ordering=deadline", 0
    while url:
        with django_assert_max_num_queries(8):
            body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    for _ in range(20):
        FindingFactory()
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/findings/?page_size=50").json()["results"]) == 27
