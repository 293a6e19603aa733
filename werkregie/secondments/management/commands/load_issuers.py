from typing import Any

from django.core.management.base import BaseCommand

from werkregie.secondments.issuers import load_issuers


class Command(BaseCommand):
    help = "Laad de factuurverzenders (secondments/data/issuers.yaml); veilig om vaker te draaien."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_issuers()
        self.stdout.write(f"Factuurverzenders: {created} nieuw, {updated} gewijzigd.")
