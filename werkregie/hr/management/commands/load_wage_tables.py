from typing import Any

from django.core.management.base import BaseCommand

from werkregie.hr.wages import load_wage_tables


class Command(BaseCommand):
    help = "Laad loontabellen, werkgeverslasten en rijksbijdrage (hr/data/wage_tables.yaml)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_wage_tables()
        self.stdout.write(
            "Loontabellen: {minimum_wage} WML-regels, {wage_scales} cao-cellen, "
            "{charges} werkgeverslasten, {contributions} jaren rijksbijdrage nieuw.".format(
                **created
            )
        )
