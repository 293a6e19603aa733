from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkregie.demo.generator import SCALES
from werkregie.demo.people import already_loaded, load_demo


class Command(BaseCommand):
    help = "Maakt verzonnen, reproduceerbare personen aan (regio- of landelijke schaal)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="region")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--export-dir",
            type=Path,
            default=None,
            help="Schrijf ook de exportbestanden van het oude SW-bedrijf naar deze map.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if already_loaded(options["scale"], options["seed"]):
            self.stdout.write("Demodata staat er al; er is niets gewijzigd.")
            return
        counts = load_demo(
            scale=options["scale"], seed=options["seed"], export_dir=options["export_dir"]
        )
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
