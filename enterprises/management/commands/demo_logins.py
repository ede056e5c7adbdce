from django.core.management.base import BaseCommand

from enterprises.demo import demo_logins

from .seed_demo import print_logins


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):
        rows = demo_logins()
        if not rows:
            self.stdout.write("No demo accounts: run `manage.py seed_demo` first.")
            return
        self.stdout.write("Demo logins for http://127.0.0.1:8000/ :")
        print_logins(self.stdout, rows)
