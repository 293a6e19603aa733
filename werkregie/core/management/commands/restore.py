from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.core import backup
from werkregie.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Herstelt een back-up uit MAP in de (lege) database van DATABASE_URL en vergelijkt "
        "elke tabel en het auditlog met het manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.restore(options["folder"])
        except DomainError as error:
            raise CommandError(error.message) from error
        for difference in result.differences:
            self.stderr.write(difference)
        if result.differences:
            raise CommandError(
                f"Herstel wijkt af van de back-up: {len(result.differences)} tabellen."
            )
        self.stdout.write(
            f"Hersteld: {result.tables} tabellen, {result.rows} rijen, gelijk aan het manifest."
        )
