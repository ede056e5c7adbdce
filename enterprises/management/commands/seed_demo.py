"""
Fill an empty database with the demo:
`manage.py seed_demo [--seed N] [--if-empty] [--enterprises N]`.

Seeding runs the steps that apps register in core.demo (the registry's own
step is enterprises.demo.seed_step). Each step gets a random generator
derived from the seed and its name, so adding a step never changes what
the other steps draw.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.demo import DEMO_STEPS
from enterprises.demo import DEMO_COUNT, demo_logins
from enterprises.models import Enterprise

# The fewest enterprises with which every step still finds what it draws
# (medium- and low-risk enterprises to sample, findings to notify, two
# enterprise accounts).
MIN_ENTERPRISES = 20


class Command(BaseCommand):
    help = "Create the fictional demo registry and one demo account per role."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--if-empty", action="store_true",
            help="do nothing when the registry already has enterprises",
        )
        parser.add_argument(
            "--enterprises", type=int, default=DEMO_COUNT,
            help=f"size of the registry (default {DEMO_COUNT}; at least {MIN_ENTERPRISES}); "
                 "plans, inspections and notices follow from it",
        )

    def handle(self, *args, seed: int, if_empty: bool, enterprises: int, **options):
        if enterprises < MIN_ENTERPRISES:
            raise CommandError(f"--enterprises must be at least {MIN_ENTERPRISES}.")
        if Enterprise.objects.exists():
            if if_empty:
                self.stdout.write("The registry is not empty; demo data not seeded.")
                return
            raise CommandError("The registry is not empty. Seed only an empty database.")
        ctx: dict = {"seed": seed, "today": timezone.localdate(), "stdout": self.stdout,
                     "enterprise_count": enterprises}
        # The steps notify through the real services; the notifications stay
        # in the app, their e-mails (sent after commit) go nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                transaction.atomic():
            for step in DEMO_STEPS:
                ctx["rng"] = random.Random(f"{seed}:{step.name}")
                step.run(ctx)
                self.stdout.write(f"demo step {step.name}: done")
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {len(ctx.get('enterprises', []))} enterprises (seed {seed})."
        ))
        print_logins(self.stdout, demo_logins())


def print_logins(stdout, rows) -> None:
    stdout.write(f"{'username':<12} {'role':<18} {'password':<22} enterprise")
    for username, role, enterprise, password in rows:
        stdout.write(f"{username:<12} {role:<18} {password:<22} {enterprise}")

