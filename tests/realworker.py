"""
Running tasks in a real Celery worker against Redis, for the tests that must
show a task works outside eager mode.

The worker is a separate process, so it must see the test database: on
PostgreSQL it connects to the test database itself; on SQLite (whose test
database lives in memory) the committed test data is copied to a file with
SQLite's backup API and the worker uses that file. Each test sends to a
queue of its own, so no stray message is left for another test's worker.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_service

REDIS_URL = os.environ.get("LABELWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[1]


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


@dataclass
class RealWorker:
    process: subprocess.Popen
    queue: str
    database_url: str
    media_root: Path

    def send(self, task, **kwargs) -> None:
        """Send `task` to this worker's queue over a fresh broker connection."""
        from config.celery import app

        saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
        app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
        try:
            # A fresh connection: an earlier test of this process may have
            # cached a producer pool for the eager (brokerless) set-up.
            with app.connection_for_write(REDIS_URL) as conn:
                task.apply_async(kwargs=kwargs, queue=self.queue, connection=conn)
        finally:
            app.conf.update(saved)

    def query(self, sql: str, params: list) -> list[tuple]:
        """Rows the worker's database holds now."""
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as db:
                return db.execute(sql, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()

    def wait_until(self, done, *, what: str, timeout: float = 60) -> None:
        """Poll `done()` until true; fail with the worker's log if it never is."""
        deadline = time.monotonic() + timeout  # generous: a loaded parallel run
        while time.monotonic() < deadline:
            if done():
                return
            assert self.process.poll() is None, self.process.stdout.read().decode(errors="replace")
            time.sleep(0.3)
        pytest.fail(f"the worker did not {what} in time:\n{self.stop()[-3000:]}")

    def stop(self) -> str:
        """Stop the worker and return what it logged."""
        self.process.terminate()
        try:
            output = self.process.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            self.process.kill()
            output = self.process.communicate()[0]
        return output.decode(errors="replace")


@contextmanager
def real_worker(tmp_path: Path, *, pool: str = "solo"):
    """Start a Celery worker on a queue of its own; yield it; stop it."""
    require_service("Redis", _redis_up(), f"nothing listens at {REDIS_URL}")
    database_url = _database_url(tmp_path)
    media_root = tmp_path / "media"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": REDIS_URL,
           "DJANGO_SETTINGS_MODULE": "config.settings", "MEDIA_ROOT": str(media_root),
           "DATABASE_CONN_MAX_AGE": "0"}
    queue = f"lw-test-{os.getpid()}-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "-c", "1",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    worker = RealWorker(process, queue, database_url, media_root)
    try:
        yield worker
    finally:
        if process.poll() is None:
            worker.stop()
