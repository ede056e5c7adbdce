import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections import selectors
from inspections.models import FindingStatus
from tests.factories import FindingFactory, InspectionFactory, IssueCodeFactory
from tests.labels import builders

FINDINGS = "/api/findings/"
LABEL_CHECK = "/api/label-check/"
SCHEMA = {"path", "format", "verdict", "label", "sites", "findings", "elapsed_ms"}


def finding_url(pk: int) -> str:
    return f"/api/findings/{pk}/"


def notified(**fields):
    return FindingFactory(status=FindingStatus.NOTIFIED, notified_at=timezone.now(), **fields)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def own_inspection(enterprise, inspector):
    return InspectionFactory(enterprise=enterprise, officers=[inspector])


# --- findings: access ----------------------------------------------------------


def test_staff_see_every_finding(client_for, analyst, own_inspection):
    draft = FindingFactory(inspection=own_inspection)
    sent = notified(inspection=own_inspection)
    elsewhere = FindingFactory()

    response = client_for(analyst).get(FINDINGS)

    assert response.status_code == 200
    assert ids(response) == {draft.pk, sent.pk, elsewhere.pk}


def test_an_inspector_sees_the_findings_of_the_campaigns_assigned_only(client_for, inspector, own_inspection):
    assigned = FindingFactory(inspection=own_inspection)
    elsewhere = FindingFactory()
    client = client_for(inspector)

    response = client.get(FINDINGS)

    assert ids(response) == {assigned.pk}
    assert client.get(finding_url(elsewhere.pk)).status_code == 404


def test_finding_output_has_only_public_fields(client_for, inspector, own_inspection):
    finding = notified(inspection=own_inspection, is_repeat=True)

    body = client_for(inspector).get(finding_url(finding.pk)).json()

    assert body == {
        "id": finding.pk,
        "enterprise": {"id": finding.enterprise_id, "name": finding.enterprise.name},
        "campaign": finding.campaign_id,
        "issue_code": finding.issue_code_id,
        "severity": finding.severity,
        "status": "notified",
        "deadline": "2026-12-17",
        "is_repeat": True,
        "created_at": body["created_at"],
    }
    assert body["created_at"]


def test_enterprise_user_sees_only_own_notified_findings(
    client_for, enterprise_user, own_inspection
):
    sent = notified(inspection=own_inspection)
    FindingFactory(inspection=own_inspection)  # internal draft, not notified
    notified()  # another enterprise's

    response = client_for(enterprise_user).get(FINDINGS)

    assert response.status_code == 200
    assert ids(response) == {sent.pk}
    assert client_for(enterprise_user).get(finding_url(sent.pk)).status_code == 200


def test_enterprise_user_gets_404_for_other_or_unnotified_finding(
    client_for, enterprise_user, own_inspection
):
    draft = FindingFactory(inspection=own_inspection)
    foreign = notified()
    client = client_for(enterprise_user)

    for finding in (draft, foreign):
        response = client.get(finding_url(finding.pk))
        assert response.status_code == 404
        assert set(response.json()) == {"message", "extra"}


def test_anonymous_is_refused(client, db):
    finding = notified()

    assert client.get(FINDINGS).status_code == 403
    assert client.get(finding_url(finding.pk)).status_code == 403


# --- findings: filters and pagination -------------------------------------------


def test_status_filter_agrees_with_the_selector(client_for, supervisor):
    notified()
    FindingFactory(status=FindingStatus.ACCEPTED)
    FindingFactory()

    response = client_for(supervisor).get(FINDINGS, {"status": "notified"})

    expected = selectors.finding_list(viewer=supervisor).filter(status="notified")
    assert ids(response) == set(expected.values_list("pk", flat=True))
    assert response.json()["count"] == 1


def test_issue_code_filter(client_for, supervisor):
    code = IssueCodeFactory(code="TST-90")
    match = FindingFactory(issue_code=code)
    FindingFactory()

    response = client_for(supervisor).get(FINDINGS, {"code": "TST-90"})

    assert ids(response) == {match.pk}


def test_enterprise_filter_never_widens_the_scope(
    client_for, enterprise_user, other_enterprise, own_inspection
):
    notified(inspection=own_inspection)
    notified(inspection=InspectionFactory(enterprise=other_enterprise))

    response = client_for(enterprise_user).get(FINDINGS, {"enterprise": other_enterprise.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_campaign_severity_repeat_and_deadline_filters(client_for, supervisor):
    match = FindingFactory(severity="high", is_repeat=True, deadline=datetime.date(2026, 12, 1))
    FindingFactory(inspection=InspectionFactory(campaign=match.campaign), severity="high",
                   deadline=datetime.date(2026, 12, 1))
    FindingFactory(severity="high", is_repeat=True, deadline=datetime.date(2026, 12, 1))
    FindingFactory(inspection=InspectionFactory(campaign=match.campaign), severity="high",
                   is_repeat=True, deadline=datetime.date(2027, 1, 10))

    response = client_for(supervisor).get(FINDINGS, {
        "campaign": match.campaign_id, "severity": "high", "repeat": "true",
        "deadline_after": "2026-11-30", "deadline_before": "2026-12-31",
    })

    assert ids(response) == {match.pk}


def test_invalid_filter_value_is_400_in_the_one_error_shape(client_for, inspector):
    response = client_for(inspector).get(FINDINGS, {"status": "bogus"})

    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
    assert "status" in response.json()["extra"]["fields"]


def test_findings_are_paginated_by_50(client_for, supervisor):
    inspection = InspectionFactory()
    FindingFactory.create_batch(51, inspection=inspection)
    client = client_for(supervisor)

    first = client.get(FINDINGS).json()
    second = client.get(FINDINGS, {"page": 2}).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["next"]
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_list_query_count_is_the_same_for_5_and_50(
    client_for, supervisor, django_assert_max_num_queries
):
    inspection = InspectionFactory()
    FindingFactory.create_batch(5, inspection=inspection)
    client = client_for(supervisor)
    with django_assert_max_num_queries(5) as few:
        client.get(FINDINGS)
    FindingFactory.create_batch(45, inspection=InspectionFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(FINDINGS)
    assert len(response.json()["results"]) == 50


# --- label check ---------------------------------------------------------------


def labelled_png() -> SimpleUploadedFile:
    data = builders.png_bytes(builders.text_chunk("AIGC", builders.label_json(wrapped=True)))
    return SimpleUploadedFile("sample.png", data, content_type="image/png")


@pytest.mark.parametrize("persona", ["inspector", "supervisor", "analyst", "admin"])
def test_staff_check_a_label(client_for, staff_users, persona):
    response = client_for(staff_users[persona]).post(LABEL_CHECK, {"file": labelled_png()})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == SCHEMA
    assert body["path"] == "sample.png"
    assert body["format"] == "png"
    assert body["verdict"] == "compliant"
    assert body["sites"]


def test_label_check_matches_the_checker_result(client_for, inspector):
    from inspections import labels

    upload = labelled_png()
    expected = labels.check_stream(upload, path="sample.png").to_json_dict()
    upload.seek(0)

    body = client_for(inspector).post(LABEL_CHECK, {"file": upload}).json()

    assert {k: v for k, v in body.items() if k != "elapsed_ms"} == {
        k: v for k, v in expected.items() if k != "elapsed_ms"}


def test_label_check_passes_the_expected_uscc(client_for, inspector, enterprise):
    response = client_for(inspector).post(
        LABEL_CHECK, {"file": labelled_png(), "uscc": enterprise.uscc})

    assert response.status_code == 200
    assert set(response.json()) == SCHEMA


def test_label_check_without_a_file_is_400_with_a_clear_message(client_for, inspector):
    response = client_for(inspector).post(LABEL_CHECK, {"uscc": ""})

    assert response.status_code == 400
    body = response.json()
    assert "file" in body["message"]
    assert "file" in body["extra"]["fields"]


def test_label_check_refuses_files_over_the_limit(client_for, inspector, settings):
    settings.UPLOAD_MAX_BYTES = 10

    response = client_for(inspector).post(LABEL_CHECK, {"file": labelled_png()})

    assert response.status_code == 400
    assert "file" in response.json()["extra"]["fields"]


def test_label_check_is_404_for_enterprise_users_and_403_for_anonymous(
    client, client_for, enterprise_user
):
    assert client.post(LABEL_CHECK, {"file": labelled_png()}).status_code == 403
    response = client_for(enterprise_user).post(LABEL_CHECK, {"file": labelled_png()})
    assert response.status_code == 404


def test_label_check_with_explicit_adds_the_explicit_object(client_for, inspector):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("sample.txt", "正文正文。\n（本文由AI生成）".encode(),
                              content_type="text/plain")
    response = client_for(inspector).post(LABEL_CHECK, {"file": text, "explicit": "true"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == SCHEMA | {"explicit"}
    assert body["explicit"]["status"] == "found"
    assert body["explicit"]["marks"][0]["text"] == "(本文由AI生成)"
    plain = SimpleUploadedFile("plain.txt", "正文".encode() * 30, content_type="text/plain")
    body = client_for(inspector).post(LABEL_CHECK, {"file": plain, "explicit": "true"}).json()
    assert [f["rule"] for f in body["findings"]] == ["IMP-01", "EXP-01"]


def test_label_check_refuses_an_unknown_modality(client_for, inspector):
    response = client_for(inspector).post(
        LABEL_CHECK, {"file": labelled_png(), "explicit": "true", "modality": "smell"})

    assert response.status_code == 400
    assert "modality" in response.json()["extra"]["fields"]
