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


@pytest.mark.django_db
def test_anonymised_cases_leak_no_name_short_name_uscc_domain_or_url(inspector, supervisor):
    """Every identifying string put into the descriptions stays out of an anonymised bulletin."""
    from tests.factories import EnterpriseFactory, ServiceFactory
    from tests.reports.factories import pdf_text

    campaign = CampaignFactory()
    secrets, findings = [], []
    for n, (name, short, domain) in enumerate([
        ("北京声临文化传媒有限公司", "声临文化", "shenglin-media.cn"),
        ("北京星河智算科技有限公司", "星河智算", "xinghe-ai.com"),
        ("北京墨影互动网络技术有限公司", "墨影互动", "moying.net"),
    ]):
        enterprise = EnterpriseFactory(name=name)
        ServiceFactory(enterprise=enterprise, url=f"https://www.{domain}/app")
        own = make_findings(author=inspector, enterprise=enterprise, campaign=campaign, n=1)
        item = own[0].evidence_items.first()
        item.content_ref = f"https://cdn.{domain}/u/{n}/v/clip-{n}.mp4"
        item.save(update_fields=["content_ref"])
        own[0].description = (f"{name}（简称“{short}”，统一社会信用代码{enterprise.uscc}）在{domain}"
                              f"发布的内容{item.content_ref}未添加隐式标识")
        own[0].save(update_fields=["description"])
        secrets += [name, short, enterprise.uscc, domain, item.content_ref]
        findings += own
    bulletin = services.bulletin_create(campaign=campaign, actor=supervisor, findings=findings)
    context = services.bulletin_document_context(bulletin=bulletin, issue_date=None)
    cases = "".join(c for s in context["sections"] for c in s["cases"])
    assert "某企业（企业A）" in cases and "抽检的1个图片样本" in cases
    bulletin = services.bulletin_issue(bulletin=bulletin, actor=supervisor)
    text = pdf_text(bulletin.pdf.read())
    compact = "".join(text.split())
    for secret in secrets:
        assert secret not in cases and "".join(secret.split()) not in compact, secret


@pytest.mark.django_db
def test_read_receipts_are_shown_a_page_at_a_time_with_how_many_opened(inspector, supervisor, client_for):
    from reports.bulletins.views import RECEIPTS_PAGE_SIZE

    campaign = CampaignFactory()
    findings = make_findings(author=inspector, campaign=campaign, n=1)
    for _ in range(RECEIPTS_PAGE_SIZE + 4):
        InspectionFactory(campaign=campaign)
    bulletin = services.bulletin_issue(
        bulletin=services.bulletin_create(campaign=campaign, actor=supervisor, findings=findings),
        actor=supervisor)
    reader = EnterpriseUserFactory(enterprise=findings[0].enterprise)
    services.bulletin_mark_opened(bulletin=bulletin, user=reader)
    total = RECEIPTS_PAGE_SIZE + 5
    assert bulletin.recipients.count() == total

    url = reverse("reports:bulletin_detail", args=[bulletin.pk])
    first = client_for(supervisor).get(url)
    assert len(first.context["receipts"]) == RECEIPTS_PAGE_SIZE
    html = first.content.decode()
    assert f"{total}家企业中已有1家打开" in html and "?page=2" in html
    assert str(reader) in html  # opened ones come first
    second = client_for(supervisor).get(url, {"page": 2})
    assert len(second.context["receipts"]) == 5


@pytest.mark.django_db
def test_the_list_counts_recipients_and_readers_per_bulletin_without_grouping_them_all(
        inspector, supervisor, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = CampaignFactory()
    campaign.team.add(inspector)
    findings = make_findings(author=inspector, campaign=campaign, n=1)
    InspectionFactory(campaign=campaign)
    bulletin = services.bulletin_issue(
        bulletin=services.bulletin_create(campaign=campaign, actor=supervisor, findings=findings),
        actor=supervisor)
    services.bulletin_mark_opened(bulletin=bulletin,
                                  user=EnterpriseUserFactory(enterprise=findings[0].enterprise))
    with CaptureQueriesContext(connection) as ctx:
        page = client_for(inspector).get(reverse("reports:bulletin_list"))
    listed = {b.pk: (b.opened_count, b.recipient_count) for b in page.context["bulletins"]}
    assert listed == {bulletin.pk: (1, 2)}
    bulletin_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "reports_bulletin"' in q["sql"]]
    assert bulletin_queries and not any("GROUP BY" in sql.split("(SELECT")[0] for sql in bulletin_queries)


@pytest.mark.django_db
def test_the_portal_reads_only_the_enterprise_s_own_receipt_of_each_bulletin(
    inspector, supervisor, client_for
):
    from django.db import connection
    from django.template import Context, Template
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    campaign = CampaignFactory()
    findings = make_findings(author=inspector, campaign=campaign, n=1)
    clean = InspectionFactory(campaign=campaign)  # another enterprise in scope
    user = EnterpriseUserFactory(enterprise=findings[0].enterprise)
    other_user = EnterpriseUserFactory(enterprise=clean.enterprise)
    bulletin = services.bulletin_issue(
        bulletin=services.bulletin_create(campaign=campaign, actor=supervisor, findings=findings),
        actor=supervisor)
    client_for(other_user).get(reverse("reports:bulletin_pdf", args=[bulletin.pk]))  # they read it

    with translation.override("en"), CaptureQueriesContext(connection) as reads:
        html = Template("{% load reports_portal %}{% portal_notices user %}").render(
            Context({"user": user, "csrf_token": "x"}))

    assert bulletin.title in html and "Unread" in html  # another enterprise's reading is not ours
    receipts = [q["sql"] for q in reads.captured_queries if q["sql"].startswith('SELECT "reports_bulletinrecipient"')]
    assert len(receipts) == 1
    assert f'"reports_bulletinrecipient"."enterprise_id" = {user.enterprise_id}' in receipts[0]
