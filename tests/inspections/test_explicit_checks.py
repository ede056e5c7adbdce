"""
The explicit-label checker inside inspections: an uploaded file is checked
in its own Celery queue once the upload commits (eager here); the result,
the evidence files and the checker version are stored on the item; the EXP
checks are answered automatically, never over an inspector's own answer and
not at all when the result is uncertain; the item page shows the evidence;
a newer checker version re-runs the check.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from inspections.labels import explicit
from inspections.models import CheckResult, Inspection, ItemCheck, SampledItem
from inspections.services import explicit_results as explicit_checks
from inspections.services import findings as finding_services
from inspections.services import inspections as inspection_services
from inspections.services import label_results as label_services
from tests.factories import EnterpriseFactory, InspectionFactory
from tests.labels.explicit import media


@pytest.fixture
def inspection(inspector):
    return InspectionFactory(enterprise=EnterpriseFactory(), status=Inspection.Status.DUE,
                             officers=[inspector])


@pytest.fixture
def upload(inspection, inspector, django_capture_on_commit_callbacks):
    def record(data: bytes, name: str, modality: str, *, run_tasks: bool = True):
        with django_capture_on_commit_callbacks(execute=run_tasks):
            item = inspection_services.item_create(
                inspection=inspection, actor=inspector, modality=modality,
                content_ref=f"https://app.example.cn/c/{name}", channel="download",
                captured_at=timezone.now(), file=SimpleUploadedFile(name, data))
        item.refresh_from_db()
        return item

    return record


def answers(item) -> dict[str, tuple[str, str]]:
    return {c.issue_code_id: (c.result, c.source)
            for c in item.checks.filter(issue_code__pk__startswith="EXP")}


AUTO = ItemCheck.Source.AUTOMATIC


def test_a_small_image_label_fails_exp04_with_a_crop_as_evidence(upload, inspector, client_for):
    item = upload(media.png(media.label_image(640, 360, ratio=0.035)), "small.png", "image")
    assert item.explicit_status == "found"
    assert item.explicit_checker_version == explicit.EXPLICIT_CHECKER_VERSION
    assert answers(item) == {"EXP-01": ("pass", AUTO), "EXP-04": ("fail", AUTO),
                             "EXP-08": ("pass", AUTO)}
    note = item.checks.get(issue_code_id="EXP-04").note
    assert "最短边" in note and "shortest" not in note  # the record's language
    names = list(item.explicit_evidence.values_list("name", flat=True))
    assert names == ["crop-1.png", "overview.png"]
    assert AuditEvent.objects.filter(action="item.explicit_check", object_id=str(item.pk)).exists()

    page = client_for(inspector).get(reverse("inspections:item_detail", args=[item.pk]))
    content = page.content.decode()
    assert 'data-testid="explicit-evidence"' in content and "EXP-04" in content
    evidence = item.explicit_evidence.first()
    url = reverse("inspections:item_explicit_evidence", args=[item.pk, evidence.pk])
    assert url in content
    response = client_for(inspector).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # The failing rule is offered as a finding with the checker's facts.
    check = item.checks.get(issue_code_id="EXP-04")
    assert reverse("inspections:check_finding_create", args=[check.pk]) in content


def test_evidence_is_scoped_like_its_item(upload, client_for, enterprise_user, second_inspector):
    item = upload(media.png(media.label_image(640, 360, ratio=0.08)), "ok.png", "image")
    url = reverse("inspections:item_explicit_evidence", args=[item.pk, item.explicit_evidence.first().pk])
    assert client_for(enterprise_user).get(url).status_code == 404
    assert client_for(second_inspector).get(url).status_code == 404  # not on the campaign team


def test_an_inspectors_answer_is_never_overwritten(upload, inspector, django_capture_on_commit_callbacks):
    item = upload(media.png(media.label_image(640, 360, ratio=0.035)), "small.png", "image",
                  run_tasks=False)
    inspection_services.item_checks_save(item=item, actor=inspector,
                              results={"EXP-04": ("pass", "量过，字高够")})
    result = explicit_checks.item_check_explicit(item_id=item.pk)
    assert result == "found"
    item.refresh_from_db()
    check = item.checks.get(issue_code_id="EXP-04")
    assert (check.result, check.source, check.note) == ("pass", ItemCheck.Source.MANUAL, "量过，字高够")
    assert item.checks.get(issue_code_id="EXP-01").source == AUTO


def test_an_uncertain_result_leaves_the_checks_to_the_inspector(upload, inspector, client_for):
    samples = media.place(media.noise(4, amplitude=0.01), media.speech_like(3), 0.3)
    item = upload(media.wav(samples), "talk.wav", "audio")
    assert item.explicit_status == "inconclusive"
    assert answers(item) == {}
    assert "voice prompt" in item.explicit_result["reason"]
    page = client_for(inspector).get(reverse("inspections:item_detail", args=[item.pk])).content.decode()
    assert 'data-testid="explicit-reason"' in page
    assert item.explicit_evidence.filter(media_type="audio/wav").exists()


def test_audio_without_rhythm_fails_exp06_and_with_it_passes(upload):
    silent = upload(media.wav(media.noise(4, amplitude=0.01)), "quiet.wav", "audio")
    assert answers(silent) == {"EXP-06": ("fail", AUTO)}
    assert "短长短短" in silent.checks.get(issue_code_id="EXP-06").note
    rhythm = media.place(media.noise(4, amplitude=0.01), media.morse(media.AI_RHYTHM), 1)
    labelled = upload(media.wav(rhythm), "beep.wav", "audio")
    assert answers(labelled) == {"EXP-06": ("pass", AUTO)}


def test_a_text_file_is_read_for_its_label(upload):
    item = upload(("正文" * 100 + "\n（本文由AI生成）").encode(), "a.txt", "text")
    assert item.explicit_status == "found"
    assert answers(item) == {"EXP-01": ("pass", AUTO), "EXP-03": ("pass", AUTO)}


def test_the_task_is_routed_to_its_own_queue() -> None:
    from config.celery import app
    from inspections.tasks import check_item_explicit_label_task

    route = app.amqp.router.route({}, check_item_explicit_label_task.name)
    assert route["queue"].name == "explicit"
    other = app.amqp.router.route({}, "inspections.check_item_labels")
    assert other["queue"].name != "explicit"


def test_the_check_is_queued_after_the_upload_commits(upload, monkeypatch):
    from inspections import tasks

    queued = []
    monkeypatch.setattr(tasks.check_item_explicit_label_task, "delay",
                        lambda item_id, force=False: queued.append(item_id))
    item = upload(media.png(media.label_image(320, 180, text=None)), "x.png", "image",
                  run_tasks=False)
    assert queued == []  # nothing before the commit
    item = upload(media.png(media.label_image(320, 180, text=None)), "y.png", "image")
    assert queued == [item.pk]


def test_a_newer_checker_re_runs_the_check(upload, inspection, inspector, monkeypatch,
                                          django_capture_on_commit_callbacks):
    item = upload(media.png(media.label_image(640, 360, ratio=0.08)), "ok.png", "image")
    first_evidence = set(item.explicit_evidence.values_list("pk", flat=True))
    monkeypatch.setattr(explicit, "EXPLICIT_CHECKER_VERSION", "9.9.9")
    from inspections import labels

    monkeypatch.setattr(labels, "EXPLICIT_CHECKER_VERSION", "9.9.9")
    with django_capture_on_commit_callbacks(execute=True):
        label_services.inspection_labels_recheck(inspection=inspection, actor=inspector)
    item.refresh_from_db()
    assert item.explicit_checker_version == "9.9.9"
    assert not first_evidence & set(item.explicit_evidence.values_list("pk", flat=True))
    assert SampledItem.objects.get(pk=item.pk).explicit_status == "found"
    assert answers(item)["EXP-01"] == (CheckResult.PASS, AUTO)


def test_a_finding_from_a_failed_check_carries_the_evidence(upload, inspector, client_for):
    item = upload(media.png(media.label_image(640, 360, ratio=0.035)), "small.png", "image")
    check = item.checks.get(issue_code_id="EXP-04")
    description = finding_services.finding_description_for_check(check=check)
    crop = item.explicit_evidence.get(name="crop-1.png")
    assert "显式标识检测程序" in description and crop.sha256 in description
    assert "最短边" in description
    finding = finding_services.finding_create_from_check(check=check, actor=inspector)
    assert list(finding.evidence_items.all()) == [item]
