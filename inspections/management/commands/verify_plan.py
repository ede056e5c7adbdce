"""
`python manage.py verify_plan ID [--record]`

Redo every draw of selection plan ID from its record alone (the frame as it
was, the officer pool, the conflicts, the working days and the seed; see
inspections/selection.py for the method) and compare with the recorded
outcome and the plan's entries. Exit status 0 when everything matches, 1
when something differs, 2 when the plan cannot be verified (legacy or not
drawn). `--record` prints the current draw's record as JSON, which
`selection.draw_from_record` redoes without a database.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspections import selectors
from inspections.models import SelectionPlan
from inspections.services import plans


class Command(BaseCommand):
    help = "Redo a selection plan's draws from their records and compare."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--record", action="store_true",
                            help="print the current draw's record as JSON")

    def handle(self, *args, **options):
        plan = SelectionPlan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(_("There is no selection plan %(id)s.") % {"id": options["plan_id"]},
                               returncode=2)
        if options["record"]:
            draw = plan.draws.order_by("-number").first()
            if draw is None:
                raise CommandError(_("The plan has not been drawn yet."), returncode=2)
            self.stdout.write(json.dumps(draw.record, ensure_ascii=False, indent=1))
            return
        result = plans.plan_verification(plan=plan)
        self.stdout.write(f"{plan.pk} · {plan.name}")
        for draw in result.draws:
            state = _("matches") if draw["matches"] else _("DIFFERS")
            self.stdout.write(_("draw %(number)s (seed %(seed)s): %(state)s") % {
                "number": draw["number"], "seed": draw["seed"], "state": state})
            for difference in draw["differences"]:
                self.stdout.write(f"  {difference}")
        if result.entries_match is not None:
            self.stdout.write(_("plan entries against the latest draw: %(state)s") % {
                "state": _("match") if result.entries_match else _("DIFFER")})
        text = selectors.verification_text(result)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(text))
            return
        raise CommandError(text, returncode=1 if result.state == "mismatch" else 2)
