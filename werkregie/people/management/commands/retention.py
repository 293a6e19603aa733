from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from werkregie.core import audit_chain
from werkregie.people.retention import erase_expired


class Command(BaseCommand):
    help = (
        "Bewaartermijnen (AVG): verzegelt het auditlog, verwijdert verzegelde auditgebeurtenissen "
        "ouder dan de bewaartermijn en wist de persoonsgegevens van wie niet meer nodig is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        cutoff = today - timedelta(days=settings.WERKREGIE_PERSONAL_DATA_RETENTION_DAYS)
        erased = erase_expired(actor=None, cutoff=cutoff, dry_run=options["dry_run"])
        self.stdout.write(
            f"Personen {'te wissen' if options['dry_run'] else 'gewist'} (niet nodig sinds "
            f"{cutoff:%d-%m-%Y}): {erased}"
        )
        if options["dry_run"]:
            return
        audit_chain.seal()
        removed = audit_chain.remove_expired(
            older_than=timedelta(days=settings.WERKREGIE_AUDIT_RETENTION_DAYS)
        )
        self.stdout.write(f"Auditgebeurtenissen verwijderd (verzegeld, verlopen): {removed}")
