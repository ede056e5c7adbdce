"""
Start-up stays light: loading the apps, the URLconf, the admin and the
Celery app imports none of the heavy libraries (each costs from half a
second to a second, in every command, worker and test process). They are
imported in the functions that use them.

The API's views (Django REST framework, drf-spectacular) load with the first
API request: its URLconfs name them by path (core.lazyviews), so the system
checks every command runs read the patterns without importing them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# The PDF, table, chart and label-checking libraries: each is imported only
# by the function that renders, reads or checks with it.
HEAVY = (
    "weasyprint",
    "pandas",
    "plotly",
    "numpy",
    "pikepdf",
    "qrcode",
    "openpyxl",
    "PIL",
    "pypdf",
    "av",
    "cv2",
    "onnxruntime",
    "rapidocr_onnxruntime",
    "pillow_heif",
    "lxml",
    "fontTools",
    "pydyf",
    "tinycss2",
    "pyhanko",
    "cryptography",
)

# The API's views and the frameworks' views they are built on.
API_VIEWS = (
    "rest_framework.views",
    "rest_framework.generics",
    "drf_spectacular.views",
    "drf_spectacular.generators",
    "enterprises.apis",
    "inspections.apis",
    "api.v1.errors",
    "api.v1.findings",
    "api.v1.notices",
    "api.v1.rectification",
    "api.v1.staff",
)
# DRF's serializers (with psycopg, requests and pygments when installed): the
# API loads them; so do DRF's own system checks (pagination, template tags).
API_SERIALIZERS = ("rest_framework.serializers", "rest_framework.compat")

PROBE = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from django.contrib import admin
admin.autodiscover()
import config.celery
heavy = sorted(m for m in {HEAVY + API_VIEWS + API_SERIALIZERS!r} if m in sys.modules)
# The demo seeding steps (and the factories they use) load only for seed_demo.
demo = sorted(m for m in sys.modules if m.endswith(".demo") and m != "core.demo")
print(json.dumps(heavy + demo))
"""


def test_loading_the_apps_imports_no_heavy_library_nor_demo_data():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


CHECKS_PROBE = f"""
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("check")
print(json.dumps(sorted(m for m in {API_VIEWS!r} if m in sys.modules)))
"""


def test_the_system_checks_read_the_api_urls_without_importing_the_api():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CHECKS_PROBE],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
