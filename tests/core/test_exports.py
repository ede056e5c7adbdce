"""Background exports: large exports become jobs, owners download, old files go."""

import datetime
import os
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.exports import export_job_start, export_jobs_cleanup
from core.models import AuditEvent, ExportJob, ExportStatus
from core.tasks import export_job_run_task, export_jobs_cleanup_task
from tests.factories import EnterpriseFactory
from tests.otp import force_login_verified
from tests.reports.factories import make_findings

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def _body(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def _download(client, job) -> bytes:
    response = client.get(reverse("core:export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return _body(response)


@pytest.mark.parametrize("name, query", [
    ("enterprises:export", "?district=110108"),
    ("reports:export_findings", ""),
    ("reports:export_inspections", ""),
])
def test_a_large_export_becomes_a_job_that_builds_the_synchronous_bytes(
    name, query, analyst, inspector, settings, django_capture_on_commit_callbacks
):
    url = reverse(name, args=["csv"]) + query
    make_findings(author=inspector, n=3)
    EnterpriseFactory.create_batch(2, district="110108")
    client = _client(analyst)
    synchronous = client.get(url)
    assert synchronous.status_code == 200
    expected = _body(synchronous)

    settings.EXPORT_SYNC_MAX_ROWS = 0
    confirm = client.get(url)
    assert confirm.status_code == 200 and not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = ExportJob.objects.get(owner=analyst)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export_job", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.row_count >= 1
    assert AuditEvent.objects.filter(action="export.start", object_id=str(job.pk)).exists()
    page = client.get(response["Location"])
    assert reverse("core:export_job_download", args=[job.pk]) in page.content.decode()
    assert _download(client, job) == expected


def test_an_identical_unfinished_job_is_reused_and_the_task_enqueued_once(
    analyst, django_capture_on_commit_callbacks
):
    with mock.patch("core.tasks.export_job_run_task.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            first = export_job_start(owner=analyst, kind="findings", params={"fmt": "csv"})
            again = export_job_start(owner=analyst, kind="findings", params={"fmt": "csv"})
            other = export_job_start(owner=analyst, kind="findings", params={"fmt": "xlsx"})
    assert first.pk == again.pk != other.pk
    assert delay.call_count == 2


def test_the_campaign_report_always_goes_through_a_job(
    inspector, supervisor, django_capture_on_commit_callbacks
):
    finding = make_findings(author=inspector, n=1)[0]
    client = _client(supervisor)
    with mock.patch("reports.campaign_report.services.campaign_report_pdf", return_value=b"%PDF-1.7 x"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:campaign_report", args=[finding.campaign_id]))
    job = ExportJob.objects.get(owner=supervisor, kind="campaign_report")
    assert response.status_code == 302 and job.status == ExportStatus.DONE
    assert _download(client, job) == b"%PDF-1.7 x"
    assert job.filename == f"campaign-report-{finding.campaign.code}.pdf"


def test_only_the_owner_downloads_and_enterprise_users_get_404(
    analyst, supervisor, enterprise_user, inspector, django_capture_on_commit_callbacks
):
    make_findings(author=inspector, n=1)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(owner=analyst, kind="findings", params={"fmt": "csv"})
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert _download(_client(analyst), job)
    for user in (supervisor, enterprise_user):
        client = _client(user)
        for name in ("core:export_job", "core:export_job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
    # A staff kind is invisible to an enterprise user even when it owns the job.
    job.owner = enterprise_user
    job.save()
    client = _client(enterprise_user)
    assert client.get(reverse("core:export_job_download", args=[job.pk])).status_code == 404
    assert list(client.get(reverse("core:export_jobs")).context["page_obj"]) == []
    listing = _client(analyst).get(reverse("core:export_jobs"))
    assert listing.status_code == 200


def test_rerunning_a_done_job_does_not_rebuild(analyst, inspector):
    make_findings(author=inspector, n=2)
    job = ExportJob.objects.create(owner=analyst, kind="findings", params={"fmt": "csv"})
    assert export_job_run_task(job_id=job.pk) == "done"
    job.refresh_from_db()
    stored, finished = job.file.name, job.finished_at
    with mock.patch("reports.exports.services.build_export") as build:
        assert export_job_run_task(job_id=job.pk) == "done"
    build.assert_not_called()
    job.refresh_from_db()
    assert (job.file.name, job.finished_at) == (stored, finished)
    assert export_job_run_task(job_id=job.pk + 1000) == "missing"


def test_a_failing_builder_is_recorded_on_the_job(analyst, client_for):
    job = ExportJob.objects.create(owner=analyst, kind="findings", params={"fmt": "exe"})
    assert export_job_run_task(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "exe" in job.error and job.finished_at
    assert not job.file
    page = client_for(analyst).get(reverse("core:export_job", args=[job.pk]))
    assert "unknown format" in page.content.decode()
    assert client_for(analyst).get(
        reverse("core:export_job_download", args=[job.pk])).status_code == 404


def test_a_crashing_builder_is_logged_with_its_traceback_and_the_job_id(analyst, caplog):
    job = ExportJob.objects.create(owner=analyst, kind="findings", params={"fmt": "csv"})
    with mock.patch("core.exports.EXPORT_KINDS", {"findings": mock.Mock(
            staff_only=True, build=mock.Mock(side_effect=RuntimeError("disk full")))}):
        with caplog.at_level("INFO", logger="core.exports"):
            assert export_job_run_task(job_id=job.pk) == "failed"
    failure = next(r for r in caplog.records if r.levelname == "ERROR")
    assert f"export job {job.pk} (findings) of user {analyst.pk} failed" in failure.getMessage()
    assert failure.exc_info and "disk full" in str(failure.exc_info[1])
    assert "RuntimeError: disk full" in caplog.text  # the traceback is in the log


def test_a_refused_export_is_logged_as_a_warning_without_a_traceback(enterprise_user, caplog):
    job = ExportJob.objects.create(owner=enterprise_user, kind="findings", params={"fmt": "csv"})
    with caplog.at_level("INFO", logger="core.exports"):
        export_job_run_task(job_id=job.pk)
    (refusal,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert f"export job {job.pk}" in refusal.getMessage() and not refusal.exc_info


def test_a_job_of_an_owner_no_longer_staff_fails(enterprise_user):
    job = ExportJob.objects.create(owner=enterprise_user, kind="findings", params={"fmt": "csv"})
    export_job_run_task(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file


def test_the_daily_cleanup_removes_old_files_and_keeps_recent_ones(analyst, inspector):
    make_findings(author=inspector, n=1)
    with time_machine.travel(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)):
        old = ExportJob.objects.create(owner=analyst, kind="findings", params={"fmt": "csv"})
        export_job_run_task(job_id=old.pk)
    recent = ExportJob.objects.create(owner=analyst, kind="findings", params={"fmt": "xlsx"})
    export_job_run_task(job_id=recent.pk)
    old.refresh_from_db()
    recent.refresh_from_db()
    old_path, recent_path = old.file.path, recent.file.path
    assert export_jobs_cleanup_task() == 1
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(old_path)
    assert os.path.exists(recent_path)
    assert export_jobs_cleanup(older_than_days=0) == 1
