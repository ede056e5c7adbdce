"""
Every upload goes through the one check (core.uploads): a file too large,
or not of a type its upload accepts, is refused with the same words on
every path, pages and API alike.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation

from core.exceptions import ApplicationError
from inspections.models import Inspection
from rectification import services as rectification
from tests.api.conftest import TokenClient, issue_token
from tests.factories import InspectionFactory
from tests.labels import builders
from tests.rectification.factories import PNG_BYTES, notified_finding
from tests.tipoffs.test_public import report_data, solve

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def too_large(limit: int) -> str:
    with translation.override("zh-hans"):
        return f"“big.png”超过了 {filesizeformat(limit)} 的大小限制。"


def big() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.png", PNG_BYTES + b"\x00" * 200, content_type="image/png")


def evil() -> SimpleUploadedFile:
    return SimpleUploadedFile("evil.png", EXECUTABLE, content_type="image/png")


def refused_as_wrong_type(message: str) -> bool:
    return message.startswith("“evil.png”不是可接受的") and message.endswith("系统按文件内容而非文件名进行识别。")


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = 100
    settings.TIPOFF_MAX_BYTES = 100
    return 100


@pytest.fixture
def inspection(inspector):
    return InspectionFactory(status=Inspection.Status.DUE, officers=[inspector])


def item_fields(**extra):
    return {"modality": "image", "content_ref": "https://app.example.cn/img/1", "channel": "download",
            "captured_at": timezone.now().isoformat(), **extra}


def api_messages(response) -> list[str]:
    assert response.status_code == 400, response.content
    return [m for messages in response.json()["error"]["fields"].values() for m in messages]


def test_an_item_upload_is_refused_alike_on_the_page_and_in_the_api(
        inspection, inspector, admin_user, client_for, small_limit):
    api = TokenClient(issue_token(inspector, admin=admin_user))
    url = f"/api/v1/inspections/{inspection.pk}/items/"
    assert api_messages(api.post(url, item_fields(file=big()), **ZH)) == [too_large(small_limit)]
    assert all(refused_as_wrong_type(m) for m in api_messages(api.post(url, item_fields(file=evil()), **ZH)))
    assert api_messages(api.post(url, item_fields(screenshot=big()), **ZH)) == [too_large(small_limit)]

    client = client_for(inspector)
    page_url = reverse("inspections:item_create", args=[inspection.pk])
    fields = {"content_ref": "https://app.example.cn/img/1", "channel": "download",
              "captured_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "modality": "image"}
    assert too_large(small_limit) in client.post(page_url, {**fields, "file": big()}, **ZH).content.decode()
    assert "“evil.png”不是可接受的" in client.post(page_url, {**fields, "file": evil()}, **ZH).content.decode()
    assert not inspection.items.exists()


def test_rectification_evidence_and_minutes_are_refused_alike(
        enterprise, enterprise_user, inspector, supervisor, small_limit):
    finding = notified_finding(enterprise, officers=[inspector])
    report = rectification.report_create(enterprise=enterprise, actor=enterprise_user, findings=[finding])
    response = report.responses.get()
    api = TokenClient(issue_token(enterprise_user))
    url = f"/api/v1/reports/{report.pk}/responses/{response.pk}/evidence/"
    assert api_messages(api.post(url, {"file": big()}, **ZH)) == [too_large(small_limit)]
    assert all(refused_as_wrong_type(m) for m in api_messages(api.post(url, {"file": evil()}, **ZH)))

    with translation.override("zh-hans"):
        for uploaded, expected in ((big(), too_large(small_limit)), (evil(), None)):
            with pytest.raises(ApplicationError) as refused:
                rectification.escalation_record(
                    enterprise=enterprise, actor=supervisor, kind="interview",
                    occurred_on=timezone.localdate() - datetime.timedelta(days=1), attendees="张总",
                    minutes=uploaded)
            message = str(refused.value.message)
            assert message == expected if expected else refused_as_wrong_type(message)
    assert not response.evidence.exists()


def test_a_tip_off_attachment_is_refused_alike(client, small_limit):
    page = client.get(reverse("tipoffs:report"), **ZH).content.decode()
    response = client.post(reverse("tipoffs:report"), {**report_data(file=big()), **solve(page)}, **ZH)
    assert response.status_code == 200
    assert too_large(small_limit) in response.content.decode()


def test_a_registry_import_and_a_notice_to_verify_are_refused_alike(client_for, supervisor, client,
                                                                    small_limit):
    staff = client_for(supervisor)
    big_table = SimpleUploadedFile("big.csv", b"name,uscc\n" + b"a,b\n" * 50)
    body = staff.post(reverse("enterprises:import"), {"file": big_table}, **ZH).content.decode()
    assert "“big.csv”超过了" in body
    not_a_table = SimpleUploadedFile("evil.csv", EXECUTABLE[:80])
    body = staff.post(reverse("enterprises:import"), {"file": not_a_table}, **ZH).content.decode()
    assert "“evil.csv”不是可接受的" in body and "CSV, XLSX" in body

    body = client.post(reverse("reports:verify"), {"file": evil()}, **ZH).content.decode()
    assert "“evil.png”不是可接受的" in body and "PDF" in body


def test_the_label_check_refuses_an_oversized_file_alike(inspector, admin_user, small_limit):
    api = TokenClient(issue_token(inspector, admin=admin_user))
    data = builders.png_xmp(builders.label_json(wrapped=True)) + b"\x00" * 200
    response = api.post("/api/v1/label-check/", {"file": SimpleUploadedFile("big.png", data)}, **ZH)
    assert api_messages(response) == [too_large(small_limit)]
    empty = api.post("/api/v1/label-check/", {"file": SimpleUploadedFile("empty.png", b"")}, **ZH)
    assert api_messages(empty) == ["“empty.png”是空文件。"]
