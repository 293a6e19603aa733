"""Rule 7 of the transition: running trajectories of the old company continue until their end,
with the provider for the client's municipality. Here they become running orders under the
klantregie, with the client in the registry and in regie, at the agreed trajectory price.

The transition calls this with plain values, so klantregie does not depend on the old
company's tables."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, Order, Product
from werkregie.client_direction.services import UWV_CODE
from werkregie.core import audit
from werkregie.core.db import bulk_insert, filter_in
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Person, normalise_name

# The old company's product names → the catalogue's product kinds.
LEGACY_PRODUCT_KINDS = {
    "jobcoaching": Product.Kind.JOB_COACHING,
    "re-integratie": Product.Kind.JOB_COACHING,
    "diagnose": Product.Kind.ASSESSMENT,
    "training": Product.Kind.TRAINING,
}


@dataclass(frozen=True)
class RunningTrajectory:
    """One running trajectory as the transition hands it over."""

    number: str
    bsn: str
    surname: str
    initials: str
    birth_date: date
    residence: Municipality
    client_owner: str  # a CBS code of the ordering municipality, or "UWV"
    product: str
    start_date: date
    end_date: date
    price: Decimal
    provider: Organisation


@dataclass
class TakeOver:
    taken: int = 0
    # Trajectories for a client owner without an organisation in the system (a municipality
    # outside the regional model): they continue under the transfer, not in klantregie.
    outside: list[str] = field(default_factory=list)


def _product(trajectory: RunningTrajectory, day: date) -> Product:
    kind = LEGACY_PRODUCT_KINDS.get(trajectory.product.lower())
    product: Product | None = (
        Product.objects.active_on(day).filter(provider=trajectory.provider, kind=kind).first()
        if kind
        else None
    )
    if product is None:
        raise DomainError(
            f"Traject {trajectory.number}: {trajectory.provider} heeft op {day:%d-%m-%Y} geen "
            f"product voor '{trajectory.product}' in de catalogus."
        )
    return product


@transaction.atomic
def take_over_trajectories(
    *, actor: User | None, effective_date: date, trajectories: list[RunningTrajectory]
) -> TakeOver:
    """Each trajectory becomes a running order (once: keyed on its number); its participant
    is found by BSN or registered, and taken into regie by the ordering municipality or UWV.
    In bulk (the national set has tens of thousands); the rows were validated on import.
    All or nothing: a trajectory whose product is not in the provider's catalogue stops
    the whole take-over."""
    done = set(
        Order.objects.filter(legacy_reference__in=[t.number for t in trajectories]).values_list(
            "legacy_reference", flat=True
        )
    )
    owners = {
        o.municipality.cbs_code: o
        for o in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).select_related(
            "municipality"
        )
        if o.municipality is not None
    } | {"UWV": Organisation.objects.get(code=UWV_CODE)}
    result = TakeOver()
    todo: list[tuple[RunningTrajectory, Organisation, Product]] = []
    products: dict[tuple[int, str], Product] = {}
    for t in trajectories:
        if t.number in done:
            continue
        owner = owners.get(t.client_owner.upper())
        if owner is None:
            result.outside.append(t.number)
            continue
        key = (t.provider.pk, t.product.lower())
        if key not in products:
            products[key] = _product(t, effective_date)
        todo.append((t, owner, products[key]))

    persons = {
        p.bsn: p for p in filter_in(Person.objects.all(), "bsn", [t.bsn for t, _, _ in todo])
    }
    new_persons: dict[str, Person] = {}
    for t, _, _ in todo:
        if t.bsn not in persons and t.bsn not in new_persons:
            new_persons[t.bsn] = Person(
                bsn=t.bsn,
                surname=t.surname,
                initials=t.initials,
                birth_date=t.birth_date,
                sex=Person.Sex.OTHER,  # the trajectory file does not carry it
                residence_municipality=t.residence,
                search_name=normalise_name(t.surname),
            )
    created = bulk_insert(Person, list(new_persons.values()))
    persons.update({p.bsn: p for p in created if p.bsn})
    audit.record_changes(
        actor=actor,
        action=PeopleEvent.PERSON_CREATED,
        changes=((p, {"source": {"old": None, "new": "traject"}}) for p in created),
    )

    clients = {
        c.person_id: c
        for c in filter_in(Client.objects.all(), "person_id", [p.pk for p in persons.values()])
    }
    new_clients: dict[int, Client] = {}
    for t, owner, _ in todo:
        person = persons[t.bsn]
        if person.pk not in clients and person.pk not in new_clients:
            new_clients[person.pk] = Client(
                person=person,
                kind=Client.Kind.UWV if owner.code == UWV_CODE else Client.Kind.PARTICIPATION_ACT,
                client_owner=owner,
                registered_on=t.start_date,
            )
    registered = bulk_insert(Client, list(new_clients.values()))
    clients.update({c.person_id: c for c in registered})
    audit.record_changes(
        actor=actor,
        action=ClientDirectionEvent.CLIENT_REGISTERED,
        changes=(
            (c, audit.diff({}, audit.snapshot(c, ["kind", "client_owner", "registered_on"])))
            for c in registered
        ),
    )

    orders = bulk_insert(
        Order,
        [
            Order(
                client=clients[persons[t.bsn].pk],
                product=product,
                client_owner=owner,
                status=Order.Status.RUNNING,
                requested_on=t.start_date,
                start_date=t.start_date,
                end_date=t.end_date,
                agreed_price=t.price,
                legacy_reference=t.number,
                # Rule 7 continues the trajectory; its months before the effective date were
                # delivered, and billed, by the old company.
                billable_from=max(t.start_date, effective_date),
            )
            for t, owner, product in todo
        ],
    )
    audit.record_changes(
        actor=actor,
        action=ClientDirectionEvent.ORDER_TAKEN_OVER,
        changes=(
            (
                o,
                audit.diff(
                    {},
                    audit.snapshot(
                        o,
                        [
                            "legacy_reference",
                            "product",
                            "client_owner",
                            "start_date",
                            "end_date",
                            "agreed_price",
                        ],
                    ),
                ),
            )
            for o in orders
        ),
    )
    result.taken = len(orders)
    return result
