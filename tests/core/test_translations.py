"""
Every string marked for translation anywhere in the project has a Chinese
translation in the merged catalogue (project locale/ plus each app's).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import translation

from tests.conftest import require_service

APPS = ["core", "accounts", "enterprises", "inspections", "rectification", "reports", "cases", "portal"]

EXTRACT = r"""
import django, os, sys
django.setup()
from django.conf import settings
settings.LOCALE_PATHS = []
from django.core.management import call_command
call_command("makemessages", locale=["zh_Hans"], symlinks=True, no_obsolete=True,
             ignore_patterns=["*/locale/*", "*/labels/*", "*/migrations/*"], verbosity=0)
"""


def _extract_msgids(workdir: Path) -> set:
    base = Path(settings.BASE_DIR)
    (workdir / "locale").mkdir()
    for app in APPS:
        os.symlink(base / app, workdir / app)
    os.symlink(base / "templates", workdir / "templates")
    subprocess.run(
        [sys.executable, "-c", EXTRACT], cwd=workdir, check=True,
        env={**os.environ, "PYTHONPATH": str(base), "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    po = (workdir / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = set()
    for block in po.split("\n\n")[1:]:
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("msgid_plural")[0].split("msgstr")[0]))
        if msgid:
            entries.add((context.group(1) if context else None, msgid.encode().decode("unicode_escape")
                         if "\\" in msgid else msgid))
    return entries


def test_every_marked_string_has_a_chinese_translation(tmp_path):
    # gettext is installed by `make setup`; in CI its absence fails the test.
    require_service("gettext", shutil.which("xgettext") is not None, "xgettext is not on PATH")
    entries = _extract_msgids(tmp_path)
    catalog = translation.trans_real.translation("zh-hans")._catalog
    keys = set()
    for key in catalog.keys():
        keys.add(key[0] if isinstance(key, tuple) else key)
    missing = sorted(
        msgid if context is None else f"{context}|{msgid}"
        for context, msgid in entries
        if (msgid if context is None else f"{context}\x04{msgid}") not in keys
    )
    assert not missing, f"{len(missing)} strings lack a Chinese translation: {missing[:40]}"
