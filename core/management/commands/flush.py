"""Django's flush, let through the SQLite triggers that keep the audit table append-only."""

from django.core.management.commands.flush import Command as FlushCommand

from core.audit_chain import maintenance


class Command(FlushCommand):
    def handle(self, **options):
        with maintenance():
            return super().handle(**options)
