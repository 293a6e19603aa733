from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from werkregie.accounts.models import User


class Command(BaseCommand):
    help = "Maakt (of toont) het API-token van een gebruiker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Onbekende of inactieve gebruiker: {options['username']}")
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
