"""DEBUG is off unless asked for, and a server without a secret key refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=BASE, capture_output=True,
                          text=True, timeout=60,
                          env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env)


def test_without_django_debug_debug_is_off_and_a_secret_key_is_required():
    refused = _start()
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in refused.stderr
    # The known development key is refused too.
    assert _start(DJANGO_SECRET_KEY="dev-only-insecure-key-change-me").returncode != 0
    started = _start(DJANGO_SECRET_KEY="a-real-secret-" + "k" * 40)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "False"


def test_debug_only_when_explicitly_enabled():
    started = _start(DJANGO_DEBUG="1")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "True"


def test_an_anonymous_error_page_shows_no_traceback(client, settings):
    settings.DEBUG = False
    response = client.get("/reports/results/99999999999999999999/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
