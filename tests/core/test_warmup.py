"""
A served process starts warm (core.warmup, config/wsgi.py): the URLconf,
every template and the chart libraries are loaded when the application is,
then frozen out of the garbage collector's way; under gunicorn's
settings (config/gunicorn.py) that happens once, before the workers fork.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.template import engines

from core.warmup import template_names, warm_up

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, json, sys
import config.wsgi
from django.db import connections
from django.template import engines
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "templates": sorted(key for key in loader.get_template_cache if isinstance(key, str)),
    "plotly": "plotly.graph_objects" in sys.modules,
    "connected": any(c.connection is not None for c in connections.all(initialized_only=True)),
}))
"""


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "k" * 50,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CACHE_URL": "",
            "CELERY_BROKER_URL": "",
        }
    )
    return env


def test_warm_up_compiles_every_template_into_the_cached_loader():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    compiled = warm_up()
    names = template_names()
    assert "base.html" in names and "portal/home.html" in names
    assert compiled >= len(names) - 2  # a package's template for a library not installed
    assert {"base.html", "portal/home.html", "admin/base_site.html"} <= set(
        loader.get_template_cache
    )


def test_the_served_application_is_loaded_warm_and_frozen_without_a_connection(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert "portal/home.html" in state["templates"]
    assert state["plotly"]
    assert state["frozen"] > 100_000
    # Loaded before the fork: a connection opened now would be shared by every worker.
    assert not state["connected"]


def test_gunicorn_with_the_production_settings_serves_pages(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
        ],
        cwd=ROOT,
        env=production_env(tmp_path),
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: reading a pipe of a server still running never returns.
        stderr=(tmp_path / "gunicorn.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # The API's schema: served whole by Django (an HTML page would
                # also need the collected static files' manifest, which
                # deployment builds with collectstatic and the suite does not).
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/v1/schema/",
                    headers={"X-Forwarded-Proto": "https"},
                )
                with urllib.request.urlopen(request, timeout=30) as response:
                    assert response.status == 200
                    assert "LabelWatch API" in response.read().decode()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.terminate()
                    server.wait(timeout=30)
                    pytest.fail((tmp_path / "gunicorn.log").read_text(errors="replace")[-4000:])
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
