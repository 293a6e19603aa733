"""The demo's clients in regie: the generated Participatiewet and UWV clients, taken into
regie through the same service a klantregisseur uses."""

from datetime import date
from typing import Any

from django.db import transaction

from werkregie.client_direction.models import Client
from werkregie.client_direction.services import register_client
from werkregie.core.errors import DomainError
from werkregie.people.demo import generated_clients
from werkregie.people.models import Person

REGIE_START = date(2021, 1, 1)


@transaction.atomic
def register_demo_clients(*, scale: str, seed: int, actor: Any = None) -> int:
    """Register the data set's clients that are in the registry and not yet in regie; a
    client living outside the municipalities of the regional model stays out of regie."""
    clients = generated_clients(scale=scale, seed=seed)
    persons = {
        p.bsn: p for p in Person.objects.filter(bsn__in=[c.bsn for c in clients], client=None)
    }
    count = 0
    for generated in clients:
        person = persons.get(generated.bsn)
        if person is None:
            continue
        trajectory = generated.trajectory or {}
        kind = (
            Client.Kind.UWV if trajectory.get("owner") == "UWV" else Client.Kind.PARTICIPATION_ACT
        )
        start = trajectory.get("start")
        try:
            register_client(
                actor=actor,
                person=person,
                kind=kind,
                registered_on=start if isinstance(start, date) else REGIE_START,
            )
        except DomainError:
            continue  # lives outside the region's municipalities
        count += 1
    return count
