import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.transition.council import council_pdf
from werkregie.transition.models import TransitionPlan
from werkregie.transition.reconciliation import reconcile
from werkregie.transition.report_export import as_json, as_xlsx

FORMATS = {"json": as_json, "xlsx": as_xlsx, "pdf": None}


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
        parser.add_argument(
            "--municipality",
            action="append",
            default=None,
            help="CBS-code; alleen voor pdf, herhaalbaar. Standaard alle zes.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plans = TransitionPlan.objects.exclude(status=TransitionPlan.Status.SUPERSEDED)
        plan = plans.filter(pk=options["plan"]).first() if options["plan"] else plans.first()
        if plan is None:
            raise CommandError("Geen transitieplan gevonden.")
        render = FORMATS[options["format"]]
        data = render(reconcile(plan)) if render else council_pdf(plan, options["municipality"])
        if options["output"]:
            options["output"].write_bytes(data)
        elif options["format"] == "json":
            self.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.buffer.write(data)
