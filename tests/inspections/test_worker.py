"""
A real Celery worker against Redis runs an inspections task.

The worker is a separate process, so it must see the test database: on
PostgreSQL it connects to the test database itself; on SQLite (whose test
database lives in memory) the committed test data is copied to a file with
SQLite's backup API and the worker uses that file.
"""

import datetime
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from inspections.models import Inspection
from tests.conftest import require_service
from tests.factories import InspectionFactory

REDIS_URL = os.environ.get("LABELWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _database_url(tmp_path: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        target = tmp_path / "worker.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_an_inspection_due(tmp_path, inspector, second_inspector, enterprise):
    require_service("Redis", _redis_up(), f"nothing listens at {REDIS_URL}")
    inspection = InspectionFactory(enterprise=enterprise, status=Inspection.Status.PLANNED,
                                   planned_date=timezone.localdate() - datetime.timedelta(days=1),
                                   officers=[inspector, second_inspector])
    database_url = _database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": REDIS_URL,
           "DJANGO_SETTINGS_MODULE": "config.settings", "MEDIA_ROOT": str(tmp_path / "media"),
           "DATABASE_CONN_MAX_AGE": "0"}
    queue = f"lw-test-{os.getpid()}-{time.monotonic_ns()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-c", "1",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        from config.celery import app
        from inspections.tasks import make_inspections_due

        saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
        app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
        try:
            # .delay() with this test's own queue, so no stray message is left
            # behind, over a fresh connection: an earlier test of this process
            # may have cached a producer pool for the eager (brokerless) set-up.
            with app.connection_for_write(REDIS_URL) as conn:
                make_inspections_due.apply_async(queue=queue, connection=conn)
        finally:
            app.conf.update(saved)
        status = None
        # A few seconds normally; generous under a loaded parallel run.
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if connection.vendor == "sqlite":
                with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
                    status = db.execute("select status from inspections_inspection where id = ?",
                                        [inspection.pk]).fetchone()[0]
            else:
                inspection.refresh_from_db()
                status = inspection.status
            if status == Inspection.Status.DUE:
                break
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")
            time.sleep(0.3)
        if status != Inspection.Status.DUE:
            worker.terminate()
            output = worker.communicate(timeout=10)[0].decode(errors="replace")
            pytest.fail(f"the worker did not run the task in time:\n{output[-3000:]}")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
