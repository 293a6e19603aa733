"""Retention of personal data (AVG): a person's identifying data are erased once nobody
has needed them for the retention period (issue 20).

A person is kept while any employment runs or ended within the period, while registered
within it, or while another app says it still needs them (a client with an order that ran
within the period): apps above this one register such a "keeper" in their AppConfig.ready,
so this module needs to import none of them. Erasure keeps the row, its id and what the
statistics use (sex, birth year, residence); the name, BSN, personnel number and address
go, and the erasure is audited without any of them.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Employment, Person

ERASED = "(verwijderd)"
Keeper = Callable[[date], Any]
KEEPERS: list[Keeper] = []


def register_keeper(keeper: Keeper) -> None:
    """`keeper(cutoff)` returns the person ids an app still needs (a values("person_id"))."""
    KEEPERS.append(keeper)


def expired_persons(cutoff: date) -> QuerySet[Person]:
    """Persons not needed since `cutoff` and not erased yet."""
    needed = Employment.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=cutoff))
    persons = (
        Person.objects.exclude(surname=ERASED)
        .filter(created_at__date__lt=cutoff)
        .exclude(pk__in=needed.values("person_id"))
    )
    for keeper in KEEPERS:
        persons = persons.exclude(pk__in=keeper(cutoff))
    return persons


@transaction.atomic
def erase_expired(*, actor: User | None, cutoff: date, dry_run: bool = False) -> int:
    """Erase the identifying data of every expired person; returns how many."""
    persons = list(expired_persons(cutoff))
    if dry_run or not persons:
        return len(persons)
    for person in persons:
        person.bsn = person.personnel_number = None
        person.surname, person.search_name = ERASED, ERASED
        person.surname_prefix = person.initials = person.given_name = ""
        person.postcode = person.house_number = ""
        person.birth_date = person.birth_date.replace(month=1, day=1)
    Person.objects.bulk_update(
        persons,
        [
            "bsn",
            "personnel_number",
            "surname",
            "search_name",
            "surname_prefix",
            "initials",
            "given_name",
            "postcode",
            "house_number",
            "birth_date",
        ],
        batch_size=2000,
    )
    audit.record_changes(
        actor=actor,
        action=PeopleEvent.PERSON_ERASED,
        changes=((p, {"cutoff": cutoff.isoformat()}) for p in persons),
    )
    return len(persons)
