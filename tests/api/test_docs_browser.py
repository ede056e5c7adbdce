"""
Swagger UI and ReDoc in a real browser, as a developer opens them on the
agency's own host: every operation is listed, and the page asks nothing of
any other host (no CDN, no fonts, no online validator badge).
"""

import re
from urllib.parse import urlsplit

import pytest

# Not localhost: Swagger UI shows its online-validator badge (an image from
# validator.swagger.io, which would fetch the schema) on any other host.
DOCS_HOST = "docs.labelwatch.test"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path,operation", [
    ("/api/v1/docs/", ".opblock"),
    ("/api/v1/redoc/", '[data-section-id^="operation/"]'),
])
def test_the_documentation_opens_offline_on_the_agencys_host(chromium, live_server, settings, path,
                                                             operation):
    settings.ALLOWED_HOSTS = [DOCS_HOST]
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    elsewhere: list[str] = []

    def serve(route):
        url = urlsplit(route.request.url)
        if url.hostname != DOCS_HOST:
            elsewhere.append(route.request.url)
            route.abort()
            return
        # The agency's host is this test's live server, reached under its name.
        upstream = route.fetch(url=live_server.url + url.path + (f"?{url.query}" if url.query else ""),
                               headers={**route.request.headers, "host": DOCS_HOST})
        route.fulfill(response=upstream)

    context.route("**/*", serve)
    try:
        page.goto(f"http://{DOCS_HOST}{path}")
        page.wait_for_selector(operation, timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert page.locator(operation).count() >= 35
        assert not re.search(r"validator\.swagger\.io", page.content())
    finally:
        context.close()
    assert elsewhere == []
