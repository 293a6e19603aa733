from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.transition.services import import_roster

SUFFIXES = {".csv", ".xlsx"}


class Command(BaseCommand):
    help = (
        "Importeert de exportbestanden van het oude SW-bedrijf (medewerkers, trajecten, "
        "contracten): eerst alles controleren, dan alles of niets opslaan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="Bestanden of een map.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren.")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        for path in options["paths"]:
            if path.is_dir():
                files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"Bestand of map niet gevonden: {path}")
        report = import_roster(
            files=[(p.name, p.read_bytes()) for p in files], actor=None, dry_run=options["dry_run"]
        )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} fouten gevonden; er is niets opgeslagen.")
        prefix = "Controle geslaagd (niets opgeslagen)" if report.dry_run else "Geïmporteerd"
        self.stdout.write(f"{prefix}:")
        for kind, counts in report.counts.items():
            self.stdout.write(
                f"  {kind}: {counts.created} nieuw, {counts.updated} gewijzigd, "
                f"{counts.unchanged} ongewijzigd"
            )
