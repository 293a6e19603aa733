from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from werkregie.employer_services.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Rangkwaliteit van de matching: precision@10 op gegenereerde vacatures en kandidaten "
        "met bekende goede matches (per seed een nieuwe set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seeds", default="101,202,303")
        parser.add_argument("--candidates", type=int, default=3000)
        parser.add_argument("--vacancies", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        for seed in (int(s) for s in options["seeds"].split(",")):
            result = evaluate(
                seed=seed, candidates=options["candidates"], vacancies=options["vacancies"]
            )
            self.stdout.write(
                f"seed {seed}: {result.vacancies} vacatures, {result.candidates} kandidaten — "
                f"precision@10 {result.precision_at_10:.3f} "
                f"(willekeurige volgorde: {result.random_precision_at_10:.3f})"
            )
