"""
Each role from logging in to its main task, in Debian's Chromium, counting
the clicks a person makes: a click on a link or button, a ticked box, the
file chooser, each option picked from a list (two: open it, pick), each
"OK" on a confirmation. Typing is not counted, nor the second factor's
"Continue" (a security step every supervisor takes once a session).

Measured before the home pages and hand-offs (issue 14): login → finding
recorded with evidence 12 clicks; login → notice issued, across the
inspector and the supervisor, 13 clicks.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from inspections.models import Finding, Inspection, InspectionService, IssueCode, SamplingRule
from reports.models import Notice, NoticeStatus
from tests.factories import (
    TEST_PASSWORD,
    CampaignFactory,
    EnterpriseFactory,
    FindingFactory,
    InspectionFactory,
    SampledItemFactory,
    ServiceFactory,
)
from tests.labels.explicit import media
from tests.reports.factories import ensure_law_data

# Set LABELWATCH_SCREENSHOTS=<dir> to keep screenshots of each home page.
SCREENSHOTS = os.environ.get("LABELWATCH_SCREENSHOTS")


class Clicks:
    """Drive the page as a person does, counting their clicks."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, selector: str, **kwargs) -> None:
        self.count += 1
        self.page.click(selector, **kwargs)

    def choose_file(self, selector: str, path: Path) -> None:
        self.count += 1
        self.page.set_input_files(selector, str(path))

    def log_in(self, user) -> None:
        from accounts.second_factor import second_factor_required
        from tests.otp import authenticator, code_now

        device = authenticator(user) if second_factor_required(user) else None
        self.page.context.clear_cookies()
        self.page.goto("/accounts/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", TEST_PASSWORD)
        self.click("form button[type=submit].primary")
        if device is not None:
            self.page.wait_for_url(re.compile(r"/accounts/two-step/verify/"))
            self.page.fill("input[name=token]", code_now(device))
            self.page.click("form button[type=submit].primary")  # not counted: see above

    @property
    def total(self) -> int:
        """Clicks plus the "OK"s given to confirmations."""
        return self.count + len(self.page.confirmations)


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def ensure_taxonomy() -> None:
    """The issue codes shipped by a data migration: a transactional test's flush empties them."""
    if not IssueCode.objects.filter(code="IMP-01").exists():
        import importlib

        from django.apps import apps

        importlib.import_module("inspections.migrations.0002_taxonomy").load(apps, None)


@pytest.fixture
def todays_inspection(inspector, second_inspector):
    """An inspection of the inspector's today, sampling one image service."""
    ensure_law_data()
    ensure_taxonomy()
    enterprise = EnterpriseFactory(name="北京星河智算科技有限公司")
    service = ServiceFactory(enterprise=enterprise, name="星河绘图", has_text=False, has_image=True,
                             has_audio=False, has_video=False)
    campaign = CampaignFactory(team=[inspector, second_inspector])
    inspection = InspectionFactory(campaign=campaign, enterprise=enterprise,
                                   officers=[inspector, second_inspector],
                                   planned_date=timezone.localdate(),
                                   status=Inspection.Status.IN_PROGRESS,
                                   started_at=timezone.now())
    InspectionService.objects.create(inspection=inspection, service=service, lot_size=5000,
                                     rule=SamplingRule.GB2828, code_letter="L", plan_letter="L",
                                     sample_size=200)
    return inspection


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inspector_login_to_finding_recorded_with_evidence(page, inspector, todays_inspection,
                                                            tmp_path):
    image = tmp_path / "海报.png"
    # A generated picture carrying a visible "AI生成" mark and no implicit label.
    image.write_bytes(media.png(media.label_image(1280, 720, ratio=0.05)))
    clicks = Clicks(page)
    clicks.log_in(inspector)
    page.wait_for_url(re.compile(r"/work/$"))
    shot(page, "home-inspector")
    clicks.click(f"[data-testid=inspections] a:has-text('{todays_inspection.enterprise.name}')")
    page.fill("#add-item input[name=content_ref]", "https://xinghe.example.cn/p/1")
    clicks.choose_file("#add-item input[name=file]", image)
    # The upload answers once both label checkers have read the file (eager here).
    clicks.click("#add-item button[type=submit]", timeout=90_000)
    # The label checker read the file: no implicit label, IMP-01 offered as a finding.
    clicks.click("tr:has(td.mono:text-is('IMP-01')) a.button")
    clicks.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r"/inspections/findings/\d+/$"))

    finding = Finding.objects.get(inspection=todays_inspection)
    assert finding.issue_code_id == "IMP-01"
    assert finding.evidence_items.get().file_name == "海报.png"
    assert clicks.total <= 6, clicks.total


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_to_notice_issued_across_inspector_and_supervisor(page, inspector, supervisor,
                                                               todays_inspection):
    item = SampledItemFactory(inspection=todays_inspection, captured_by=inspector,
                              file_name="海报.png", file_sha256="ab" * 32)
    finding = FindingFactory(inspection=todays_inspection, created_by=inspector,
                             issue_code=IssueCode.objects.get(code="IMP-01"),
                             description="抽检的图片文件未添加隐式标识")
    finding.evidence_items.set([item])
    clicks = Clicks(page)

    # The inspection is finished: its finding waits on the inspector's home
    # for a notice, which the inspector drafts and hands on.
    Inspection.objects.filter(pk=todays_inspection.pk).update(status=Inspection.Status.COMPLETED,
                                                              completed_at=timezone.now())
    clicks.log_in(inspector)
    page.wait_for_url(re.compile(r"/work/$"))
    clicks.click(f"[data-testid=draft-notice-{todays_inspection.pk}]")
    clicks.click("button:has-text('生成草稿')")
    clicks.click("button[name=submit_for_approval]")
    page.wait_for_selector("text=已保存并提交审批")
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.SUBMITTED
    inspector_clicks = clicks.total

    # The supervisor finds it on the home page, approves and issues it.
    clicks.log_in(supervisor)
    page.wait_for_url(re.compile(r"/work/$"))
    shot(page, "home-supervisor")
    clicks.click(f"[data-testid=notices] a[href='{notice.get_absolute_url()}']")
    clicks.click("form[action$='/approve/'] button")
    page.wait_for_selector("text=通知书已审批")
    clicks.click("form[action$='/issue/'] button", timeout=90_000)  # renders the PDF
    page.wait_for_selector("text=通知书已签发", timeout=90_000)

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.number
    assert len(page.confirmations) == 3  # submitted, approved, issued: each asked first
    assert inspector_clicks <= 5, inspector_clicks
    assert clicks.total <= 11, clicks.total


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_analyst_login_to_latest_figures(page, analyst):
    clicks = Clicks(page)
    clicks.log_in(analyst)
    page.wait_for_url(re.compile(r"/reports/analytics/"))
    assert clicks.total == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enterprise_user_login_to_portal_home(page, enterprise_user):
    clicks = Clicks(page)
    clicks.log_in(enterprise_user)
    page.wait_for_url(re.compile(r"/portal/$"))
    assert clicks.total == 1
