"""The whole rectification loop in Debian's Chromium: submit, return, resubmit, accept."""

import pytest
from django.core import mail
from django.urls import reverse

from inspections.models import FindingStatus
from rectification.models import ReportStatus
from tests.rectification.factories import PNG_BYTES, notified_finding


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_changes_requested_resubmitted_and_accepted(
    page, live_server, enterprise_user, inspector, second_inspector, tmp_path
):
    from tests.factories import TEST_PASSWORD

    finding = notified_finding(enterprise_user.enterprise, officers=[inspector, second_inspector])
    evidence = tmp_path / "整改截图.png"
    evidence.write_bytes(PNG_BYTES)

    def login(user):
        page.context.clear_cookies()
        page.goto(reverse("accounts:login"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("main button[type=submit]")

    # The enterprise writes and submits a report with an evidence file.
    login(enterprise_user)
    page.goto(reverse("portal:home"))
    assert page.locator("table.portal-cases").inner_text().count(finding.issue_code_id) == 1
    page.click("text=填写整改报告")
    page.click("button:has-text('开始填写')")
    page.fill("textarea[name$=-measures]", "已为全部生成图片添加显式标识和隐式标识")
    page.fill("input[name$=-completed_on]", "2026-11-20")
    page.set_input_files("input[name$=-files]", str(evidence))
    page.fill("input[name=responsible_person]", "张总")
    page.check("input[name=declaration]")
    page.click("button[name=submit]")
    page.wait_for_selector("text=整改报告已提交")
    report = enterprise_user.enterprise.rectification_reports.get()
    assert report.status == ReportStatus.SUBMITTED

    # The inspector asks for changes.
    login(inspector)
    page.goto(reverse("rectification:report_detail", args=[report.pk]))
    assert page.locator(".rx-files a").first.inner_text() == "整改截图.png"
    page.check("input[value=changes_requested]")
    page.fill("textarea[name=comment]", "请补充隐式标识检测截图")
    page.click("button:has-text('提交审核意见')")
    page.wait_for_selector("text=审核意见已记录")

    # The enterprise sees the comment and resubmits a new version.
    login(enterprise_user)
    page.goto(reverse("portal:report_detail", args=[report.pk]))
    assert "请补充隐式标识检测截图" in page.content()
    page.click("button:has-text('修改：形成新版本')")
    page.fill("textarea[name$=-measures]", "已补充隐式标识检测截图")
    page.check("input[name=declaration]")
    page.click("button[name=submit]")
    page.wait_for_selector("text=整改报告已提交")
    v2 = report.next_version

    # The inspector accepts; the finding closes.
    login(inspector)
    page.goto(reverse("rectification:report_detail", args=[v2.pk]))
    page.check("input[value=accepted]")
    page.click("button:has-text('提交审核意见')")
    page.wait_for_selector("text=审核意见已记录")
    page.screenshot(path=".screenshots/rectification/review_accepted.png", full_page=True)

    finding.refresh_from_db()
    v2.refresh_from_db()
    assert v2.status == ReportStatus.ACCEPTED
    assert finding.status == FindingStatus.ACCEPTED and finding.closed_at is not None
    subjects = [m.subject for m in mail.outbox]
    assert sum("提交了第 1 版整改报告" in s for s in subjects) == 2  # both officers
    assert sum("第 1 版整改报告被退回补正" in s for s in subjects) == 1
    assert sum("提交了第 2 版整改报告" in s for s in subjects) == 2
    assert sum("第 2 版整改报告已审核通过" in s for s in subjects) == 1
