"""Loading the apps imports none of the explicit checker's heavy libraries."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings

HEAVY = ("av", "scipy", "cv2", "onnxruntime", "rapidocr_onnxruntime", "pypdf", "pillow_heif")


def test_loading_the_apps_and_urls_imports_no_ocr_or_media_library() -> None:
    code = (
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "import django; django.setup()\n"
        "from django.urls import get_resolver; get_resolver().url_patterns\n"
        "import inspections.labels.explicit, inspections.labels.cli\n"
        f"print(sorted(set({HEAVY!r}) & set(sys.modules)))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=settings.BASE_DIR, check=True).stdout
    assert output.strip() == "[]"
