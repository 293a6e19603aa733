from datetime import date
from typing import Any

from django.apps import AppConfig


class ClientDirectionConfig(AppConfig):
    name = "werkregie.client_direction"
    label = "client_direction"
    verbose_name = "Klantregie en dienstverlening"

    def ready(self) -> None:
        from werkregie.client_direction.person_section import client_section
        from werkregie.people.retention import register_keeper
        from werkregie.people.sections import register_section

        register_keeper(_clients_still_needed)
        register_section(client_section)


def _clients_still_needed(cutoff: date) -> Any:
    """A client registered within the retention period, or with an order that ran in it."""
    from django.db.models import Q

    from werkregie.client_direction.models import Client

    return Client.objects.filter(
        Q(registered_on__gte=cutoff) | Q(orders__end_date__gte=cutoff)
    ).values("person_id")
