from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.core.errors import DomainError
from werkregie.transition.plan_services import check_guarantees, plan_transition


class Command(BaseCommand):
    help = "Maakt een transitieplan uit het geïmporteerde personeelsbestand en de beleidsregels."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--effective",
            type=date.fromisoformat,
            default=None,
            help="Ingangsdatum (JJJJ-MM-DD); standaard die uit de beleidsregels.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_transition(actor=None, effective_date=options["effective"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        flags = [f for e in plan.entries.prefetch_related("flags") for f in e.flags.all()]
        report = check_guarantees(plan)
        self.stdout.write(
            f"Plan {plan.pk} (beleid {plan.policy_version}, ingangsdatum "
            f"{plan.effective_date:%d-%m-%Y}): {plan.entries.count()} personen, "
            f"{len(flags)} signalen, {len(report.violations)} schendingen van garanties."
        )
