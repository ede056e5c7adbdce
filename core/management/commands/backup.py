"""
Back up the database (every app's rows, as Django fixtures) and the media
files (evidence, samples, issued PDFs) into one .tar.gz. `restore` reads it
back into an empty, migrated database. For PostgreSQL in production the
README's pg_dump recipe is faster; this one works on any database and is
what the restore test proves.
"""

import io
import json
import logging
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

# Rebuilt by migrate, or not worth keeping (sessions, login attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
FORMAT = 1


class Command(BaseCommand):
    help = "Write the database and the media files to one .tar.gz (restore with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. backup-2026-12-03.tar.gz")

    def handle(self, *args, path: str, **options):
        started = time.monotonic()
        logger.info("backup to %s: starting", path)
        try:
            manifest = self.write(path)
        except Exception:
            logger.exception("backup to %s failed", path)
            raise
        logger.info("backup to %s written: %s objects, %s files in %.1f s", path,
                    manifest["objects"], manifest["files"], time.monotonic() - started)
        self.stdout.write(f"backup written: {manifest['objects']} objects, "
                          f"{manifest['files']} files -> {path}")

    def write(self, path: str) -> dict:
        data = io.StringIO()
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED,
                     stdout=data, verbosity=0)
        payload = data.getvalue().encode()
        media = Path(settings.MEDIA_ROOT)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "objects": len(json.loads(payload)), "files": len(files)}
        with tarfile.open(path, "w:gz") as archive:
            for name, content in (("manifest.json", json.dumps(manifest).encode()),
                                  ("database.json", payload)):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                info.mtime = int(time.time())
                archive.addfile(info, io.BytesIO(content))
            for file in files:
                archive.add(file, arcname=f"media/{file.relative_to(media).as_posix()}")
        return manifest
