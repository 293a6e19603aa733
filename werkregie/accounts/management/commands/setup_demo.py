from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from werkregie.accounts.demo import DEMO_PASSWORD, create_demo_users


class Command(BaseCommand):
    help = "Regio, demodata (regioschaal) en demogebruikers; veilig om vaker te draaien."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_region", stdout=self.stdout)
        call_command("generate_demo", "--scale", "region", stdout=self.stdout)
        users = create_demo_users()
        self.stdout.write(f"\nDemogebruikers (wachtwoord voor allen: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<24} {user.role.label} — {user.organisation}")
        if not settings.WERKREGIE_DEMO:
            self.stdout.write(
                "Let op: WERKREGIE_DEMO staat uit, dus ook demogebruikers moeten een "
                "authenticator-app koppelen."
            )
