"""
`python manage.py checklabels [--json] [--explicit] [--uscc USCC] [--budget S] PATH...`

A thin wrapper over inspections.labels.cli.run_cli, which owns the whole
behaviour and the public JSON schema documented in the README.
"""

import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check GB 45438 implicit (and with --explicit, explicit) AIGC labels in files and folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--uscc")
        parser.add_argument("--budget")
        parser.add_argument("--explicit", action="store_true")
        parser.add_argument("--explicit-budget")

    def run_from_argv(self, argv):
        # From the shell the checker parses its own arguments, so usage
        # errors and exit codes (0 checked, 2 usage) match the standalone CLI.
        from inspections.labels.cli import run_cli

        sys.exit(run_cli(argv[2:], sys.stdout, sys.stderr))

    def handle(self, *args, **options):
        """Entry point for call_command()."""
        from inspections.labels.cli import run_cli

        argv = ["--json"] if options["json"] else []
        if options["explicit"]:
            argv.append("--explicit")
        for name in ("uscc", "budget", "explicit_budget"):
            if options[name]:
                argv += [f"--{name.replace('_', '-')}", str(options[name])]
        code = run_cli(argv + list(options["paths"]), self.stdout, self.stderr)
        if code:
            raise CommandError("usage error", returncode=code)
