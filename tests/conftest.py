"""
Persona fixtures (inspector, supervisor, analyst, admin, two enterprise users
of two different enterprises) and helpers for tests that need real services.

Tests that need PostgreSQL, Redis, a Celery worker or Chromium call
`require_service`: in CI (LABELWATCH_REQUIRE_SERVICES=1) a missing service
fails the test; on a bare laptop it skips with the reason.
"""

import os

import pytest

from accounts.models import Role
from tests.factories import EnterpriseFactory, EnterpriseUserFactory, UserFactory
from tests.otp import force_login_verified

# Playwright's sync API runs an event loop; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("LABELWATCH_REQUIRE_SERVICES") == "1"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_service(name: str, available: bool, reason: str) -> None:
    if available:
        return
    message = f"{name} is not available: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (required in CI)")
    pytest.skip(message)


def pytest_configure(config):
    from django.conf import settings

    # Fast hashing: tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Test transactions roll back without signals; never reuse a calendar.
    from inspections.workdays import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    # Cached counts (campaign progress) must not leak between tests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def inspector(db):
    return UserFactory(username="inspector", role=Role.INSPECTOR, first_name="王检查")


@pytest.fixture
def second_inspector(db):
    return UserFactory(username="inspector2", role=Role.INSPECTOR, first_name="刘检查")


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", role=Role.SUPERVISOR, first_name="陈主管")


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", role=Role.ANALYST, first_name="赵分析")


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True, first_name="管理员"
    )


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="北京甲智能科技有限公司")


@pytest.fixture
def other_enterprise(db):
    return EnterpriseFactory(name="北京乙网络技术有限公司")


@pytest.fixture
def enterprise_user(enterprise):
    return EnterpriseUserFactory(username="alice", enterprise=enterprise)


@pytest.fixture
def other_enterprise_user(other_enterprise):
    return EnterpriseUserFactory(username="charlie", enterprise=other_enterprise)


@pytest.fixture
def staff_users(inspector, supervisor, analyst, admin_user):
    return {"inspector": inspector, "supervisor": supervisor, "analyst": analyst, "admin": admin_user}


@pytest.fixture
def client_for(client):
    """Return a test client logged in as the given user."""

    def login(user):
        # Supervisors and admins also give their second factor (tests/otp.py).
        return force_login_verified(client, user)

    return login


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    require_service("Chromium", os.path.exists(CHROMIUM_PATH), f"{CHROMIUM_PATH} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Irreversible steps ask first (window.confirm): a person reads and says
    # yes. Each question is kept, so a test can check what was asked.
    page.confirmations = []

    def answer_yes(dialog):
        page.confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer_yes)
    yield page
    context.close()
