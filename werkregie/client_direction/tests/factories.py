"""Small builders for klantregie tests: a client in regie, a catalogue product, an order."""

from datetime import date
from typing import Any

from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.models import Client, Order, Product
from werkregie.testing import make_person


def make_client(residence: str = "GM0141", actor: User | None = None, **person: Any) -> Client:
    return services.register_client(
        actor=actor,
        person=make_person(residence=residence, **person),
        kind=Client.Kind.PARTICIPATION_ACT,
        registered_on=date(2024, 3, 1),
    )


def product(provider: str = "nuo", code: str = "jobcoaching") -> Product:
    return Product.objects.get(provider__code=provider, code=code)


def running(order: Order, coach: Any) -> Order:
    """The order accepted and started by the provider's jobcoach."""
    services.accept_order(actor=coach, order=order)
    return services.start_order(actor=coach, order=order)


def make_order(
    client: Client | None = None,
    product_: Product | None = None,
    *,
    start: date = date(2025, 2, 1),
    end: date = date(2025, 7, 31),
    requested: date = date(2025, 1, 15),
    actor: User | None = None,
) -> Order:
    return services.place_order(
        actor=actor,
        client=client or make_client(),
        product=product_ or product(),
        start_date=start,
        end_date=end,
        requested_on=requested,
    )
