import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.transition.models import TransitionPlan
from werkregie.transition.reconciliation import reconcile
from werkregie.transition.report_export import as_json, as_xlsx

FORMATS = {"json": as_json, "xlsx": as_xlsx}


class Command(BaseCommand):
    help = (
        "Aansluiting van de transitie: personen, arbeidsjaren, loonsom, detacheringen, trajecten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=sorted(FORMATS), default="json")
        parser.add_argument(
            "--plan", type=int, default=None, help="Plannummer; standaard het laatste."
        )
        parser.add_argument("--output", type=Path, default=None, help="Bestand; standaard stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = TransitionPlan.objects.exclude(status=TransitionPlan.Status.SUPERSEDED)
        plan = plans.filter(pk=options["plan"]).first() if options["plan"] else plans.first()
        if plan is None:
            raise CommandError("Geen transitieplan gevonden.")
        data = FORMATS[options["format"]](reconcile(plan))
        if options["output"]:
            options["output"].write_bytes(data)
        elif options["format"] == "json":
            self.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.buffer.write(data)
