"""The enterprise's cases in the portal: documents, deadlines, statements before the deadline."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseStatus, DocumentKind, PartySubmission, RecusalApplication
from tests.cases.factories import investigating_case, officer, serve_on_paper
from tests.rectification.factories import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(enterprise, supervisor):
    team = [officer("王执法"), officer("李执法")]
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = services.case_issue_prior_notice(case=case, actor=supervisor, intended_penalty="fine",
                                            intended_amount=Decimal("10000"), hearing_right=True,
                                            grounds="《标识办法》第十三条")
    serve_on_paper(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), servers=team)
    case.refresh_from_db()
    case.team_users = team
    return case


def test_the_enterprise_reads_its_case_documents_and_deadlines(client_for, enterprise_user, noticed):
    client = client_for(enterprise_user)
    assert noticed.number in client.get(reverse("portal:case_list")).content.decode()
    page = client.get(reverse("portal:case_detail", args=[noticed.pk])).content.decode()
    assert "行政处罚事先告知书" in page
    # The internal filing approval form is not shown, nor downloadable.
    assert "立案审批表" not in page
    internal = noticed.documents.get(kind=DocumentKind.FILING_APPROVAL)
    assert client.get(reverse("portal:case_document", args=[internal.pk])).status_code == 404
    notice = noticed.documents.get(kind=DocumentKind.PRIOR_NOTICE)
    response = client.get(reverse("portal:case_document", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from cases.deadlines import deadline

    assert deadline(noticed, "statement").due.strftime("%Y-%m-%d") in page
    assert deadline(noticed, "hearing_request").due.strftime("%Y-%m-%d") in page


def test_another_enterprise_gets_404(client_for, other_enterprise_user, noticed):
    client = client_for(other_enterprise_user)
    assert client.get(reverse("portal:case_detail", args=[noticed.pk])).status_code == 404
    assert noticed.number not in client.get(reverse("portal:case_list")).content.decode()


def test_the_statement_reaches_the_case_before_the_deadline(client_for, enterprise_user, noticed):
    client = client_for(enterprise_user)
    response = client.post(reverse("portal:case_detail", args=[noticed.pk]), {
        "form": "submission", "kind": "statement", "text": "我方已于次日完成整改。",
        "attachments": [pdf("整改说明.pdf")]})
    assert response.status_code == 302
    submission = PartySubmission.objects.get(case=noticed)
    assert submission.text == "我方已于次日完成整改。"
    assert submission.attachments.get().original_name == "整改说明.pdf"
    noticed.refresh_from_db()
    assert noticed.status == CaseStatus.DEFENCE
    staff_page = client_for(noticed.team_users[0]).get(noticed.get_absolute_url()).content.decode()
    assert "我方已于次日完成整改。" in staff_page


def test_the_statement_is_refused_after_the_deadline(client_for, enterprise_user, noticed):
    client = client_for(enterprise_user)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=12)):
        response = client.post(reverse("portal:case_detail", args=[noticed.pk]), {
            "form": "submission", "kind": "statement", "text": "迟到的申辩。"})
    assert response.status_code == 200
    assert PartySubmission.objects.filter(case=noticed).count() == 0
    noticed.refresh_from_db()
    assert noticed.status == CaseStatus.PRIOR_NOTICE


def test_a_hearing_request_before_its_deadline(client_for, enterprise_user, noticed):
    client = client_for(enterprise_user)
    client.post(reverse("portal:case_detail", args=[noticed.pk]), {
        "form": "submission", "kind": "hearing_request", "text": "要求听证。"})
    noticed.refresh_from_db()
    assert noticed.hearing_requested is True


def test_a_hostile_attachment_is_refused_and_the_text_kept(client_for, enterprise_user, noticed):
    from tests.rectification.factories import upload

    client = client_for(enterprise_user)
    response = client.post(reverse("portal:case_detail", args=[noticed.pk]), {
        "form": "submission", "kind": "statement", "text": "我写的申辩。",
        "attachments": [upload("x.pdf", b"<svg onload=alert(1)></svg>")]})
    assert response.status_code == 200 and "我写的申辩。" in response.content.decode()
    assert PartySubmission.objects.count() == 0


def test_the_party_applies_for_recusal(client_for, enterprise_user, noticed):
    client = client_for(enterprise_user)
    officer_ = noticed.team_users[1]
    response = client.post(reverse("portal:case_detail", args=[noticed.pk]), {
        "form": "recusal", "officer": officer_.pk, "reason": "该执法人员曾在我公司任职。"})
    assert response.status_code == 302
    assert RecusalApplication.objects.get(case=noticed).officer == officer_
