from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkregie.demo.generator import SCALES
from werkregie.demo.transition import export_files


class Command(BaseCommand):
    help = (
        "Schrijft verzonnen exportbestanden van het oude SW-bedrijf (medewerkers, trajecten, "
        "contracten) naar een map, om de transitie zelf te doorlopen. Verandert de database niet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--scale", choices=sorted(SCALES), default="region")
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        for name, raw in export_files(options["scale"], options["seed"]):
            (folder / name).write_bytes(raw)
            rows = raw.count(b"\n") - 1  # without the header
            self.stdout.write(f"{folder / name}: {rows} rijen")
