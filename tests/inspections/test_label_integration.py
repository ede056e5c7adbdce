"""
The label checker inside inspections: an uploaded file is checked in the
Celery task (eager here), its result and the checker version are stored on
the item, the IMP checks are filled (never over an inspector's answer),
failing rules become suggested findings, stale results can be re-run, and
text samples get EXP-03 automatically. Files are built by tests/labels/builders.
"""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent
from inspections import labels
from inspections.models import CheckResult, Finding, Inspection, ItemCheck, SampledItem
from inspections.services import inspections as inspection_services
from inspections.services import label_results as label_services
from inspections.tasks import check_item_labels_task
from tests.factories import EnterpriseFactory, InspectionFactory, SampledItemFactory
from tests.labels import builders

CHECKER_IMP = {f"IMP-0{n}" for n in range(1, 9)}


def labelled_png(**overrides) -> bytes:
    return builders.png_xmp(builders.label_json(wrapped=True, **overrides))


def truncated_mp4() -> bytes:
    data = builders.mp4_bytes(builders.label_json(wrapped=True))
    return data[:-40]  # moov runs past the end of the file


@pytest.fixture
def labelled_enterprise(db):
    # The builders' provider code embeds this USCC (IMP-08 passes).
    return EnterpriseFactory(name="北京标识智能科技有限公司", uscc=builders.ENTERPRISE_USCC)


@pytest.fixture
def inspection(labelled_enterprise, inspector, second_inspector):
    return InspectionFactory(enterprise=labelled_enterprise, status=Inspection.Status.DUE,
                             officers=[inspector, second_inspector])


@pytest.fixture
def upload(inspection, inspector, django_capture_on_commit_callbacks):
    """Record an item with a file through the service; the task runs on commit."""

    def record(data: bytes, name: str = "sample.bin", *, run_task: bool = True, **kwargs):
        fields = {"modality": "image", "content_ref": f"https://app.example.cn/c/{name}",
                  "channel": "download", "captured_at": timezone.now()}
        fields.update(kwargs)
        with django_capture_on_commit_callbacks(execute=run_task):
            item = inspection_services.item_create(inspection=inspection, actor=inspector,
                                        file=SimpleUploadedFile(name, data), **fields)
        item.refresh_from_db()
        return item

    return record


def checks_of(item) -> dict[str, tuple[str, str]]:
    return {c.issue_code_id: (c.result, c.source) for c in item.checks.all()}


def test_an_uploaded_labelled_png_is_compliant_and_passes_the_checker_imp_checks(
        inspection, inspector, client_for, django_capture_on_commit_callbacks):
    data = labelled_png()
    client = client_for(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inspections:item_create", args=[inspection.pk]), {
            "modality": "image", "content_ref": "https://app.example.cn/img/1", "channel": "download",
            "captured_at": "2026-11-02T10:00", "file": SimpleUploadedFile("海报.png", data),
        })
    assert response.status_code == 302
    item = SampledItem.objects.get(inspection=inspection)
    assert item.label_verdict == "compliant"
    assert item.checker_version == labels.CHECKER_VERSION and item.label_checked_at is not None
    assert item.label_result["format"] == "png" and item.label_result["reason"] is None
    assert item.label_result["label"]["ContentProducer"] == builders.PROVIDER_CODE
    assert item.label_result["path"] == "海报.png"
    checks = checks_of(item)
    for code in CHECKER_IMP:
        assert checks[code] == (CheckResult.PASS, ItemCheck.Source.AUTOMATIC)
    # The checker decides neither ProduceID uniqueness nor signatures.
    assert "IMP-09" not in checks and "IMP-10" not in checks

    page = client.get(reverse("inspections:item_detail", args=[item.pk])).content.decode()
    assert "png:iTXt:XMP:TC260:AIGC" in page and builders.PROVIDER_CODE in page
    assert 'data-testid="label-stale"' not in page


def test_label_aigc_fails_imp04_and_suggests_a_prefilled_finding(inspection, inspector, upload,
                                                                 client_for):
    data = labelled_png(Label="AIGC")
    item = upload(data, "fake-label.png")
    assert item.label_verdict == "noncompliant"
    checks = checks_of(item)
    assert checks["IMP-04"] == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    assert checks["IMP-01"][0] == CheckResult.PASS and checks["IMP-03"][0] == CheckResult.PASS

    client = client_for(inspector)
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert 'data-testid="suggest-IMP-04"' in page
    # The rule's message in the reader's language (from its kind and parameters), escaped.
    assert 'Label的值为&quot;AIGC&quot;' in page and "expected the string" not in page

    check = item.checks.get(issue_code_id="IMP-04")
    url = reverse("inspections:check_finding_create", args=[check.pk])
    form = client.get(url).context["form"]
    description = form.initial["description"]
    assert "fake-label.png" in description
    assert hashlib.sha256(data).hexdigest() in description
    assert 'Label的值为"AIGC"，应为字符串“1”“2”或“3”' in description
    assert "expected" not in description and "Label checker" not in description
    assert form.initial["legal_basis"] == check.issue_code.legal_basis

    response = client.post(url, {"description": description, "legal_basis": "", "severity": "",
                                 "change_reason": ""})
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == finding.get_absolute_url()
    assert finding.issue_code_id == "IMP-04" and finding.description == description
    assert list(finding.evidence_items.all()) == [item]
    assert "第五条" in finding.legal_basis

    # The suggestion is now answered, and a second submission creates nothing.
    page = client.get(reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert 'data-testid="suggest-IMP-04"' not in page
    client.post(url, {"description": description, "legal_basis": "", "severity": "",
                      "change_reason": ""})
    assert Finding.objects.count() == 1


def test_an_unreadable_label_fails_imp02_and_leaves_the_field_rules_open(upload):
    item = upload(builders.png_xmp('{"AIGC":{"Label":"1",'), "broken.png")
    assert item.label_verdict == "noncompliant"
    checks = checks_of(item)
    assert checks["IMP-02"] == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    assert checks["IMP-01"][0] == CheckResult.PASS  # a label is there, just unreadable
    # Fields that could not be read are neither passed nor failed.
    assert not set(checks) & {"IMP-03", "IMP-04", "IMP-05", "IMP-08"}


def test_an_unlabelled_jpeg_is_not_found_and_fails_only_imp01(upload):
    item = upload(builders.jpeg_bytes(), "photo.jpg")
    assert item.label_verdict == "not_found"
    checks = checks_of(item)
    assert checks["IMP-01"] == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    # Nothing else can be judged without a label.
    assert not (set(checks) & (CHECKER_IMP - {"IMP-01"}))


def test_a_truncated_mp4_is_inconclusive_with_the_reason_and_leaves_the_checks(
        upload, inspector, client_for, inspection):
    item = upload(truncated_mp4(), "clip.mp4", modality="video")
    assert item.label_verdict == "inconclusive"
    assert "runs past" in item.label_result["reason"]
    assert not set(checks_of(item)) & CHECKER_IMP
    page = client_for(inspector).get(
        reverse("inspections:inspection_detail", args=[inspection.pk])).content.decode()
    assert "runs past its parent" in page


def test_a_provider_code_of_another_enterprise_fails_imp08(inspector, second_inspector,
                                                          django_capture_on_commit_callbacks):
    other = EnterpriseFactory(uscc=builders.OTHER_VALID_USCC)
    inspection = InspectionFactory(enterprise=other, status=Inspection.Status.IN_PROGRESS,
                                   officers=[inspector, second_inspector])
    with django_capture_on_commit_callbacks(execute=True):
        item = inspection_services.item_create(
            inspection=inspection, actor=inspector, modality="image", channel="download",
            content_ref="https://b.example.cn/1", captured_at=timezone.now(),
            file=SimpleUploadedFile("a.png", labelled_png()))
    item.refresh_from_db()
    assert item.label_verdict == "noncompliant"
    check = item.checks.get(issue_code_id="IMP-08")
    assert check.result == CheckResult.FAIL and builders.OTHER_VALID_USCC in check.note


def test_an_inspectors_answer_is_never_overwritten(upload, inspector):
    item = upload(builders.jpeg_bytes(), "photo.jpg", run_task=False)
    inspection_services.item_checks_save(item=item, actor=inspector,
                              results={"IMP-01": ("pass", "平台下发副本中已人工核验")})
    assert check_item_labels_task(item.pk) == "not_found"
    check = item.checks.get(issue_code_id="IMP-01")
    assert (check.result, check.source, check.note) == ("pass", "manual", "平台下发副本中已人工核验")


def test_the_task_twice_changes_nothing_forced_or_not(upload):
    item = upload(labelled_png(Label="AIGC"), "x.png")
    state = lambda: (  # noqa: E731
        SampledItem.objects.values_list("label_checked_at", "updated_at", "label_result").get(pk=item.pk),
        sorted(ItemCheck.objects.filter(item=item).values_list("pk", "issue_code_id", "result",
                                                               "checked_at")),
        AuditEvent.objects.count(),
    )
    before = state()
    assert check_item_labels_task(item.pk) == "up-to-date"
    assert check_item_labels_task(item.pk, force=True) == "noncompliant"
    assert check_item_labels_task(item.pk, force=True) == "noncompliant"
    assert state() == before


def test_a_missing_stored_file_is_inconclusive_not_a_crash(upload):
    item = upload(labelled_png(), "gone.png")
    item.file.storage.delete(item.file.name)
    assert check_item_labels_task(item.pk, force=True) == "inconclusive"
    item.refresh_from_db()
    assert item.label_verdict == "inconclusive"
    assert "cannot be read" in item.label_result["reason"]
    # The automatic passes of the earlier result no longer stand.
    assert not set(checks_of(item)) & CHECKER_IMP
    assert check_item_labels_task(987654) == "skipped"


def test_a_rerun_after_a_checker_upgrade_rechecks_only_stale_items(
        upload, inspection, inspector, client_for, monkeypatch, django_capture_on_commit_callbacks):
    old = upload(builders.jpeg_bytes(), "old.jpg")
    released = labels.CHECKER_VERSION
    monkeypatch.setattr(labels, "CHECKER_VERSION", "9.9.9")
    new = upload(labelled_png(), "new.png")
    assert (old.checker_version, new.checker_version) == (released, "9.9.9")
    client = client_for(inspector)
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="label-stale"') == 1

    recheck = reverse("inspections:inspection_labels_recheck", args=[inspection.pk])
    new_checked_at = new.label_checked_at
    with django_capture_on_commit_callbacks(execute=True):
        client.post(recheck)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.checker_version == "9.9.9" and old.label_verdict == "not_found"
    assert new.label_checked_at == new_checked_at  # not stale: not re-run
    event = AuditEvent.objects.filter(action="inspection.labels_recheck").get()
    assert event.after["items"] == [old.pk] and event.after["force"] is False

    # Nothing is stale any more: a second request queues and records nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(recheck)
    assert callbacks == []
    assert AuditEvent.objects.filter(action="inspection.labels_recheck").count() == 1
    assert 'data-testid="label-stale"' not in client.get(url).content.decode()

    # Forced, every file is queued for both checks, implicit and explicit
    # (and the results do not change).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(recheck, {"force": "1"})
    assert len(callbacks) == 4
    old.refresh_from_db()
    assert old.label_verdict == "not_found"


def test_one_item_can_be_rechecked_from_its_page(upload, inspector, client_for,
                                                 django_capture_on_commit_callbacks, monkeypatch):
    item = upload(builders.jpeg_bytes(), "a.jpg")
    monkeypatch.setattr(labels, "CHECKER_VERSION", "2.0.0")
    client = client_for(inspector)
    detail = reverse("inspections:item_detail", args=[item.pk])
    assert 'data-testid="label-stale"' in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inspections:item_labels_recheck", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.checker_version == "2.0.0"
    assert AuditEvent.objects.filter(action="item.labels_recheck", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(("text", "result"), [
    ("本内容由AI生成，仅供参考。今日天气晴，适宜出行。", CheckResult.PASS),
    ("今日天气晴，适宜出行。" * 10 + "以上内容由人工智能合成", CheckResult.PASS),
    ("AI播客：今日天气晴，适宜出行。", CheckResult.FAIL),
])
def test_a_text_sample_gets_exp03_automatically(inspection, inspector, client_for, text, result):
    client = client_for(inspector)
    response = client.post(reverse("inspections:item_create", args=[inspection.pk]), {
        "modality": "text", "content_ref": "https://chat.example.cn/s/1", "channel": "platform",
        "captured_at": "2026-11-02T10:00", "text_sample": text,
    }, follow=True)
    item = SampledItem.objects.get(inspection=inspection)
    check = item.checks.get(issue_code_id="EXP-03")
    assert (check.result, check.source) == (result, ItemCheck.Source.AUTOMATIC)
    page = response.content.decode()
    assert 'data-testid="explicit-result"' in page and "EXP-03" in page
    if result == CheckResult.FAIL:
        assert check.note == "文本缺少“生成”或“合成”要素。"
        finding_url = reverse("inspections:check_finding_create", args=[check.pk])
        assert finding_url in page


def test_text_without_a_sample_or_other_modalities_get_no_exp03(upload, inspection, inspector):
    item = inspection_services.item_create(inspection=inspection, actor=inspector, modality="text",
                                content_ref="https://chat.example.cn/s/2", channel="platform",
                                captured_at=timezone.now())
    assert not item.checks.filter(issue_code_id="EXP-03").exists()
    image = upload(builders.jpeg_bytes(), "i.jpg", text_sample="AI生成")
    assert not image.checks.filter(issue_code_id="EXP-03").exists()


def test_access_enterprises_get_404_analysts_403_other_officers_403_outsiders_404(
        upload, inspection, client_for, enterprise_user, analyst, supervisor):
    item = upload(builders.jpeg_bytes(), "a.jpg")
    recheck = reverse("inspections:inspection_labels_recheck", args=[inspection.pk])
    item_recheck = reverse("inspections:item_labels_recheck", args=[item.pk])
    detail = reverse("inspections:inspection_detail", args=[inspection.pk])
    check = item.checks.get(issue_code_id="IMP-01")
    suggest = reverse("inspections:check_finding_create", args=[check.pk])

    client = client_for(enterprise_user)
    for url in (detail, reverse("inspections:item_detail", args=[item.pk])):
        assert client.get(url).status_code == 404
    for url in (recheck, item_recheck, suggest):
        assert client.post(url).status_code == 404

    client = client_for(analyst)
    assert client.get(detail).status_code == 200
    for url in (recheck, item_recheck, suggest):
        assert client.post(url).status_code == 403

    # Not on the campaign's team: the inspection does not exist for them.
    outsider = type(supervisor).objects.create(username="outsider", role="inspector")
    client = client_for(outsider)
    assert client.get(detail).status_code == 404
    assert client.post(recheck, {"force": "1"}).status_code == 404
    # On the team but not an officer of this inspection: may look, not act
    # (refused like any rule: the message, back on the inspection).
    teammate = type(supervisor).objects.create(username="teammate", role="inspector")
    inspection.campaign.team.add(teammate)
    client = client_for(teammate)
    assert client.get(detail).status_code == 200
    response = client.post(recheck, {"force": "1"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(detail)
    assert [str(m) for m in response.context["messages"]] == ["只有本次检查的执法人员或负责人可以修改。"]
    assert not AuditEvent.objects.filter(action="inspection.labels_recheck").exists()


def test_a_closed_inspection_is_not_rechecked(upload, inspection, inspector):
    item = upload(builders.jpeg_bytes(), "a.jpg")
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.COMPLETED)
    inspection.refresh_from_db()
    with pytest.raises(ApplicationError):
        label_services.inspection_labels_recheck(inspection=inspection, actor=inspector, force=True)
    item.refresh_from_db()
    assert item.label_verdict == "not_found"


def test_the_inspection_page_query_count_does_not_grow_with_files(
        inspection, inspector, client_for, django_assert_max_num_queries):
    client = client_for(inspector)
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    results = [
        {"verdict": "noncompliant", "format": "png", "label": {"Label": "AIGC"},
         "sites": [{"location": "png:tEXt:AIGC", "raw": "{}"}],
         "findings": [{"rule": "IMP-04", "message": "bad"}], "reason": None, "info": {}},
        {"verdict": "not_found", "format": "jpeg", "label": None, "sites": [],
         "findings": [{"rule": "IMP-01", "message": "none"}], "reason": None, "info": {}},
    ]

    def add(n):
        for k in range(n):
            item = SampledItemFactory(inspection=inspection, captured_by=inspector,
                                      file_name=f"f{k}.png", file_sha256="ab" * 32)
            label_services.item_apply_label_check(item=item, result=results[k % 2], checker_version="1.0.0")

    add(2)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="label-row"') == 10


# --- IMP-09: ProduceID unique per provider -------------------------------------


def test_two_different_files_with_one_produce_id_both_fail_imp09(upload, inspection):
    first = upload(labelled_png(), "a.png")
    assert "IMP-09" not in checks_of(first)  # one file proves nothing
    again = upload(labelled_png(), "a-again.png")  # the same content, uploaded twice: no breach
    assert "IMP-09" not in checks_of(again)

    second = upload(labelled_png(ReservedCode1="other-content"), "b.png")

    for item in (first, again, second):
        check = item.checks.get(issue_code_id="IMP-09")
        assert (check.result, check.source) == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    assert second.content_ref in first.checks.get(issue_code_id="IMP-09").note
    assert first.content_ref in second.checks.get(issue_code_id="IMP-09").note
    assert "20250901AB12CD34" in second.checks.get(issue_code_id="IMP-09").note
    assert AuditEvent.objects.filter(action="item.produce_id_check", object_id=str(first.pk)).exists()


def test_imp09_is_taken_back_when_the_pair_goes_and_never_overrides_an_inspector(
    upload, inspection, inspector
):
    first = upload(labelled_png(), "a.png")
    second = upload(labelled_png(ReservedCode1="other-content"), "b.png")
    third = upload(labelled_png(ReservedCode1="third", ProduceID="X-3", PropagateID="X-3"), "c.png")
    inspection_services.item_checks_save(item=third, actor=inspector, results={"IMP-09": ("pass", "已人工核对")})

    # The second file's label is read again and now carries another number.
    result = dict(second.label_result, label=dict(second.label_result["label"], ProduceID="X-3"))
    label_services.item_apply_label_check(item=second, result=result, checker_version=labels.CHECKER_VERSION)

    assert "IMP-09" not in checks_of(first)
    assert checks_of(second)["IMP-09"] == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    assert third.content_ref in second.checks.get(issue_code_id="IMP-09").note
    assert checks_of(third)["IMP-09"] == (CheckResult.PASS, ItemCheck.Source.MANUAL)

    # Read once more, the second file shows no label at all: its own failure goes too.
    label_services.item_apply_label_check(item=second, result={"verdict": "not_found", "label": None},
                                    checker_version=labels.CHECKER_VERSION)
    assert "IMP-09" not in checks_of(second)


def test_imp09_leaves_copies_of_one_content_and_other_providers_numbers_alone(upload, inspection):
    first = upload(labelled_png(), "a.png", content_ref="https://app.example.cn/p/1")
    # The same piece of content served again, re-encoded: same URL, other bytes.
    copy = upload(labelled_png(ReservedCode1="re-encoded"), "a-copy.png", content_ref="https://app.example.cn/p/1")
    assert "IMP-09" not in checks_of(first) and "IMP-09" not in checks_of(copy)

    # Another provider's numbering, disseminated by this enterprise: not its to keep unique.
    foreign = "001191110102MACQD9K64010000"
    upload(labelled_png(ContentProducer=foreign, ContentPropagator=foreign), "x.png")
    other = upload(labelled_png(ContentProducer=foreign, ContentPropagator=foreign, ReservedCode1="2"), "y.png")
    assert "IMP-09" not in checks_of(other)


def test_imp09_compares_files_of_one_enterprise_only(upload, inspection, inspector):
    upload(labelled_png(), "a.png")
    elsewhere = InspectionFactory(status=Inspection.Status.DUE, officers=[inspector])
    other = inspection_services.item_create(
        inspection=elsewhere, actor=inspector, modality="image", content_ref="https://x.cn/1",
        channel="download", captured_at=timezone.now(),
        file=SimpleUploadedFile("b.png", labelled_png(ReservedCode1="other-content")))
    check_item_labels_task.delay(item_id=other.pk)
    other.refresh_from_db()
    assert other.label_result["label"]["ProduceID"] == "20250901AB12CD34"
    assert "IMP-09" not in checks_of(other)


def test_a_text_sample_without_any_label_fails_exp01_not_exp03(inspection, inspector):
    item = inspection_services.item_create(inspection=inspection, actor=inspector, modality="text",
                                content_ref="https://chat.example.cn/s/3", channel="platform",
                                captured_at=timezone.now(), text_sample="今日天气晴，适宜出行。" * 20)
    check = item.checks.get(issue_code_id="EXP-01")
    assert (check.result, check.source) == (CheckResult.FAIL, ItemCheck.Source.AUTOMATIC)
    assert not item.checks.filter(issue_code_id="EXP-03").exists()
    labelled = inspection_services.item_create(
        inspection=inspection, actor=inspector, modality="text",
        content_ref="https://chat.example.cn/s/4", channel="platform", captured_at=timezone.now(),
        text_sample="今日天气晴。" * 20 + "\n【本段由AI生成】\n" + "适宜出行。" * 20)
    assert dict(labelled.checks.values_list("issue_code_id", "result")) == {
        "EXP-01": CheckResult.PASS, "EXP-03": CheckResult.PASS}


def test_checker_findings_are_said_in_the_readers_language(inspection, inspector, upload, client_for):
    """One stored result: Chinese for a Chinese reader, English for an English one; notes in Chinese."""
    item = upload(labelled_png(Label="AIGC", ContentProducer="001191440300708461136T5XGW3"), "two-problems.png")
    stored = {f["kind"]: f["params"] for f in item.label_result["findings"]}
    assert stored["label_value"]["value"] == '"AIGC"' and stored["service_type"]["value"] == "5"
    note = item.checks.get(issue_code_id="IMP-08").note
    assert "服务类型位为“5”，应为0、1或2" in note and "expected" not in note
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    page = client_for(inspector).get(url).content.decode()
    assert "服务类型位为“5”" in page and "has service type" not in page
    inspector.language = "en"
    inspector.save(update_fields=["language"])
    page = client_for(inspector).get(url).content.decode()
    assert "has service type “5”; it must be 0, 1 or 2" in page


def test_a_stored_result_without_kinds_is_said_by_its_rule(inspector, client_for):
    from django.utils import translation

    from inspections.checker_text import finding_text

    with translation.override("zh-hans"):
        text = finding_text({"rule": "IMP-04", "message": "png: Label is 2, expected the string"})
    assert text == "Label的值不是字符串“1”“2”或“3”。"


def test_a_platform_only_enterprise_is_told_why_no_finding_is_offered(
        inspection, inspector, client_for, upload):
    """IMP rules bind generation providers: a platform's unlabelled file gets a reason, not silence."""
    enterprise = inspection.enterprise
    enterprise.is_generation_provider = False
    enterprise.is_dissemination_platform = True
    enterprise.save()
    item = upload(builders.png_bytes(), "plain.png")
    assert item.label_verdict == "not_found"
    assert not item.checks.filter(issue_code__code__startswith="IMP-").exists()
    page = client_for(inspector).get(reverse("inspections:item_detail", args=[item.pk]),
                                     HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="label-role-note"' in page
    assert "IMP-01 约束的是生成合成服务提供者" in page and "传播平台" in page
    assert "不据此提出问题" in page


def test_a_generation_provider_gets_no_role_note(inspection, inspector, client_for, upload):
    item = upload(builders.png_bytes(), "plain.png")
    page = client_for(inspector).get(reverse("inspections:item_detail", args=[item.pk])).content.decode()
    assert item.label_verdict == "not_found"
    assert 'data-testid="label-role-note"' not in page
