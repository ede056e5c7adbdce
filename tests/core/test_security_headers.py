"""CSP without unsafe-inline, HSTS, nosniff, Referrer-Policy on every page; no inline code left."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from core.security_headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(r"""\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]|<script(?![^>]*\bsrc=)(?![^>]*type="application/json")""",
                    re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/reports/verify/", "/reports/results/",
                                 "/does-not-exist/"])
def test_every_page_carries_the_security_headers(client, url, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(url, secure=True)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self';" in policy and "style-src 'self' 'sha256-" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_staff_pages_carry_it_too(client_for, inspector):
    response = client_for(inspector).get(reverse("enterprises:list"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_served_to_browsers_has_inline_scripts_handlers_or_styles():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.relative_to(TEMPLATES).parts:
            continue  # rendered into PDFs by WeasyPrint, never served as pages
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not found, found
