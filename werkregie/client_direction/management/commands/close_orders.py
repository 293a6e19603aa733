from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from werkregie.client_direction.services import close_ended_orders
from werkregie.core.params import date_or


class Command(BaseCommand):
    help = (
        "Lopende opdrachten waarvan de geplande einddatum voorbij is, afronden op die datum "
        "(ook de overgenomen trajecten). Dagelijks draaien, bijvoorbeeld vanuit cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--datum", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_or(options.get("datum"), timezone.localdate())
        closed = close_ended_orders(actor=None, today=today)
        self.stdout.write(
            f"{closed} opdrachten afgerond op hun einddatum (peildatum {today:%d-%m-%Y})."
        )
