"""Klantregie's write API: registering clients, their consents and restrictions (audited)."""

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F, Q, QuerySet

from werkregie.accounts.models import User
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import (
    Client,
    Consent,
    Order,
    Product,
    ProgressReport,
    Restriction,
)
from werkregie.core import audit
from werkregie.core.access import Role, role_of
from werkregie.core.audit_events import Event
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Organisation, Team
from werkregie.people.models import Person

UWV_CODE = "uwv"
M = TypeVar("M", bound=models.Model)


def _create(actor: User | None, action: Event, obj: M, fields: list[str]) -> M:
    """Validate and save a new record, and audit its values (`fields`) as created."""
    obj.full_clean()
    obj.save()
    audit.record_change(
        actor=actor, action=action, obj=obj, changes=audit.diff({}, audit.snapshot(obj, fields))
    )
    return obj


def regie_owner(person: Person, kind: str) -> Organisation:
    """Who holds the regie: UWV for its clients, else the municipality of residence."""
    if kind == Client.Kind.UWV:
        uwv: Organisation = Organisation.objects.get(code=UWV_CODE)
        return uwv
    owner: Organisation | None = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality_id=person.residence_municipality_id
    ).first()
    if owner is None:
        raise DomainError(
            "De woonplaats van deze persoon is geen gemeente in de regio; "
            "leg de opdrachtgever vast.",
            field="client_owner",
        )
    return owner


@transaction.atomic
def register_client(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    registered_on: date,
    client_owner: Organisation | None = None,
) -> Client:
    if Client.objects.filter(person=person).exists():
        raise DomainError("Deze persoon staat al als cliënt in regie.", field="person")
    owner = client_owner or regie_owner(person, kind)
    if owner.kind not in (Organisation.Kind.MUNICIPALITY, Organisation.Kind.BENEFITS_AGENCY):
        raise DomainError("De opdrachtgever is een gemeente of UWV.", field="client_owner")
    client = Client(
        person=person,
        kind=kind,
        client_owner=owner,
        registered_on=registered_on,
        # A klantregisseur of the owning municipality who takes a client into regie holds the
        # caseload until it is handed over.
        client_director=(
            actor
            if actor is not None
            and role_of(actor) == Role.CLIENT_DIRECTOR
            and actor.organisation is not None
            and actor.organisation.municipality_id == owner.municipality_id
            else None
        ),
    )
    return _create(
        actor,
        ClientDirectionEvent.CLIENT_REGISTERED,
        client,
        ["kind", "client_owner", "registered_on", "client_director"],
    )


@transaction.atomic
def record_consent(
    *,
    actor: User | None,
    client: Client,
    subject: str,
    shared_with: Organisation,
    given_on: date,
    valid_to: date | None = None,
) -> Consent:
    consent = Consent(
        client=client,
        subject=subject,
        shared_with=shared_with,
        given_on=given_on,
        valid_to=valid_to,
        recorded_by=actor,
    )
    return _create(
        actor,
        ClientDirectionEvent.CONSENT_RECORDED,
        consent,
        ["subject", "shared_with", "given_on", "valid_to"],
    )


@transaction.atomic
def withdraw_consent(*, actor: User | None, consent: Consent, withdrawn_on: date) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise DomainError(f"Deze toestemming is al ingetrokken op {consent.withdrawn_on:%d-%m-%Y}.")
    if withdrawn_on < consent.given_on:
        raise DomainError(
            "Intrekken kan niet vóór de datum waarop de toestemming is gegeven.",
            field="withdrawn_on",
        )
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    audit.record_change(
        actor=actor,
        action=ClientDirectionEvent.CONSENT_WITHDRAWN,
        obj=consent,
        changes={"withdrawn_on": {"old": None, "new": withdrawn_on.isoformat()}},
    )
    return consent


@transaction.atomic
def record_restriction(
    *,
    actor: User | None,
    client: Client,
    category: str,
    description: str,
    source: str,
    valid_from: date,
    valid_to: date | None = None,
) -> Restriction:
    restriction = Restriction(
        client=client,
        category=category,
        description=description.strip(),
        source=source.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=actor,
    )
    # The log names the kind and period, never the description: special-category data stays
    # in one place.
    return _create(
        actor,
        ClientDirectionEvent.RESTRICTION_RECORDED,
        restriction,
        ["category", "source", "valid_from", "valid_to"],
    )


# -- orders ------------------------------------------------------------------------------

# Which status an order may move to from which, and who moves it (DOMAIN.md: the werkplein
# directs, the execution organisation delivers).
_NEXT: dict[str, set[str]] = {
    Order.Status.REQUESTED: {Order.Status.ACCEPTED, Order.Status.REFUSED, Order.Status.STOPPED},
    Order.Status.ACCEPTED: {Order.Status.RUNNING, Order.Status.STOPPED},
    Order.Status.RUNNING: {Order.Status.COMPLETED, Order.Status.STOPPED},
}


def _move(actor: User | None, order: Order, status: str, **changes: Any) -> Order:
    order = Order.objects.select_for_update().select_related("client").get(pk=order.pk)
    if status not in _NEXT.get(order.status, set()):
        raise DomainError(
            f"Een opdracht met status '{order.get_status_display().lower()}' kan niet naar "
            f"'{Order.Status(status).label.lower()}'."
        )
    old = audit.snapshot(order, ["status", *changes])
    order.status = status
    for name, value in changes.items():
        setattr(order, name, value)
    order.full_clean()
    order.save(update_fields=["status", *changes])
    audit.record_change(
        actor=actor,
        action=ClientDirectionEvent.ORDER_CHANGED,
        obj=order,
        changes=audit.diff(old, audit.snapshot(order, ["status", *changes])),
    )
    return order


@transaction.atomic
def place_order(
    *,
    actor: User | None,
    client: Client,
    product: Product,
    start_date: date,
    end_date: date,
    requested_on: date,
) -> Order:
    """The klantregisseur orders a product for a client from its execution organisation."""
    if client.ended_on is not None:
        raise DomainError("Deze cliënt is niet meer in regie.", field="client")
    if end_date < start_date:
        raise DomainError("De einddatum ligt vóór de startdatum.", field="end_date")
    if not Product.objects.active_on(start_date).filter(pk=product.pk).exists():
        raise DomainError(
            f"{product.name} van {product.provider} is op {start_date:%d-%m-%Y} niet leverbaar.",
            field="product",
        )
    if product.price_on(start_date, client.client_owner) is None:
        raise DomainError(
            f"Er is geen tarief voor {product.name} op {start_date:%d-%m-%Y}.", field="product"
        )
    order = Order(
        client=client,
        product=product,
        client_owner=client.client_owner,
        requested_on=requested_on,
        start_date=start_date,
        end_date=end_date,
        ordered_by=actor,
    )
    return _create(
        actor,
        ClientDirectionEvent.ORDER_PLACED,
        order,
        ["product", "client_owner", "start_date", "end_date"],
    )


def _check_jobcoach(order: Order, jobcoach: Any) -> None:
    if jobcoach is None:
        return
    if role_of(jobcoach) != Role.JOB_COACH or jobcoach.organisation_id != order.product.provider_id:
        raise DomainError(
            f"{jobcoach} is geen jobcoach van {order.product.provider}.", field="jobcoach"
        )


@transaction.atomic
def accept_order(
    *, actor: User | None, order: Order, jobcoach: Any = None, team: Team | None = None
) -> Order:
    """The provider accepts, naming the jobcoach (default: whoever accepts) and the team."""
    jobcoach = jobcoach or (actor if role_of(actor) == Role.JOB_COACH else None)
    _check_jobcoach(order, jobcoach)
    if team is not None and team.organisation_id != order.product.provider_id:
        raise DomainError(
            f"Team {team.name} hoort niet bij {order.product.provider}.", field="team"
        )
    return _move(actor, order, Order.Status.ACCEPTED, jobcoach=jobcoach, team=team)


@transaction.atomic
def refuse_order(*, actor: User | None, order: Order, reason: str) -> Order:
    if not reason.strip():
        raise DomainError("Geef een reden voor de weigering.", field="reason")
    return _move(actor, order, Order.Status.REFUSED, refusal_reason=reason.strip())


@transaction.atomic
def start_order(*, actor: User | None, order: Order) -> Order:
    return _move(actor, order, Order.Status.RUNNING)


@transaction.atomic
def end_order(
    *, actor: User | None, order: Order, ended_on: date, result: str, note: str = ""
) -> Order:
    """Complete (the provider, as planned) or stop (either side, early) with a result."""
    if result not in Order.Result.values:
        raise DomainError("Kies een resultaat.", field="result")
    if ended_on < order.requested_on:
        raise DomainError("De einddatum ligt vóór de aanvraag.", field="ended_on")
    status = Order.Status.COMPLETED if result == Order.Result.AS_PLANNED else Order.Status.STOPPED
    return _move(actor, order, status, ended_on=ended_on, result=result, result_note=note.strip())


@transaction.atomic
def report_progress(
    *,
    actor: User | None,
    order: Order,
    reported_on: date,
    hours: Decimal,
    note: str,
    attendance_percentage: int | None = None,
) -> ProgressReport:
    if order.status not in (Order.Status.ACCEPTED, Order.Status.RUNNING):
        raise DomainError("Voortgang rapporteert u op een geaccepteerde of lopende opdracht.")
    report = ProgressReport(
        order=order,
        reported_on=reported_on,
        hours=hours,
        attendance_percentage=attendance_percentage,
        note=note.strip(),
        author=actor,
    )
    report = _create(
        actor, ClientDirectionEvent.PROGRESS_REPORTED, report, ["reported_on", "hours"]
    )
    Order.objects.filter(pk=order.pk).filter(
        Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=reported_on)
    ).update(last_reported_on=reported_on)
    return report


@transaction.atomic
def close_ended_orders(*, actor: User | None, today: date) -> int:
    """Running orders whose planned end date has passed end on it, as planned (the
    trajectories taken over from the old company among them). Safe to run daily."""
    due = list(
        Order.objects.select_for_update()
        .filter(status=Order.Status.RUNNING, end_date__lt=today)
        .select_related("client")
    )
    Order.objects.filter(pk__in=[o.pk for o in due]).update(
        status=Order.Status.COMPLETED, ended_on=F("end_date"), result=Order.Result.AS_PLANNED
    )
    audit.record_changes(
        actor=actor,
        action=ClientDirectionEvent.ORDER_CHANGED,
        changes=(
            (
                o,
                {
                    "status": {"old": o.status, "new": Order.Status.COMPLETED},
                    "ended_on": {"old": None, "new": o.end_date.isoformat()},
                    "result": {"old": "", "new": Order.Result.AS_PLANNED},
                },
            )
            for o in due
        ),
    )
    return len(due)


# -- caseload handover --------------------------------------------------------------------


def _check_successor(old: Any, new: Any, role: Role) -> None:
    if old.pk == new.pk:
        raise DomainError("Kies een andere collega om aan over te dragen.", field="to_user")
    if role_of(new) != role or not new.is_active or new.organisation_id != old.organisation_id:
        raise DomainError(
            f"{new} is geen actieve {role.label.lower()} van dezelfde organisatie als {old}.",
            field="to_user",
        )


@transaction.atomic
def hand_over_caseload(
    *, actor: User | None, from_user: User, to_user: User, clients: list[int] | None = None
) -> int:
    """A leaving klantregisseur's clients (all, or the chosen ones) go to a colleague of
    the same werkplein; one audit row per client."""
    _check_successor(from_user, to_user, Role.CLIENT_DIRECTOR)
    caseload = Client.objects.select_for_update().filter(client_director=from_user)
    if clients is not None:
        caseload = caseload.filter(pk__in=clients)
    moved = list(caseload)
    change = {"client_director": {"old": from_user.pk, "new": to_user.pk}}
    Client.objects.filter(pk__in=[c.pk for c in moved]).update(client_director=to_user)
    audit.record_changes(
        actor=actor,
        action=ClientDirectionEvent.CASELOAD_HANDED_OVER,
        changes=((c, change) for c in moved),
    )
    return len(moved)


OPEN_STATUSES = (Order.Status.REQUESTED, Order.Status.ACCEPTED, Order.Status.RUNNING)


@transaction.atomic
def hand_over_orders(
    *, actor: User | None, from_user: User, to_user: User, orders: list[int] | None = None
) -> int:
    """A leaving jobcoach's open orders (all, or the chosen ones) go to a colleague of the
    same organisation; one audit row per order."""
    _check_successor(from_user, to_user, Role.JOB_COACH)
    open_orders = Order.objects.select_for_update().filter(
        jobcoach=from_user, status__in=OPEN_STATUSES
    )
    if orders is not None:
        open_orders = open_orders.filter(pk__in=orders)
    moved = list(open_orders.select_related("client"))
    change = {"jobcoach": {"old": from_user.pk, "new": to_user.pk}}
    Order.objects.filter(pk__in=[o.pk for o in moved]).update(jobcoach=to_user)
    audit.record_changes(
        actor=actor, action=ClientDirectionEvent.ORDER_CHANGED, changes=((o, change) for o in moved)
    )
    return len(moved)


def shared_restrictions(*, user: User, order: Order, day: date) -> QuerySet[Restriction] | None:
    """The client's restrictions as `user` may see them on this order: whoever holds the
    client's regie always; the provider only while the client consents to sharing them with
    it (subject 'belastbaarheid'). None: not to be shown."""
    client = order.client
    if Client.objects.visible_to(user).filter(pk=client.pk).exists():
        return client.restrictions.all()
    if role_of(user) != Role.JOB_COACH or user.organisation_id != order.product.provider_id:
        return None
    consented = client.consents.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
        subject=Consent.Subject.RESTRICTIONS,
        shared_with_id=user.organisation_id,
        given_on__lte=day,
    ).exists()
    return client.restrictions.all() if consented else None
