"""Issued notices are digitally signed (PAdES) by the agency; the verification page checks the signature."""

import datetime
import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from legal.demo import demo_seal_png
from legal.models import Agency
from reports import pdf, signing
from reports.notices import services
from tests.reports.factories import make_notice, pdf_text

URL = reverse("reports:verify")


def _pkcs12(tmp_path, common_name: str, password: bytes) -> str:
    """A PKCS#12 file with a fresh key and self-signed certificate named `common_name`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    path = tmp_path / f"{abs(hash(common_name))}.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, certificate, None,
                                                           BestAvailableEncryption(password)))
    return str(path)


def _pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


@pytest.fixture
def issued(db, inspector, supervisor):
    return services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)


def test_an_issued_notice_carries_a_valid_signature_of_the_demo_certificate(issued, tmp_path):
    report = _pdfsig(issued.pdf.read(), tmp_path)
    assert "Signature #1" in report and "Signature Validation: Signature is Valid." in report
    assert signing.DEMO_COMMON_NAME in report
    assert "Total document signed" in report


def test_the_agency_key_from_the_environment_signs(db, inspector, supervisor, settings, monkeypatch, tmp_path):
    notice = make_notice(author=inspector, approver=supervisor)
    monkeypatch.setenv("TEST_AGENCY_P12_PASSWORD", "s3cret")
    path = _pkcs12(tmp_path, "Beijing CAC document signing", b"s3cret")
    settings.DOCUMENT_SIGNING_KEYS = {notice.agency: {"pkcs12": path, "password_env": "TEST_AGENCY_P12_PASSWORD"}}
    issued = services.notice_issue(notice=notice, actor=supervisor)
    report = _pdfsig(issued.pdf.read(), tmp_path)
    assert "Beijing CAC document signing" in report and "Signature is Valid." in report
    assert signing.DEMO_COMMON_NAME not in report


def test_a_wrong_password_is_a_clear_configuration_error(db, inspector, supervisor, settings, monkeypatch, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    notice = make_notice(author=inspector, approver=supervisor)
    monkeypatch.setenv("TEST_AGENCY_P12_PASSWORD", "wrong")
    path = _pkcs12(tmp_path, "Beijing CAC document signing", b"s3cret")
    settings.DOCUMENT_SIGNING_KEYS = {notice.agency: {"pkcs12": path, "password_env": "TEST_AGENCY_P12_PASSWORD"}}
    with pytest.raises((ImproperlyConfigured, ValueError)):
        services.notice_issue(notice=notice, actor=supervisor)
    notice.refresh_from_db()
    assert notice.status == "approved" and not notice.number


def test_the_seal_image_is_placed_only_when_the_agency_has_one(db, inspector, supervisor):
    plain = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)
    assert "印章" not in pdf_text(plain.pdf.read())
    agency = Agency.objects.get(name=plain.agency)
    agency.seal_image.save("seal.png", ContentFile(demo_seal_png(agency.name)))
    sealed = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)
    images = subprocess.run(["pdfimages", "-list", "-"], input=sealed.pdf.read(), capture_output=True).stdout
    # The seal (480 px square, with its transparency mask) besides the QR code.
    assert b" 480   480 " in images


def _post(client, data: bytes, code: str = ""):
    payload = {"file": SimpleUploadedFile("n.pdf", data, "application/pdf")}
    if code:
        payload["code"] = code
    return client.post(URL, payload).content.decode()


def test_the_verify_page_accepts_the_issued_file_and_shows_the_signature(client, issued):
    body = _post(client, issued.pdf.read())
    assert "verify-file_match" in body and "verify-signature" in body


def test_the_verify_page_rejects_a_file_signed_again(client, issued, settings, monkeypatch, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    forger = signers.SimpleSigner.load_pkcs12(_pkcs12(tmp_path, "Someone else", b"x"), passphrase=b"x")
    writer = IncrementalPdfFileWriter(io.BytesIO(issued.pdf.read()))
    resigned = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Other"), signer=forger).getvalue()
    body = _post(client, resigned, issued.verification_code)
    assert "verify-file_altered" in body and "verify-file_match" not in body
    assert "Someone else" in body
    assert "verify-file_unknown" in _post(client, resigned)


def test_the_verify_page_rejects_an_altered_signed_file(client, issued):
    data = bytearray(issued.pdf.read())
    # A byte of the first page's content, inside the signed range.
    data[len(data) // 3] ^= 0x01
    body = _post(client, bytes(data), issued.verification_code)
    assert "verify-file_altered" in body and "verify-file_match" not in body


def test_a_notice_signed_before_the_agency_changed_its_key_still_verifies(client, issued, settings, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("OTHER_P12_PASSWORD", "y")
    settings.DOCUMENT_SIGNING_KEYS = {issued.agency: {"pkcs12": _pkcs12(tmp_path, "New key", b"y"),
                                                      "password_env": "OTHER_P12_PASSWORD"}}
    assert "verify-file_match" in _post(client, issued.pdf.read())


def _assert_signed_by_the_agency(data: bytes, tmp_path):
    report = _pdfsig(data, tmp_path)
    assert "Signature #1" in report and "Signature #2" not in report
    assert "Signature Validation: Signature is Valid." in report and "Total document signed" in report
    assert signing.DEMO_COMMON_NAME in report


def test_the_proof_of_service_is_signed_as_the_notice_is_alone_and_in_a_batch(issued, inspector, supervisor,
                                                                              settings, tmp_path):
    from reports.models import BatchIssue, Notice
    from tests.factories import CampaignFactory

    proof = issued.proof_pdf.read()
    _assert_signed_by_the_agency(proof, tmp_path)
    assert (issued.proof_sha256, issued.proof_signer_sha256) == (pdf.sha256_hex(proof), issued.signer_sha256)
    settings.NOTICE_RENDER_CHUNK, settings.NOTICE_RENDER_PROCESSES = 2, 1
    campaign = CampaignFactory()
    approved = [make_notice(author=inspector, approver=supervisor, campaign=campaign, n=1) for _ in range(2)]
    batch = services.batch_issue_start(campaign=campaign, actor=supervisor)
    services.batch_issue_run(batch_id=batch.pk)
    assert BatchIssue.objects.get(pk=batch.pk).issued == 2
    for notice in Notice.objects.filter(pk__in=[n.pk for n in approved]):
        proof = notice.proof_pdf.read()
        _assert_signed_by_the_agency(proof, tmp_path)
        assert (notice.proof_sha256, notice.proof_signer_sha256) == (pdf.sha256_hex(proof), notice.signer_sha256)


def test_the_verify_page_accepts_the_stored_proof_of_service(client, issued):
    proof = issued.proof_pdf.read()
    body = _post(client, proof)
    assert "verify-file_match" in body and "送达回证" in body and issued.number in body
    assert "verify-file_match" in _post(client, proof, issued.verification_code)


def test_the_verify_page_rejects_an_altered_or_re_signed_proof_of_service(client, issued, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    original = issued.proof_pdf.read()
    altered = bytearray(original)
    altered[len(altered) // 3] ^= 0x01
    assert "verify-file_unknown" in _post(client, bytes(altered))
    assert "verify-file_altered" in _post(client, bytes(altered), issued.verification_code)
    forger = signers.SimpleSigner.load_pkcs12(_pkcs12(tmp_path, "Someone else", b"x"), passphrase=b"x")
    writer = IncrementalPdfFileWriter(io.BytesIO(original))
    resigned = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Other"), signer=forger).getvalue()
    body = _post(client, resigned, issued.verification_code)
    assert "verify-file_altered" in body and "verify-file_match" not in body and "Someone else" in body


def test_the_proof_filled_in_at_service_is_signed_and_verifies(client, issued, enterprise_user, tmp_path):
    blank = issued.proof_pdf.read()
    enterprise_user.enterprise = issued.enterprise
    enterprise_user.save()
    served = services.notice_acknowledge(notice=issued, actor=enterprise_user, consent=True)
    proof = served.proof_pdf.read()
    assert "电子送达" in pdf_text(proof)
    _assert_signed_by_the_agency(proof, tmp_path)
    assert served.proof_sha256 == pdf.sha256_hex(proof) != pdf.sha256_hex(blank)
    assert "verify-file_match" in _post(client, proof)
    # The proof on record is the one filled in.
    assert "verify-file_unknown" in _post(client, blank)


def test_every_signature_container_is_the_one_pyhanko_makes_for_the_document(db):
    """The signer reuses its first container as a template: the later ones must be pyHanko's, byte for byte."""
    import asyncio

    import pikepdf
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers

    agency = "北京市互联网信息办公室"
    source = signing.key_source(agency)
    pyhanko_signer = signers.SimpleSigner.load_pkcs12(source.path, passphrase=source.passphrase)
    for pages in (1, 2, 3):
        document = pikepdf.Pdf.new()
        for _ in range(pages):
            document.add_blank_page()
        buffer = io.BytesIO()
        document.save(buffer)
        signed = signing.sign_pdf(buffer.getvalue(), agency)
        (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        made = asyncio.run(pyhanko_signer.async_sign(embedded.compute_digest(), "sha256", use_pades=True))
        assert made["content"].dump() == embedded.signed_data.dump()
        assert signing.check_signature(signed, agency).valid
