"""
Service (送达) of case documents: electronic only by the party's own
acknowledgement in the portal under its consent to electronic service;
otherwise on paper, with the proof of service (送达回证) filled in from the
service record.
"""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import documents, services
from cases.models import CaseStatus, DocumentKind
from core.exceptions import ApplicationError
from legal.models import ElectronicServiceConsent, ServiceMethod, ServiceRecord
from tests.cases.factories import investigating_case, officer, serve_on_paper
from tests.conftest import require_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return [officer("王执法", cert="京网执0001"), officer("李执法", cert="京网执0002")]


@pytest.fixture
def prior_notice(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="warning",
                                            grounds="《人工智能生成合成内容标识办法》第十三条")
    return case.documents.get(kind=DocumentKind.PRIOR_NOTICE)


def _text(field) -> str:
    require_service("pdftotext", shutil.which("pdftotext") is not None, "poppler-utils missing")
    return subprocess.run(["pdftotext", field.path, "-"], capture_output=True, text=True).stdout


def test_acknowledgement_without_consent_is_not_service(client_for, enterprise_user, prior_notice):
    client = client_for(enterprise_user)
    client.post(reverse("portal:case_document_acknowledge", args=[prior_notice.pk]))
    prior_notice.refresh_from_db()
    assert prior_notice.served_on is None and not ServiceRecord.objects.exists()
    prior_notice.case.refresh_from_db()
    assert prior_notice.case.prior_notice_served_on is None


def test_acknowledgement_under_consent_serves_the_document(client_for, enterprise_user, prior_notice):
    client = client_for(enterprise_user)
    page = client.get(reverse("portal:case_detail", args=[prior_notice.case_id])).content.decode()
    assert 'name="consent"' in page
    response = client.post(reverse("portal:case_document_acknowledge", args=[prior_notice.pk]),
                           {"consent": "1"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    prior_notice.refresh_from_db()
    record = prior_notice.service_record
    assert record.method == ServiceMethod.ELECTRONIC and record.consent is not None
    assert record.acknowledged_by == enterprise_user and prior_notice.served_on == timezone.localdate()
    assert ElectronicServiceConsent.objects.filter(enterprise=prior_notice.case.enterprise).count() == 1
    prior_notice.case.refresh_from_db()
    # The statement period now runs from service.
    assert prior_notice.case.prior_notice_served_on == timezone.localdate()
    text = _text(prior_notice.proof)
    assert "送达回证" in text and "电子送达" in text and enterprise_user.username in text
    assert "同意电子送达" in text and prior_notice.number in text
    # Twice is once.
    client.post(reverse("portal:case_document_acknowledge", args=[prior_notice.pk]))
    assert ServiceRecord.objects.count() == 1


def test_staff_cannot_record_electronic_service(prior_notice, team):
    with pytest.raises(ApplicationError, match="acknowledgement"):
        documents.record_service(document=prior_notice, actor=team[0], method=ServiceMethod.ELECTRONIC,
                                 served_at=timezone.now(), servers=team)


def test_paper_service_fills_in_the_proof_of_service(prior_notice, team):
    blank = _text(prior_notice.proof)
    assert "□直接送达" in blank  # issued with a blank proof to print
    with pytest.raises(ApplicationError, match="Two officers"):
        documents.record_service(document=prior_notice, actor=team[0], method=ServiceMethod.DIRECT,
                                 served_at=timezone.now(), servers=team[:1], recipient="张三")
    served = serve_on_paper(prior_notice, servers=team)
    text = _text(served.proof)
    assert "直接送达" in text and "□直接送达" not in text and "张三" in text
    assert "王执法" in text and "李执法" in text and prior_notice.case.enterprise.uscc in text
    with pytest.raises(ApplicationError, match="already recorded"):
        serve_on_paper(prior_notice, servers=team)


def test_left_at_the_address_needs_the_refusal_and_witnesses(prior_notice, team):
    with pytest.raises(ApplicationError, match="留置送达"):
        documents.record_service(document=prior_notice, actor=team[0], method=ServiceMethod.LEFT,
                                 served_at=timezone.now(), servers=team)
    served = documents.record_service(document=prior_notice, actor=team[0], method=ServiceMethod.LEFT,
                                      served_at=timezone.now(), servers=team, refusal="法定代表人拒绝签收",
                                      witnesses="社区工作人员赵某")
    assert "社区工作人员赵某" in _text(served.proof)


def test_an_internal_form_is_not_served(enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    form = case.documents.get(kind=DocumentKind.FILING_APPROVAL)
    with pytest.raises(ApplicationError, match="internally"):
        serve_on_paper(form, servers=team)


def test_service_of_the_decision_starts_the_remedy_windows(enterprise, supervisor, team, client_for,
                                                           enterprise_user):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = services.case_decide(case=case, actor=supervisor, outcome="no_penalty",
                                decision_text="违法行为轻微并及时改正，没有造成危害后果。")
    decision = case.documents.get(kind=DocumentKind.NO_PENALTY_DECISION)
    client_for(enterprise_user).post(reverse("portal:case_document_acknowledge", args=[decision.pk]),
                                     {"consent": "1"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SERVED and case.served_on == timezone.localdate()
    from cases.deadlines import deadline

    assert deadline(case, "reconsideration").due >= timezone.localdate() + datetime.timedelta(days=60)


def _pdfsig(field, tmp_path) -> str:
    require_service("pdfsig", shutil.which("pdfsig") is not None, "poppler-utils missing")
    field.open("rb")
    path = tmp_path / "signed.pdf"
    path.write_bytes(field.read())
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def _verify(client, field_or_bytes) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = field_or_bytes
    if not isinstance(data, bytes):
        data.open("rb")
        data = data.read()
    upload = SimpleUploadedFile("document.pdf", data, "application/pdf")
    return client.post(reverse("reports:verify"), {"file": upload}).content.decode()


def test_a_served_document_and_its_signed_proofs_verify_on_the_public_page(client, prior_notice, team, tmp_path):
    for field in (prior_notice.pdf, prior_notice.proof):
        report = _pdfsig(field, tmp_path)
        assert "Signature is Valid." in report and "Total document signed" in report
    assert prior_notice.signer_sha256 and prior_notice.proof_signer_sha256 == prior_notice.signer_sha256
    body = _verify(client, prior_notice.pdf)
    assert "verify-file_match" in body and "行政处罚事先告知书" in body and prior_notice.number in body
    assert "verify-file_match" in _verify(client, prior_notice.proof)
    served = serve_on_paper(prior_notice, servers=team)
    assert "Signature is Valid." in _pdfsig(served.proof, tmp_path)
    body = _verify(client, served.proof)
    assert "verify-file_match" in body and "送达回证" in body
    served.proof.open("rb")
    altered = bytearray(served.proof.read())
    altered[len(altered) // 3] ^= 0x01
    assert "verify-file_unknown" in _verify(client, bytes(altered))


def test_an_internal_form_is_not_verified_publicly(client, enterprise, supervisor, team):
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    form = case.documents.get(kind=DocumentKind.FILING_APPROVAL)
    assert "verify-file_unknown" in _verify(client, form.pdf)
