"""Restore a `backup` archive into an empty, migrated database and the media folder."""

import json
import logging
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.management.commands.backup import FORMAT

logger = logging.getLogger(__name__)


def _is_empty() -> bool:
    """No people, enterprises or audit events yet (migrate's own reference rows aside)."""
    return not any(apps.get_model(label).objects.exists() for label in (
        "accounts.User", "enterprises.Enterprise", "core.AuditEvent"))


class Command(BaseCommand):
    help = "Restore a backup archive (from `backup`) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        logger.info("restore from %s: starting", path)
        try:
            objects, files = self.restore(path)
        except CommandError as error:
            logger.warning("restore from %s refused: %s", path, error)
            raise
        except Exception:
            logger.exception("restore from %s failed", path)
            raise
        logger.info("restore from %s done: %s objects, %d files", path, objects, files)
        self.stdout.write(f"restored {objects} objects and {files} files")

    def restore(self, path: str) -> tuple[int, int]:
        if not _is_empty():
            raise CommandError("The database is not empty: restore only into a freshly "
                               "migrated database.")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
            manifest = json.load(_read(archive, "manifest.json"))
            if manifest.get("format") != FORMAT:
                raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
            fixture = Path(work) / "database.json"
            fixture.write_bytes(_read(archive, "database.json").read())
            members = [m for m in archive.getmembers() if m.name.startswith("media/")]
            for member in members:
                relative = PurePosixPath(member.name).relative_to("media")
                if not member.isfile() or ".." in relative.parts or relative.is_absolute():
                    raise CommandError(f"Refusing archive member {member.name!r}.")
            with transaction.atomic():
                # Periodic tasks come back from the backup, not from migrate.
                from django_celery_beat.models import PeriodicTask

                PeriodicTask.objects.all().delete()
                call_command("loaddata", str(fixture), verbosity=0)
            for member in members:
                target = media / PurePosixPath(member.name).relative_to("media")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_read(archive, member).read())
        return manifest["objects"], len(members)


def _read(archive: tarfile.TarFile, member: str | tarfile.TarInfo) -> IO[bytes]:
    """The member's content; a member that is missing or not a file is a broken backup."""
    try:
        source = archive.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        name = member if isinstance(member, str) else member.name
        raise CommandError(f"The backup has no file {name!r}.")
    return source
