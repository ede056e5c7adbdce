"""`manage.py import_enterprises FILE [--valid-only] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from enterprises.importing import enterprises_import


class Command(BaseCommand):
    help = "Import enterprises from a CSV or XLSX file (upsert by USCC)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--valid-only", action="store_true",
            help="import the valid rows even when other rows have errors",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--language", default="zh-hans", help="language of the report")

    def handle(self, *args, file: str, valid_only: bool, dry_run: bool, language: str, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with translation.override(language):
            report = enterprises_import(
                data=path.read_bytes(), filename=path.name, actor=None,
                valid_only=valid_only, dry_run=dry_run,
            )
            for row, column, message in report.errors:
                self.stderr.write(f"row {row}\t{column or '-'}\t{message}")
        summary = (
            f"created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, invalid rows {report.invalid}"
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: {summary}")
            if report.errors:
                raise CommandError("The file has errors.")
            return
        if not report.imported:
            raise CommandError(f"Nothing imported because of errors ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))
