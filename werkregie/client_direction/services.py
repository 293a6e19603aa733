"""Klantregie's write API: registering clients, their consents and restrictions (audited)."""

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from werkregie.client_direction.models import (
    Client,
    Consent,
    Order,
    Product,
    ProgressReport,
    Restriction,
)
from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction
from werkregie.organisations.models import Organisation
from werkregie.people.models import Person

UWV_CODE = "uwv"
M = TypeVar("M", bound=models.Model)


def _create(actor: Any, action: AuditAction, obj: M, fields: list[str]) -> M:
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
    actor: Any,
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
    client = Client(person=person, kind=kind, client_owner=owner, registered_on=registered_on)
    return _create(
        actor, AuditAction.CLIENT_REGISTERED, client, ["kind", "client_owner", "registered_on"]
    )


@transaction.atomic
def record_consent(
    *,
    actor: Any,
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
        AuditAction.CONSENT_RECORDED,
        consent,
        ["subject", "shared_with", "given_on", "valid_to"],
    )


@transaction.atomic
def withdraw_consent(*, actor: Any, consent: Consent, withdrawn_on: date) -> Consent:
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
        action=AuditAction.CONSENT_WITHDRAWN,
        obj=consent,
        changes={"withdrawn_on": {"old": None, "new": withdrawn_on.isoformat()}},
    )
    return consent


@transaction.atomic
def record_restriction(
    *,
    actor: Any,
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
        AuditAction.RESTRICTION_RECORDED,
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


def _move(actor: Any, order: Order, status: str, **changes: Any) -> Order:
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
        action=AuditAction.ORDER_CHANGED,
        obj=order,
        changes=audit.diff(old, audit.snapshot(order, ["status", *changes])),
    )
    return order


@transaction.atomic
def place_order(
    *,
    actor: Any,
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
        AuditAction.ORDER_PLACED,
        order,
        ["product", "client_owner", "start_date", "end_date"],
    )


@transaction.atomic
def accept_order(*, actor: Any, order: Order, jobcoach: Any = None) -> Order:
    return _move(actor, order, Order.Status.ACCEPTED, jobcoach=jobcoach or actor)


@transaction.atomic
def refuse_order(*, actor: Any, order: Order, reason: str) -> Order:
    if not reason.strip():
        raise DomainError("Geef een reden voor de weigering.", field="reason")
    return _move(actor, order, Order.Status.REFUSED, refusal_reason=reason.strip())


@transaction.atomic
def start_order(*, actor: Any, order: Order) -> Order:
    return _move(actor, order, Order.Status.RUNNING)


@transaction.atomic
def end_order(*, actor: Any, order: Order, ended_on: date, result: str, note: str = "") -> Order:
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
    actor: Any,
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
    return _create(actor, AuditAction.PROGRESS_REPORTED, report, ["reported_on", "hours"])
