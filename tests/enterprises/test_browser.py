import os
import re
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD, AlgorithmFilingFactory, EnterpriseFactory, ServiceFactory

# Set LABELWATCH_SCREENSHOTS=<dir> to keep screenshots of the registry pages.
SCREENSHOTS = os.environ.get("LABELWATCH_SCREENSHOTS")


def shot(page, name):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def log_in(page, username):
    from accounts.models import User
    from accounts.second_factor import second_factor_required
    from tests.otp import authenticator, code_now

    user = User.objects.get(username=username)
    device = authenticator(user) if second_factor_required(user) else None
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit].primary")
    if device is not None:  # supervisors and admins: the code from their app
        page.wait_for_url(re.compile(r"/accounts/two-step/verify/"))
        page.fill("input[name=token]", code_now(device))
        page.click("form button[type=submit].primary")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspector_finds_an_enterprise_and_an_enterprise_user_is_refused(
    page, inspector, enterprise_user
):
    target = EnterpriseFactory(name="北京星河智算科技有限公司", is_dissemination_platform=True)
    ServiceFactory(enterprise=target, name="星河助手", has_video=True)
    AlgorithmFilingFactory(enterprise=target)
    for n in range(30):
        EnterpriseFactory(name=f"北京测试{n:02d}科技有限公司", risk_tier=["high", "low"][n % 2])

    log_in(page, "inspector")
    page.wait_for_url(re.compile(r"/work/$"))
    page.click("nav.mainnav a[href='/enterprises/']")
    page.wait_for_url(re.compile(r"/enterprises/$"))
    shot(page, "list-zh")
    page.fill("input[name=q]", target.uscc.lower())
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q="))
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1
    page.click(f"text={target.name}")
    page.wait_for_url(re.compile(rf"/enterprises/{target.pk}/$"))
    assert page.locator("h1").inner_text() == target.name
    assert "星河助手" in page.content()
    shot(page, "detail-zh")

    if SCREENSHOTS:
        page.goto("/enterprises/new/")
        page.fill("input[name=uscc]", "91110102MAD55U9H0A")
        page.click("form button[type=submit].primary")
        shot(page, "form-errors-zh")
        page.goto("/enterprises/import/")
        page.set_input_files("input[name=file]", files=[{
            "name": "e.csv", "mimeType": "text/csv",
            "buffer": "uscc,name,district\nBAD,甲,110108\n91110102MAD55U9H0F,,999\n".encode()}])
        page.click("form button[type=submit].primary")
        shot(page, "import-zh")
        page.click("form.langswitch button")
        page.wait_for_load_state()
        for name, url in [("list", "/enterprises/"), ("detail", f"/enterprises/{target.pk}/")]:
            page.goto(url)
            shot(page, f"{name}-en")
        page.goto("/enterprises/new/")
        page.fill("input[name=uscc]", "91110102MAD55U9H0A")
        page.click("form button[type=submit].primary")
        shot(page, "form-errors-en")

    page.context.clear_cookies()
    log_in(page, "alice")
    page.wait_for_url(re.compile(r"/portal/$"))
    response = page.goto("/enterprises/")
    assert response.status == 404
