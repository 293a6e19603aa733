from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from werkregie.core import audit_chain


class Command(BaseCommand):
    help = "Verzegelt nieuwe auditgebeurtenissen en controleert de hele hashketen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-seal", action="store_true", help="Alleen controleren.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            audit_chain.seal()
        result = audit_chain.verify()
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(
                f"Het auditlog is niet intact: {len(result.problems)} zegels wijken af."
            )
        self.stdout.write(
            f"Auditlog intact: {result.events} gebeurtenissen in {result.seals} zegels."
        )
