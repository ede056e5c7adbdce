"""An issued bulletin is an official document: GB/T 9704 title and 版记, the seal, a signature the verify page checks."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.bulletins import services
from tests.factories import CampaignFactory
from tests.reports.factories import make_findings, pdf_text

pytestmark = pytest.mark.django_db
TITLE = "关于2026年人工智能生成合成内容标识典型问题的通报"


@pytest.fixture
def bulletin(inspector, supervisor):
    campaign = CampaignFactory()
    findings = make_findings(author=inspector, campaign=campaign, n=2)
    draft = services.bulletin_create(campaign=campaign, actor=supervisor, findings=findings, title=TITLE)
    return services.bulletin_issue(bulletin=draft, actor=supervisor)


def test_the_issued_bulletin_is_signed_and_ends_with_its_colophon_on_an_even_page(bulletin, tmp_path):
    data = bulletin.pdf.read()
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(data)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in report and "Total document signed" in report
    pages = pdf_text(data).rstrip("\f").split("\f")
    assert len(pages) % 2 == 0
    # 版记 (GB/T 9704 7.4): the printing agency and date at the foot of the last page.
    assert "印发" in pages[-1] and all("印发" not in page for page in pages[:-1])


def test_a_long_title_breaks_between_words(bulletin):
    first = pdf_text(bulletin.pdf.read()).split("\f")[0]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("关于"))
    # Two lines of whole words (生成合成, 典型问题 kept together), nothing lost.
    assert lines[start:start + 2] == ["关于2026年人工智能生成合成", "内容标识典型问题的通报"]


def test_the_verify_page_accepts_the_issued_bulletin_and_rejects_an_altered_one(client, bulletin):
    def verify(data: bytes) -> str:
        upload = SimpleUploadedFile("b.pdf", data, "application/pdf")
        return client.post(reverse("reports:verify"), {"file": upload}).content.decode()

    data = bulletin.pdf.read()
    body = verify(data)
    assert "verify-file_match" in body and TITLE in body
    altered = bytearray(data)
    altered[len(altered) // 3] ^= 0x01
    assert "verify-file_match" not in verify(bytes(altered))


def test_a_bulletin_issued_before_signatures_still_verifies_as_authentic(client, bulletin):
    import hashlib

    from reports.models import Bulletin

    # As issued before bulletins were signed: an unsigned file, no certificate on record.
    legacy = b"%PDF-1.7\n% a bulletin issued before signing\n%%EOF\n"
    Bulletin.objects.filter(pk=bulletin.pk).update(pdf_sha256=hashlib.sha256(legacy).hexdigest(), signer_sha256="")
    body = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("b.pdf", legacy, "application/pdf")}
                       ).content.decode()
    assert "verify-file_match_unsigned" in body and "verify-file_signature_invalid" not in body
