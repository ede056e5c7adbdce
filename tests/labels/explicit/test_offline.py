"""The OCR runs with networking disabled: in a process whose network
namespace has no interface at all (not even loopback up), with an empty
home and cache directory, so nothing can be fetched or found in a cache."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

from . import media

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import json, socket, sys
from inspections.labels.explicit import check_explicit
try:
    socket.create_connection(("1.1.1.1", 443), timeout=2)
    network = "reachable"
except OSError:
    network = "unreachable"
result = check_explicit(sys.argv[1])
print(json.dumps({"network": network, "status": result.status, "rules": result.rules,
                  "texts": [mark.text for mark in result.marks], "reason": result.reason}))
"""


def test_the_ocr_reads_labels_in_a_process_without_network(tmp_path: Path) -> None:
    unshare = shutil.which("unshare")
    works = bool(unshare) and subprocess.run(
        [unshare, "-rn", "true"], capture_output=True).returncode == 0
    require_service("a network namespace (unshare -rn)", works,
                    "util-linux unshare is missing or user namespaces are not allowed")
    picture = tmp_path / "poster.png"
    picture.write_bytes(media.png(media.label_image(640, 360, ratio=0.035)))
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home),
           "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONPATH": str(PROJECT_ROOT)}
    answer = subprocess.run([unshare, "-rn", sys.executable, "-c", SCRIPT, str(picture)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert answer.returncode == 0, answer.stderr[-2000:]
    outcome = json.loads(answer.stdout.strip().splitlines()[-1])
    assert outcome["network"] == "unreachable"
    assert outcome["status"] == "found", outcome["reason"]
    assert outcome["texts"] == ["AI生成"] and outcome["rules"] == ["EXP-04"]
