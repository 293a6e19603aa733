from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkregie.organisations.region import REGION_FILE, load_region


class Command(BaseCommand):
    help = "Laadt het regionale model (gemeenten, organisaties, locaties); idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=REGION_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_region(path=options["file"])
        self.stdout.write(
            f"Regio versie {result.version}: {result.created} nieuw, {result.updated} gewijzigd."
        )
