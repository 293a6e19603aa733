"""The demo's clients in regie (the generated Participatiewet and UWV clients, taken into
regie through the same service a klantregisseur uses) and their orders."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from werkregie.accounts.models import User
from werkregie.client_direction.models import Client, Product
from werkregie.client_direction.services import (
    accept_order,
    place_order,
    refuse_order,
    register_client,
    report_progress,
    start_order,
)
from werkregie.core.access import Role
from werkregie.core.errors import DomainError
from werkregie.demo.people import generated_clients
from werkregie.people.models import Person

REGIE_START = date(2021, 1, 1)


@transaction.atomic
def register_demo_clients(*, scale: str, seed: int, actor: User | None = None) -> int:
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


@transaction.atomic
def place_demo_orders(*, today: date, seed: int, count: int = 80) -> dict[str, int]:
    """Orders in every state for clients of the municipalities with a demo klantregisseur,
    placed and handled through the services by the demo users, dated around `today`."""
    rng = random.Random(seed)
    users = get_user_model().objects
    coaches = list(users.filter(role=Role.JOB_COACH, organisation__code="nuo"))
    products = list(Product.objects.active_on(today).filter(provider__code="nuo"))
    directors = {
        u.organisation.municipality_id: u
        for u in users.filter(role=Role.CLIENT_DIRECTOR).select_related("organisation")
        if u.organisation is not None
    }
    clients = list(
        Client.objects.filter(
            ended_on__isnull=True,
            client_owner__municipality_id__in=list(directors),
            orders__isnull=True,
        ).order_by("id")[:count]
    )
    states: dict[str, int] = {}
    for index, client in enumerate(clients):
        director = directors[client.client_owner.municipality_id]
        coach = coaches[index % len(coaches)] if coaches else None
        product = rng.choice(products)
        requested = today - timedelta(days=rng.randint(3, 200))
        start = requested + timedelta(days=14)
        order = place_order(
            actor=director,
            client=client,
            product=product,
            requested_on=requested,
            start_date=start,
            end_date=start + timedelta(days=rng.choice([90, 180, 365])),
        )
        roll = rng.random()
        if roll < 0.15 or coach is None:
            pass  # still requested: in the provider's queue
        elif roll < 0.22:
            refuse_order(actor=coach, order=order, reason="Geen plek in de gevraagde periode.")
        else:
            order = accept_order(actor=coach, order=order)
            if start <= today:
                order = start_order(actor=coach, order=order)
                # Some report every few weeks, some went quiet.
                last = today if rng.random() < 0.7 else today - timedelta(days=50)
                day = start + timedelta(days=14)
                while day <= last:
                    report_progress(
                        actor=coach,
                        order=order,
                        reported_on=day,
                        hours=Decimal(rng.choice([4, 6, 8, 12])),
                        attendance_percentage=rng.choice([70, 85, 90, 100]),
                        note="Gaat volgens plan." if rng.random() < 0.8 else "Veel afwezig.",
                    )
                    day += timedelta(days=21)
        order.refresh_from_db()
        states[order.status] = states.get(order.status, 0) + 1
    return states
