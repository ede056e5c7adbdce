"""
The portal on a phone: every portal page, in Debian's Chromium at 390 px,
is no wider than the screen (no sideways scrolling), its tables are
stacked cards and the header keeps the log-out button in view.

Every URL pattern of the portal (and of the enterprise's API-token pages)
is either opened here or named below as not a page (a POST action or a
file download), so a new portal page cannot escape the test.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from api import services as token_services
from api import urls as token_urls
from cases import services as case_services
from cases.models import DocumentKind
from inspections.models import Campaign
from portal import urls as portal_urls
from rectification import services as rectification_services
from selfchecks import services as selfcheck_services
from selfchecks.models import Scope
from tests.cases.factories import investigating_case, officer, serve_on_paper
from tests.factories import TEST_PASSWORD, CampaignFactory, InspectionFactory
from tests.rectification.factories import notified_finding
from tests.reports.factories import ensure_law_data

PHONE = {"width": 390, "height": 844}
# Patterns that are not pages: POST-only actions and file downloads.
NOT_PAGES = {
    "portal:extension_withdraw", "portal:report_new_version", "portal:evidence_remove",
    "portal:evidence_download", "portal:case_document", "portal:case_document_acknowledge",
    "portal:selfcheck_evidence_download", "portal:selfcheck_evidence_remove",
}


def _pattern_names() -> set[str]:
    names = {f"portal:{p.name}" for p in portal_urls.urlpatterns if isinstance(p, URLPattern)}
    return names | {f"api_tokens:{p.name}" for p in token_urls.urlpatterns if isinstance(p, URLPattern)}


@pytest.fixture
def portal_record(enterprise_user, supervisor):
    ensure_law_data()  # the prior notice cites provisions; a transactional test may start after a flush
    enterprise = enterprise_user.enterprise
    team = [officer("王执法"), officer("李执法")]
    long_title = {"description": "抽检的生成图片未在文件元数据中添加隐式标识，且下载后的文件未保留显式标识，"
                                 "涉及服务“星河智能助手”的 12 件样本。"}
    reported = notified_finding(enterprise, officers=team, **long_title)
    extended = notified_finding(enterprise, officers=team, days=10)
    notified_finding(enterprise, officers=team, days=20)  # offered on "write a report"
    draft = rectification_services.report_create(enterprise=enterprise, actor=enterprise_user,
                                                  findings=[reported])
    rectification_services.extension_request_create(
        finding=extended, actor=enterprise_user, reason="需要重新训练模型以写入隐式标识",
        requested_deadline=extended.deadline + datetime.timedelta(days=15))
    case = investigating_case(enterprise, team=team, supervisor=supervisor)
    case = case_services.case_issue_prior_notice(
        case=case, actor=supervisor, intended_penalty="fine", intended_amount=Decimal("10000"),
        hearing_right=True, grounds="《标识办法》第十三条")
    serve_on_paper(case.documents.get(kind=DocumentKind.PRIOR_NOTICE), servers=team)
    campaign = CampaignFactory(team=[team[0]], status=Campaign.Status.ACTIVE)
    InspectionFactory(campaign=campaign, enterprise=enterprise, officers=[team[0]])
    selfcheck = selfcheck_services.selfinspection_launch(
        campaign=campaign, actor=supervisor, title="标识合规自查", scope=Scope.CAMPAIGN,
        due_date=timezone.localdate() + datetime.timedelta(days=10)).reports.get(enterprise=enterprise)
    token, _secret = token_services.token_create(
        user=enterprise_user, actor=enterprise_user, name="工单系统", scope="read",
        expires_at=timezone.now() + datetime.timedelta(days=90))
    return {
        "portal:home": reverse("portal:home"),
        "portal:finding_detail": reverse("portal:finding_detail", args=[extended.pk]),
        "portal:report_list": reverse("portal:report_list"),
        "portal:report_start": reverse("portal:report_start"),
        "portal:report_detail": reverse("portal:report_detail", args=[draft.pk]),
        "portal:report_edit": reverse("portal:report_edit", args=[draft.pk]),
        "portal:case_list": reverse("portal:case_list"),
        "portal:case_detail": reverse("portal:case_detail", args=[case.pk]),
        "portal:selfcheck_list": reverse("portal:selfcheck_list"),
        "portal:selfcheck_detail": reverse("portal:selfcheck_detail", args=[selfcheck.pk]),
        "portal:selfcheck_edit": reverse("portal:selfcheck_edit", args=[selfcheck.pk]),
        "api_tokens:list": reverse("api_tokens:list"),
        "api_tokens:revoke": reverse("api_tokens:revoke", args=[token.pk]),
    }


def test_every_portal_pattern_is_a_page_here_or_named_as_not_one(portal_record):
    assert _pattern_names() == set(portal_record) | NOT_PAGES


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_portal_page_fits_a_390_px_phone(chromium, live_server, enterprise_user, portal_record):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", enterprise_user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('portal:home')}")
    widths = {}
    for name, url in portal_record.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, name
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        # The log-out button sits inside the screen, not past its right edge.
        logout = page.locator("header form[action$='logout/'] button").bounding_box()
        assert logout is not None and logout["x"] + logout["width"] <= PHONE["width"], name
        if page.locator("table.data tbody tr").count():
            # Stacked cards: no header row, each cell headed by its column.
            assert not page.locator("table.data thead").first.is_visible(), name
            assert page.locator("table.data td[data-label]").count() > 0, name
    context.close()
    assert {name: width for name, width in widths.items() if width > PHONE["width"]} == {}
