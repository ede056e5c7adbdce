"""
Fast sample checking: the file decides the modality, a sample of an
enterprise with several services names its service, and the remaining
checks are answered in one click without touching what the automatic
checks still have to answer.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inspections.models import CheckResult, Inspection, ItemCheck, SampledItem
from inspections.selectors import applicable_codes
from tests.factories import InspectionFactory, SampledItemFactory, ServiceFactory


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def inspection(inspector, second_inspector, enterprise):
    return InspectionFactory(enterprise=enterprise, status=Inspection.Status.DUE,
                             officers=[inspector, second_inspector])


def _post_item(client, inspection, **fields):
    data = {"content_ref": "https://app.example.cn/p/1", "channel": "download",
            "captured_at": "2026-11-02T10:00", "modality": ""}
    data.update(fields)
    return client.post(reverse("inspections:item_create", args=[inspection.pk]), data,
                       HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_png_is_recorded_as_an_image_without_choosing(inspection, inspector, client_for):
    response = _post_item(client_for(inspector), inspection,
                          file=SimpleUploadedFile("poster.txt", png_bytes(), "text/plain"))
    assert response.status_code == 302
    assert SampledItem.objects.get(inspection=inspection).modality == "image"


def test_without_a_file_the_modality_must_be_chosen(inspection, inspector, client_for):
    response = _post_item(client_for(inspector), inspection)
    assert response.status_code == 200
    assert "未上传文件时，请选择模态" in response.content.decode()
    assert not SampledItem.objects.exists()


def test_several_services_make_the_service_required(inspection, inspector, client_for):
    ServiceFactory(enterprise=inspection.enterprise, name="星河助手")
    second = ServiceFactory(enterprise=inspection.enterprise, name="星河绘图")
    client = client_for(inspector)
    refused = _post_item(client, inspection, modality="text")
    assert refused.status_code == 200
    assert "请选择本内容所属的服务" in refused.content.decode() or "必填" in refused.content.decode()
    assert not SampledItem.objects.exists()
    assert _post_item(client, inspection, modality="text", service=second.pk).status_code == 302
    assert SampledItem.objects.get().service == second


def test_one_service_is_chosen_for_the_inspector(inspection, inspector, client_for):
    only = ServiceFactory(enterprise=inspection.enterprise, name="星河助手")
    page = client_for(inspector).get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    form = page.context["item_form"]
    assert form.initial["service"] == only.pk and form.fields["service"].required is False


def test_the_sample_form_comes_first_on_the_inspection_page(inspection, inspector, client_for):
    html = client_for(inspector).get(
        reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert html.index('id="add-item"') < html.index('id="label-checks"') < html.index('id="add-finding"')
    assert html.index('name="file"') < html.index('name="modality"')


def _applicable(item):
    return {c.pk for c in applicable_codes(modality=item.modality, roles=item.inspection.enterprise.roles)}


def test_the_remaining_checks_pass_in_one_click(inspection, inspector, client_for):
    item = SampledItemFactory(inspection=inspection, modality="text", file="")
    codes = sorted(_applicable(item))
    client = client_for(inspector)
    response = client.post(reverse("inspections:item_detail", args=[item.pk]),
                           {f"result_{codes[0]}": "fail", f"note_{codes[0]}": "无提示",
                            "remaining": "pass"})
    item.refresh_from_db()
    answers = dict(item.checks.values_list("issue_code_id", "result"))
    assert set(answers) == set(codes)
    assert answers[codes[0]] == CheckResult.FAIL
    assert {answers[c] for c in codes[1:]} == {CheckResult.PASS}
    assert item.checks_completed_at is not None
    # A failure stays on the item, where its finding is created.
    assert response["Location"] == reverse("inspections:item_detail", args=[item.pk])


def test_all_remaining_not_applicable_and_back_to_the_next_sample(inspection, inspector, client_for):
    item = SampledItemFactory(inspection=inspection, modality="image", file="")
    response = client_for(inspector).post(reverse("inspections:item_detail", args=[item.pk]),
                                          {"remaining": "na"})
    item.refresh_from_db()
    assert set(item.checks.values_list("result", flat=True)) == {CheckResult.NOT_APPLICABLE}
    assert item.checks.count() == len(_applicable(item))
    assert response["Location"].endswith("#add-item")


def test_the_remaining_leave_the_automatic_checks_to_them(inspection, inspector, client_for):
    """A file whose label check has not run yet: IMP answers are the checker's, not "pass"."""
    item = SampledItemFactory(inspection=inspection, modality="image", file="sample.png",
                              label_checked_at=None)
    client_for(inspector).post(reverse("inspections:item_detail", args=[item.pk]), {"remaining": "pass"})
    answered = set(item.checks.values_list("issue_code_id", flat=True))
    assert answered and not any(code.startswith("IMP-0") and code != "IMP-09" and code != "IMP-10"
                                for code in answered)
    assert not ItemCheck.objects.filter(item=item, issue_code_id="IMP-01").exists()
    item.refresh_from_db()
    assert item.checks_completed_at is None


def test_a_bulk_answer_other_than_pass_or_na_is_refused(inspection, inspector, client_for):
    item = SampledItemFactory(inspection=inspection, modality="text", file="")
    client_for(inspector).post(reverse("inspections:item_detail", args=[item.pk]), {"remaining": "fail"})
    assert not item.checks.exists()
