"""Sampled items: uploads checked by content, checks, the label-checker seam, findings from checks."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.exceptions import ApplicationError
from inspections import selectors as inspection_selectors
from inspections.forms import ItemForm
from inspections.models import CheckResult, Finding, Inspection, InspectionService, ItemCheck
from inspections.services import findings as finding_services
from inspections.services import inspections as inspection_services
from inspections.services import label_results as label_services
from inspections.tasks import check_item_labels_task
from tests.factories import InspectionFactory, SampledItemFactory, ServiceFactory


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def inspection(inspector, second_inspector, enterprise):
    return InspectionFactory(enterprise=enterprise, status=Inspection.Status.DUE,
                             officers=[inspector, second_inspector])


def _create(inspection, actor, **kwargs):
    return inspection_services.item_create(inspection=inspection, actor=actor, modality="image",
                                content_ref="https://example.cn/a.png", channel="download",
                                captured_at=timezone.now(), **kwargs)


def test_an_upload_is_hashed_typed_by_content_and_label_checked(
        inspection, inspector, django_capture_on_commit_callbacks):
    data = png_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        item = _create(inspection, inspector, file=SimpleUploadedFile("photo.jpg", data, "image/jpeg"))
    item.refresh_from_db()
    assert item.file_sha256 == hashlib.sha256(data).hexdigest()
    assert item.file_type == "png" and item.file_size == len(data)
    assert "photo" not in item.file.name  # stored under a generated name
    # The task ran (eager): a PNG without any label is "not found" → IMP-01 fails.
    assert item.label_verdict == "not_found"
    check = item.checks.get(issue_code_id="IMP-01")
    assert (check.result, check.source) == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.IN_PROGRESS


def test_an_upload_is_refused_by_content_and_by_size(inspection, inspector, settings):
    with pytest.raises(ValidationError):
        _create(inspection, inspector, file=SimpleUploadedFile("x.png", b"MZ\x90\x00" * 10))
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        _create(inspection, inspector, file=SimpleUploadedFile("x.png", png_bytes()))
    with pytest.raises(ValidationError):
        _create(inspection, inspector, screenshot=SimpleUploadedFile("s.png", b"%PDF-1.7 fake"))


def test_the_label_check_task_is_a_no_op_without_a_file(inspection, inspector):
    item = SampledItemFactory(inspection=inspection)
    assert check_item_labels_task(item.pk) == "skipped"
    item.refresh_from_db()
    assert item.label_verdict == ""


@pytest.mark.parametrize(("verdict", "findings", "expected"), [
    ("compliant", [], {"IMP-01": "pass", "IMP-04": "pass"}),
    ("noncompliant", [{"rule": "IMP-04", "message": "Label 4"}], {"IMP-04": "fail", "IMP-01": "pass"}),
    ("not_found", [{"rule": "IMP-01", "message": "none"}], {"IMP-01": "fail"}),
    ("inconclusive", [], {}),
])
def test_item_apply_label_check_sets_the_imp_checks(inspection, verdict, findings, expected):
    item = SampledItemFactory(inspection=inspection, modality="image")
    label_services.item_apply_label_check(item=item, result={"verdict": verdict, "findings": findings},
                                    checker_version="1.0.0")
    got = dict(item.checks.values_list("issue_code_id", "result"))
    for code, result in expected.items():
        assert got[code] == result
    if verdict == "inconclusive":
        assert got == {}
    item.refresh_from_db()
    assert item.label_verdict == verdict and item.checker_version == "1.0.0"


def test_the_checker_never_overwrites_an_inspectors_answer(inspection, inspector):
    item = SampledItemFactory(inspection=inspection, modality="image")
    inspection_services.item_checks_save(item=item, actor=inspector, results={"IMP-01": ("pass", "人工核验")})
    label_services.item_apply_label_check(item=item, result={"verdict": "not_found", "findings": []},
                                    checker_version="1.0.0")
    assert item.checks.get(issue_code_id="IMP-01").result == "pass"


def test_checks_follow_modality_and_roles_and_complete_the_item(inspection, inspector):
    item = SampledItemFactory(inspection=inspection, modality="audio")
    codes = {c.pk for c in inspection_selectors.applicable_codes(modality="audio", roles=["generation_provider"])}
    assert "EXP-06" in codes and "EXP-05" not in codes and "PLT-02" not in codes and "FIL-01" not in codes
    with pytest.raises(ApplicationError):
        inspection_services.item_checks_save(item=item, actor=inspector, results={"EXP-05": ("fail", "")})
    answers = {code: ("pass", "") for code in codes}
    answers["EXP-06"] = ("fail", "无语音提示")
    inspection_services.item_checks_save(item=item, actor=inspector, results=answers)
    item.refresh_from_db()
    assert item.checks_completed_at is not None


def test_a_finding_from_a_failed_check_is_prefilled(inspection, inspector):
    item = SampledItemFactory(inspection=inspection, modality="image")
    inspection_services.item_checks_save(item=item, actor=inspector, results={"EXP-01": ("fail", "图片无AI生成字样")})
    check = item.checks.get(issue_code_id="EXP-01")
    finding = finding_services.finding_create_from_check(check=check, actor=inspector)
    assert finding.issue_code_id == "EXP-01"
    assert finding.description == "图片无AI生成字样"
    assert "第四条" in finding.legal_basis
    assert list(finding.evidence_items.all()) == [item]


def test_verdict_and_wilson_once_the_sample_is_checked(inspection, inspector):
    from inspections.models import InspectionService
    from inspections.selectors import inspection_sampled_services

    service = ServiceFactory(enterprise=inspection.enterprise)
    InspectionService.objects.create(inspection=inspection, service=service, lot_size=400,
                                     rule="gb2828", aql=1, code_letter="H", plan_letter="H",
                                     sample_size=3, accept_number=1, reject_number=2)
    for k in range(3):
        item = SampledItemFactory(inspection=inspection, service=service, modality="text")
        codes = inspection_selectors.applicable_codes(modality="text", roles=["generation_provider"])
        answers = {c.pk: ("pass", "") for c in codes}
        if k == 0:
            answers["EXP-03"] = ("fail", "")
        inspection_services.item_checks_save(item=item, actor=inspector, results=answers)
    row = inspection_sampled_services(inspection=inspection)[0]
    assert (row["checked"], row["failed"], row["verdict"]) == (3, 1, "accept")
    assert round(row["interval"].low, 4) == 0.0615
    assert Finding.objects.count() == 0


def test_the_item_form_starts_on_the_one_sampled_service_and_reads_the_modality_from_the_file(db):
    inspection = InspectionFactory()
    ServiceFactory(enterprise=inspection.enterprise, name="另一服务")
    dubbing = ServiceFactory(enterprise=inspection.enterprise, name="清言配音", has_text=False,
                             has_image=False, has_audio=True, has_video=False)
    InspectionService.objects.create(inspection=inspection, service=dubbing, lot_size=100, rule="gb2828",
                                     sample_size=20)
    form = ItemForm(inspection=inspection)
    # The modality starts on "from the file's type": a picture sampled from a
    # dubbing service is still a picture.
    assert form.initial["service"] == dubbing.pk and "modality" not in form.initial


def test_a_zip_bomb_upload_is_refused_with_a_message(inspection, inspector):
    from tests.hostile import MIB, zip_bomb

    bomb = SimpleUploadedFile("sample.docx", zip_bomb(inflated=1024 * MIB))
    with pytest.raises(ValidationError, match="解压"):
        _create(inspection, inspector, file=bomb)
    assert not inspection.items.exists()
