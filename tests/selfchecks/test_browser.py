"""The portal checklist on a phone (390 px) and a desktop, and the staff campaign view, in Chromium."""

import os

import pytest
from django.urls import reverse

from selfchecks.models import ReportStatus

SHOTS = os.environ.get("LABELWATCH_SCREENSHOTS", "")


def _login(page, user):
    from tests.factories import TEST_PASSWORD

    page.context.clear_cookies()
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_checklist_is_answered_on_a_phone_without_sideways_scrolling(page, report, enterprise_user):
    _login(page, enterprise_user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("portal:selfcheck_edit", args=[report.pk]))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for item in report.items.all():
        page.check(f"input[name='i{item.pk}-answer'][value='compliant']")
    page.fill("#id_responsible_person", "张合规")
    page.check("#id_declaration")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/selfcheck-portal-390.png", full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/selfcheck-portal-1440.png", full_page=True)
    page.click("button[name=submit]")
    page.wait_for_selector("[data-testid=status]")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("portal:selfcheck_detail", args=[report.pk]))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(reverse("portal:selfcheck_list"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
