"""The audit event names of the registry: each app declares its own (issue 15); core.audit_events
registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class PeopleEvent(models.TextChoices):
    PERSON_VIEWED = "person.viewed", "Persoon ingezien"
    PERSON_SEARCHED = "person.searched", "Personen gezocht"
    PERSON_CREATED = "person.created", "Persoon geregistreerd"
    PERSON_CHANGED = "person.changed", "Persoonsgegevens gewijzigd"
    PERSON_ERASED = "person.erased", "Persoonsgegevens gewist (bewaartermijn)"
    EMPLOYMENT_VIEWED = "employment.viewed", "Dienstverband ingezien"
    EMPLOYMENT_CREATED = "employment.created", "Dienstverband vastgelegd"
    EMPLOYMENT_CHANGED = "employment.changed", "Dienstverband gewijzigd"
