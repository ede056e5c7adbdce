"""The public side of tip-offs: the form (no login), the CAPTCHA, the tracking page."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from tipoffs import captcha
from tipoffs.models import ReplyRule, TipOff

NUMERALS = "零一二三四五六七八九十"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def solve(page: str) -> dict:
    """Answer the form's check as a person would, from the page."""
    a, b = re.search(r"(\S)加(\S)等于几", page).groups()
    token = re.search(r'name="captcha_token" value="([^"]+)"', page).group(1)
    return {"captcha_answer": str(NUMERALS.index(a) + NUMERALS.index(b)), "captcha_token": token}


def report_data(**overrides) -> dict:
    data = {"category": "EXP", "service_name": "某某AI绘画App", "url": "https://example.com/post/1",
            "description": "该App生成的图片没有任何AI生成标识，已在社交平台大量传播。",
            "seen_on": "2026-11-20", "reporter_name": "张先生", "reporter_contact": "13800000000"}
    data.update(overrides)
    return data


@pytest.fixture
def form_page(client, db):
    response = client.get(reverse("tipoffs:report"))
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_reports_and_gets_a_tracking_code_then_sees_only_public_states(client, form_page):
    response = client.post(reverse("tipoffs:report"), {**report_data(), **solve(form_page)})
    assert response.status_code == 302
    tipoff = TipOff.objects.get()
    assert re.fullmatch(r"JB[2-9A-HJ-NP-Z]{10}", tipoff.tracking_code)
    assert tipoff.status == "received" and tipoff.reporter_contact == "13800000000"
    rules = {r.step: r for r in ReplyRule.objects.all()}
    assert (tipoff.conclude_due - timezone.localdate(tipoff.created_at)).days == rules["conclude"].days
    assert AuditEvent.objects.filter(action="tipoff.create", object_id=str(tipoff.pk)).exists()

    page = client.get(response.url).content.decode()
    assert tipoff.tracking_code in page

    status = client.get(reverse("tipoffs:track"), {"code": tipoff.tracking_code.lower()}).content.decode()
    assert "已收到" in status
    for private in ("13800000000", "张先生", "某某AI绘画App", "没有任何AI生成标识", "received"):
        assert private not in status


def test_a_wrong_or_reused_check_is_refused_and_what_was_typed_is_kept(client, form_page):
    answer = solve(form_page)
    wrong = {**answer, "captcha_answer": str(int(answer["captcha_answer"]) + 1)}
    response = client.post(reverse("tipoffs:report"), {**report_data(), **wrong})
    assert response.status_code == 200 and not TipOff.objects.exists()
    page = response.content.decode()
    assert "没有任何AI生成标识" in page and "13800000000" in page
    # The refused page asks a new question; the used token never works again.
    assert client.post(reverse("tipoffs:report"), {**report_data(), **answer}).status_code == 200
    assert client.post(reverse("tipoffs:report"), {**report_data(), **solve(page)}).status_code == 302
    assert TipOff.objects.count() == 1


def test_a_double_post_records_one_report(client, form_page):
    answer = solve(form_page)
    client.post(reverse("tipoffs:report"), {**report_data(), **answer})
    client.post(reverse("tipoffs:report"), {**report_data(), **answer})
    assert TipOff.objects.count() == 1


def test_the_file_is_label_checked_at_once(client, form_page):
    upload = SimpleUploadedFile("截图.png", PNG, content_type="image/png")
    response = client.post(reverse("tipoffs:report"), {**report_data(), **solve(form_page), "file": upload})
    assert response.status_code == 302
    tipoff = TipOff.objects.get()
    assert tipoff.file_kind == "png" and tipoff.label_verdict == "not_found"
    assert tipoff.file.name.endswith(f"{tipoff.tracking_code}.png")
    page = client.get(response.url).content.decode()
    assert 'data-testid="label-verdict"' in page and "未" in page


def test_bounded_input_gives_clear_errors_never_500(client, form_page, settings):
    settings.TIPOFF_MAX_BYTES = 100
    settings.TIPOFF_RATE_LIMIT = 100
    cases = [
        {"description": "长" * 3001},
        {"service_name": "x" * 201},
        {"url": "javascript:alert(1)"},
        {"seen_on": "2999-01-01"},
        {"category": "nonsense"},
        {"file": SimpleUploadedFile("a.png", PNG * 3, content_type="image/png")},
        {"file": SimpleUploadedFile("a.exe", b"MZ" + b"\x00" * 50, content_type="application/octet-stream")},
    ]
    for case in cases:
        response = client.post(reverse("tipoffs:report"), {**report_data(**case), **solve(form_page)})
        assert response.status_code == 200, case
        assert 'class="fielderror"' in response.content.decode(), case
        form_page = response.content.decode()
    assert not TipOff.objects.exists()
    assert client.get(reverse("tipoffs:track"), {"code": "x" * 500}).status_code == 200
    # A NUL byte is refused at the edge (400 in the reader's language), never a 500.
    assert client.get(reverse("tipoffs:track"), {"code": "JB\x00AAAA"}).status_code == 400


def test_reports_are_rate_limited(client, form_page, settings):
    settings.TIPOFF_RATE_LIMIT = 2
    page = form_page
    for _n in range(2):
        response = client.post(reverse("tipoffs:report"), {**report_data(), **solve(page)})
        assert response.status_code == 302
        page = client.get(reverse("tipoffs:report")).content.decode()
    response = client.post(reverse("tipoffs:report"), {**report_data(), **solve(page)})
    assert response.status_code == 429 and TipOff.objects.count() == 2


def test_the_check_works_offline_and_once():
    question, token = captcha.new_challenge()
    a, b = re.search(r"(\S)加(\S)等于几", question).groups()
    answer = NUMERALS.index(a) + NUMERALS.index(b)
    assert captcha.check(token, answer)
    assert not captcha.check(token, answer)  # used
    question, token = captcha.new_challenge()
    assert not captcha.check(token, 99)
    assert not captcha.check("forged", answer)
