"""A supervisor publishes a campaign's results; a visitor who never logs in finds an enterprise in them."""

import re

import pytest

from inspections.models import FindingStatus, Inspection
from tests.enterprises.test_browser import log_in, shot
from tests.factories import CampaignFactory, EnterpriseFactory, FindingFactory, InspectionFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_publishes_and_a_visitor_finds_the_result(page, supervisor):
    campaign = CampaignFactory(name="2025年“清朗·整治AI技术滥用”专项行动")
    target = EnterpriseFactory(name="北京星河智算科技有限公司")
    inspection = InspectionFactory(campaign=campaign, enterprise=target, status=Inspection.Status.COMPLETED)
    FindingFactory(inspection=inspection, status=FindingStatus.ACCEPTED)
    for n in range(5):
        InspectionFactory(campaign=campaign, status=Inspection.Status.CLOSED,
                          enterprise=EnterpriseFactory(name=f"北京测试{n}科技有限公司"))

    log_in(page, "supervisor")
    page.wait_for_url(re.compile(r"/work/$"))
    page.goto(f"/reports/campaign-reports/{campaign.pk}/publication/")
    page.click("[data-testid=pending] button.primary")
    page.wait_for_selector("[data-testid=published] table")
    assert "6" in page.locator("[data-testid=published] p.muted").inner_text()
    shot(page, "publication-zh")

    page.context.clear_cookies()  # a visitor without an account
    page.goto("/accounts/login/")
    page.click("text=双随机抽查结果公示")
    page.click(f"text={campaign.name}")
    page.fill("input[name=q]", target.uscc.lower())
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q="))
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1
    assert target.name in rows.inner_text() and "发现问题，已整改" in rows.inner_text()
    shot(page, "public-results-zh")
