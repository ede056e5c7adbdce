"""Typical-issues bulletins: compiled by a supervisor, sent to all in scope, read receipts."""

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from reports.bulletins import services
from reports.models import BulletinRecipient
from tests.factories import CampaignFactory, EnterpriseUserFactory, InspectionFactory
from tests.reports.factories import make_findings


@pytest.mark.django_db
def test_bulletin_reaches_every_enterprise_in_scope_with_read_receipts(inspector, supervisor, client_for):
    campaign = CampaignFactory()
    findings = make_findings(author=inspector, campaign=campaign, n=2)
    more = make_findings(author=inspector, campaign=campaign, n=1)
    clean = InspectionFactory(campaign=campaign)  # inspected, no findings: still in scope
    user = EnterpriseUserFactory(enterprise=findings[0].enterprise)
    other_user = EnterpriseUserFactory(enterprise=clean.enterprise)
    outsider = EnterpriseUserFactory()
    with pytest.raises(ApplicationError):
        services.bulletin_create(campaign=campaign, actor=inspector, findings=findings)
    bulletin = services.bulletin_create(campaign=campaign, actor=supervisor, findings=findings + more,
                                        named_ids={more[0].pk})
    assert bulletin.sections.count() == 1
    bulletin = services.bulletin_issue(bulletin=bulletin, actor=supervisor)
    scope = {findings[0].enterprise_id, more[0].enterprise_id, clean.enterprise_id}
    assert set(bulletin.recipients.values_list("enterprise_id", flat=True)) == scope

    text = __import__("subprocess").run(["pdftotext", bulletin.pdf.path, "-"], capture_output=True,
                                        text=True).stdout
    compact = "".join(text.split())
    assert more[0].enterprise.name in compact  # named
    assert findings[0].enterprise.name not in compact and "某企业（企业A）" in compact  # anonymised

    url = reverse("reports:bulletin_pdf", args=[bulletin.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(user).get(url).status_code == 200
    client_for(user).get(url)  # a second download keeps the first receipt
    receipt = BulletinRecipient.objects.get(bulletin=bulletin, enterprise=user.enterprise)
    assert receipt.first_opened_by == user and receipt.first_opened_at is not None
    assert not BulletinRecipient.objects.get(bulletin=bulletin, enterprise=other_user.enterprise).first_opened_at
    page = client_for(supervisor).get(reverse("reports:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert str(user) in page
    with pytest.raises(ApplicationError):
        services.bulletin_issue(bulletin=bulletin, actor=supervisor)
