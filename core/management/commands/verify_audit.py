"""Check the audit trail's hash chains (and anchors); name the first broken link of each."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.audit_chain import read_anchors, verify


def _append_only_guard_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                           "AND name IN ('core_auditevent_no_update', 'core_auditevent_no_delete')")
            return cursor.fetchone()[0] == 2
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = "
                           "'core_auditevent_append_only' AND tgenabled <> 'D'")
            return cursor.fetchone()[0] == 1
    return True


class Command(BaseCommand):
    help = ("Verify the audit trail: every stream's hash chain, its head, and the anchors "
            "written out (AUDIT_ANCHOR_FILE). Exits non-zero at the first broken link.")

    def add_arguments(self, parser):
        parser.add_argument("--anchors", default=None,
                            help="anchor file to check against (default: AUDIT_ANCHOR_FILE)")

    def handle(self, *args, anchors=None, **options):
        path = anchors or getattr(settings, "AUDIT_ANCHOR_FILE", "")
        records = read_anchors(path) if path and os.path.exists(path) else []
        checked, breaks = verify(anchors=records)
        if not _append_only_guard_present():
            self.stderr.write("The append-only triggers of core_auditevent are missing or "
                              "disabled.")
        for problem in breaks:
            self.stderr.write(f"BROKEN {problem}")
        if breaks:
            raise CommandError(f"audit trail broken: {len(breaks)} stream(s); first: {breaks[0]}")
        self.stdout.write(f"audit trail intact: {checked} events, {len(records)} anchors checked")
