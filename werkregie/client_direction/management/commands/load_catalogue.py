from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.client_direction.catalogue import CATALOGUE_FILE, load_catalogue
from werkregie.core.errors import DomainError


class Command(BaseCommand):
    help = "Laadt de productcatalogus met tarieven van de uitvoeringsorganisaties; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=CATALOGUE_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_catalogue(path=options["file"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Productcatalogus versie {result.version}: {result.created} nieuw, "
            f"{result.updated} gewijzigd."
        )
