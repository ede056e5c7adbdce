"""The public verification page: code, matching file, altered file, unknown code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.notices import services
from tests.reports.factories import make_notice

URL = reverse("reports:verify")


@pytest.fixture
def issued(db, inspector, supervisor):
    return services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)


def test_code_lookup_needs_no_login_and_shows_only_number_party_date(client, issued):
    response = client.get(URL, {"code": issued.verification_code.lower()})
    body = response.content.decode()
    assert response.status_code == 200
    assert issued.number in body and issued.party_name in body
    assert issued.party_uscc not in body and issued.facts[:20] not in body


def test_the_issued_file_matches(client, issued):
    data = issued.pdf.read()
    response = client.post(URL, {"file": SimpleUploadedFile("n.pdf", data, "application/pdf")})
    assert "verify-file_match" in response.content.decode()


def test_an_altered_file_is_rejected(client, issued):
    data = bytearray(issued.pdf.read())
    data[-10] ^= 0x01
    response = client.post(URL, {"code": issued.verification_code,
                                 "file": SimpleUploadedFile("n.pdf", bytes(data), "application/pdf")})
    body = response.content.decode()
    assert "verify-file_altered" in body and "verify-file_match" not in body
    response = client.post(URL, {"file": SimpleUploadedFile("n.pdf", bytes(data), "application/pdf")})
    assert "verify-file_unknown" in response.content.decode()


def test_unknown_code_and_non_pdf_upload(client, issued):
    assert "verify-code_unknown" in client.get(URL, {"code": "LW-0000-0000"}).content.decode()
    response = client.post(URL, {"file": SimpleUploadedFile("x.pdf", b"GIF89a....", "application/pdf")})
    assert "verify-result" not in response.content.decode()


def test_drafts_cannot_be_verified(client, db, inspector, supervisor):
    notice = make_notice(author=inspector, approver=supervisor)
    assert notice.verification_code is None
    assert "verify-code_unknown" in client.get(URL, {"code": "LW-AAAA-BBBB"}).content.decode()


def test_look_ups_are_rate_limited(client, issued, settings):
    from django.core.cache import cache

    cache.clear()
    for _ in range(30):
        client.get(URL, {"code": "LW-0000-0000"})
    assert client.get(URL, {"code": "LW-0000-0000"}).status_code == 429
    cache.clear()


def test_a_corrected_notice_says_it_was_replaced(client, issued, inspector, admin_user):
    correction = services.notice_create(
        enterprise=issued.enterprise, campaign=issued.campaign, findings=list(issued.findings.all()),
        actor=inspector, supersedes=issued,
    )
    services.notice_approve(notice=correction, actor=admin_user)
    correction = services.notice_issue(notice=correction, actor=admin_user)
    body = client.get(URL, {"code": issued.verification_code}).content.decode()
    assert correction.number in body


def test_spoofed_forwarded_for_does_not_escape_the_rate_limit(client, issued, settings):
    from django.core.cache import cache

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    cache.clear()
    for n in range(30):
        client.get(URL, {"code": "LW-0000-0000"}, REMOTE_ADDR="198.51.100.9",
                   HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.get(URL, {"code": "LW-0000-0000"}, REMOTE_ADDR="198.51.100.9",
                          HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert response.status_code == 429
    # Behind the trusted proxy, the client nginx saw is what counts.
    assert client.get(URL, {"code": "LW-0000-0000"}, REMOTE_ADDR="127.0.0.1",
                      HTTP_X_FORWARDED_FOR="203.0.113.200").status_code == 200
    cache.clear()
