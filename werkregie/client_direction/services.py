"""Klantregie's write API: registering clients, their consents and restrictions (audited)."""

from datetime import date
from typing import Any

from django.db import transaction

from werkregie.client_direction.models import Client, Consent, Restriction
from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction
from werkregie.organisations.models import Organisation
from werkregie.people.models import Person

UWV_CODE = "uwv"


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
    client.full_clean()
    client.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.CLIENT_REGISTERED,
        obj=client,
        changes=audit.diff(
            {}, {"kind": kind, "client_owner": owner.code, "registered_on": registered_on}
        ),
    )
    return client


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
    consent.full_clean()
    consent.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.CONSENT_RECORDED,
        obj=consent,
        changes=audit.diff(
            {},
            audit.snapshot(consent, ["subject", "shared_with", "given_on", "valid_to"]),
        ),
    )
    return consent


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
    restriction.full_clean()
    restriction.save()
    # The log names the kind and period, never the description: special-category data stays
    # in one place.
    audit.record_change(
        actor=actor,
        action=AuditAction.RESTRICTION_RECORDED,
        obj=restriction,
        changes=audit.diff(
            {}, audit.snapshot(restriction, ["category", "source", "valid_from", "valid_to"])
        ),
    )
    return restriction
