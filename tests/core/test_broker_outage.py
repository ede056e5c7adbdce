"""
Redis down: pages are still served (the cache degrades to none) and work
handed to Celery while the broker is unreachable is kept and sent when it
is back, never lost and never a server error for a request whose data is
already committed.
"""

import socket
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from kombu.exceptions import OperationalError

from core.models import ExportJob, ExportStatus, PendingTask
from core.queue import pending_tasks_resend
from core.tasks import export_job_run_task
from tests.otp import force_login_verified
from tests.reports.factories import make_findings

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DEAD_REDIS = {"default": {"BACKEND": "core.cache.DegradingRedisCache",
                          "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
BROKER_DOWN = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@override_settings(CACHES=DEAD_REDIS)
def test_an_unreachable_cache_behaves_as_an_empty_one():
    cache = caches["default"]
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is True
    assert cache.incr("k") == 1
    assert cache.get_or_set("counts", lambda: {"a": 1}) == {"a": 1}
    assert cache.get_many(["a", "b"]) == {}
    cache.delete("k")


@override_settings(CACHES=DEAD_REDIS)
def test_pages_that_use_the_cache_are_served_while_redis_is_down(inspector, client):
    logged_in = Client()
    force_login_verified(logged_in, inspector)
    # The campaign board caches its progress counts; the public verify page
    # counts attempts per address in the cache.
    assert logged_in.get(reverse("inspections:campaign_list")).status_code == 200
    assert client.get(reverse("reports:verify"), {"code": "ABCD-EFGH"}).status_code == 200


def test_work_sent_while_the_broker_is_down_is_kept_and_sent_when_it_is_back(
    analyst, inspector, settings, django_capture_on_commit_callbacks
):
    make_findings(author=inspector, n=2)
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client = Client()
    force_login_verified(client, analyst)
    url = reverse("reports:export_findings", args=["csv"])
    with mock.patch.object(export_job_run_task, "delay", side_effect=BROKER_DOWN):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
    job = ExportJob.objects.get(owner=analyst)
    # The request succeeded: the job exists and waits; the task is kept.
    assert response.status_code == 302 and job.status == ExportStatus.QUEUED
    kept = PendingTask.objects.get()
    assert kept.task == export_job_run_task.name and kept.kwargs == {"job_id": job.pk}
    assert "Connection refused" in kept.error

    # Still down: nothing is sent and nothing is lost.
    with mock.patch("celery.current_app.send_task", side_effect=BROKER_DOWN) as send:
        assert pending_tasks_resend() == 0
    assert send.call_count == 1 and PendingTask.objects.count() == 1

    # Back: sent once, with the same arguments, and no longer kept.
    with mock.patch("celery.current_app.send_task") as send:
        assert pending_tasks_resend() == 1
    send.assert_called_once_with(export_job_run_task.name, args=[], kwargs={"job_id": job.pk})
    assert not PendingTask.objects.exists()
    # What the worker then runs builds the job as usual.
    export_job_run_task.delay(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE


def test_the_resend_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-resend-pending-tasks"]
    assert entry["task"] == "core.tasks.pending_tasks_resend_task"
    assert entry["schedule"].minute == set(range(60))
