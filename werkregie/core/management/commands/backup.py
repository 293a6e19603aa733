from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.core import backup
from werkregie.core.errors import DomainError


class Command(BaseCommand):
    help = "Maakt een back-up van de hele database in MAP, met een manifest (aantallen, SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.backup(options["folder"])
        except DomainError as error:
            raise CommandError(error.message) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Back-up in {options['folder']}: {len(manifest['row_counts'])} tabellen, "
            f"{rows} rijen, SHA-256 {manifest['sha256'][:12]}…"
        )
