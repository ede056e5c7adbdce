"""A record made on a tablet and confirmed by both officers, in Debian's Chromium."""

import os

import pytest
from django.urls import reverse

from cases.models import CaseRecord, CaseStatus
from tests.cases.factories import officer, proposed_case

SHOTS = os.environ.get("LABELWATCH_SCREENSHOTS", "")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_record_made_on_a_tablet_by_two_officers(page, enterprise, supervisor):
    from cases import services
    from tests.factories import TEST_PASSWORD

    team = [officer("王执法", username="wang"), officer("李执法", username="li")]
    case = proposed_case(enterprise, team=team)
    services.case_file(case=case, actor=supervisor)

    def login(user):
        page.context.clear_cookies()
        page.goto(reverse("accounts:login"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("main button[type=submit]")

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    login(team[0])
    page.goto(reverse("cases:case_detail", args=[case.pk]))
    page.fill("#id_record_place", "北京市海淀区某路1号")
    page.fill("#id_record_started_at", "2026-01-05T09:00")
    page.fill("#id_record_ended_at", "2026-01-05T10:00")
    page.fill("#id_record_content", "现场查看了企业的生成合成内容标识情况。")
    page.check(f"#id_record_officers input[value='{team[0].pk}']")
    page.check(f"#id_record_officers input[value='{team[1].pk}']")
    page.click("button:has-text('制作笔录')")
    page.wait_for_selector("text=笔录已制作")
    # Nothing overflows sideways on the tablet.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Each table's header row stands above its first row, not over it.
    overlaps = page.evaluate("""[...document.querySelectorAll('.case-scroll table.data')].filter(t => {
        const head = t.querySelector('thead th'), row = t.querySelector('tbody tr');
        return head && row && head.getBoundingClientRect().bottom > row.getBoundingClientRect().top + 1;
    }).length""")
    assert overlaps == 0
    record = CaseRecord.objects.get()
    page.select_option(f"#id_p{record.pk}_confirmation", "absent")
    page.click(f"form[action='{reverse('cases:record_party', args=[record.pk])}'] button")
    page.wait_for_selector("text=已注明当事人核对情况")
    page.click("button:has-text('确认笔录')")
    page.wait_for_selector("text=你已确认笔录")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/case-tablet.png", full_page=True)
    login(team[1])
    page.goto(reverse("cases:case_detail", args=[case.pk]))
    page.click("button:has-text('确认笔录')")
    page.wait_for_selector("text=你已确认笔录")
    record.refresh_from_db()
    assert record.is_final
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("cases:case_detail", args=[case.pk]))
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/case-390.png", full_page=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and case.documents.count() == 2
