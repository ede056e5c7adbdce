"""
Start-up stays light: loading the apps, the URLconf, the admin and the
Celery app imports none of the heavy libraries (each costs from half a
second to a second, in every command, worker and test process). They are
imported in the functions that use them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# The PDF, table, chart and label-checking libraries: each is imported only
# by the function that renders, reads or checks with it.
HEAVY = (
    "weasyprint", "pandas", "plotly", "numpy", "pikepdf", "qrcode",
    "openpyxl", "PIL", "pypdf", "av", "cv2", "onnxruntime", "rapidocr_onnxruntime", "pillow_heif",
    "lxml", "fontTools", "pydyf", "tinycss2", "pyhanko", "cryptography",
)

PROBE = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from django.contrib import admin
admin.autodiscover()
import config.celery
heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
# The demo seeding steps (and the factories they use) load only for seed_demo.
demo = sorted(m for m in sys.modules if m.endswith(".demo") and m != "core.demo")
print(json.dumps(heavy + demo))
"""


def test_loading_the_apps_imports_no_heavy_library_nor_demo_data():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
