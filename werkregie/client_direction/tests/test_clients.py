from datetime import date

import pytest
from django.urls import reverse

from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, Consent
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Organisation
from werkregie.testing import api_client, login_client, make_person


def _client(residence: str = "GM0141", kind: str = Client.Kind.PARTICIPATION_ACT) -> Client:
    return services.register_client(
        actor=None,
        person=make_person(residence=residence),
        kind=kind,
        registered_on=date(2024, 3, 1),
    )


def test_regie_follows_residence_or_uwv(region: None) -> None:
    assert _client("GM0189").client_owner.code == "gemeente-wierden"
    assert _client(kind=Client.Kind.UWV).client_owner.code == "uwv"
    with pytest.raises(DomainError, match="geen gemeente in de regio"):
        _client("GM0153")  # Enschede: a neighbour, not one of the region's municipalities


def test_a_person_is_taken_into_regie_once(region: None) -> None:
    client = _client()
    with pytest.raises(DomainError, match="al als cliënt"):
        services.register_client(
            actor=None, person=client.person, kind="uwv", registered_on=date(2024, 1, 1)
        )


def test_klantregisseur_sees_only_the_clients_of_their_municipality(
    cast: dict[str, User],
) -> None:
    almelo, wierden, uwv = _client("GM0141"), _client("GM0189"), _client(kind="uwv")
    assert list(Client.objects.visible_to(cast["client_director_almelo"])) == [almelo]
    assert list(Client.objects.visible_to(cast["client_director_wierden"])) == [wierden]
    for role in ("jobcoach_nuo", "hr_nuo", "transition_manager", "functional_admin"):
        assert not Client.objects.visible_to(cast[role]).exists(), role
    assert uwv.client_owner.code == "uwv"

    wierden_view = login_client(cast["client_director_wierden"])
    assert wierden_view.get(reverse("client_direction:client", args=[almelo.pk])).status_code == 404
    api = api_client(cast["client_director_wierden"])
    assert api.get(f"/api/v1/clients/{almelo.pk}").status_code == 404
    assert [c["id"] for c in api.get("/api/v1/clients").json()["results"]] == [wierden.pk]
    assert api.post(f"/api/v1/clients/{almelo.pk}/consents", {}).status_code == 404


def test_consent_is_recorded_and_withdrawn_once(region: None) -> None:
    client = _client()
    nuo = Organisation.objects.get(code="nuo")
    consent = services.record_consent(
        actor=None,
        client=client,
        subject=Consent.Subject.PROGRESS,
        shared_with=nuo,
        given_on=date(2024, 3, 1),
    )
    assert consent.active_on(date(2024, 6, 1))
    with pytest.raises(DomainError, match="vóór de datum"):
        services.withdraw_consent(actor=None, consent=consent, withdrawn_on=date(2024, 2, 1))
    services.withdraw_consent(actor=None, consent=consent, withdrawn_on=date(2024, 7, 1))
    consent.refresh_from_db()
    assert consent.active_on(date(2024, 6, 30)) and not consent.active_on(date(2024, 7, 1))
    with pytest.raises(DomainError, match="al ingetrokken"):
        services.withdraw_consent(actor=None, consent=consent, withdrawn_on=date(2024, 8, 1))
    actions = set(
        AuditEvent.objects.filter(person_id=client.person_id).values_list("action", flat=True)
    )
    assert {
        ClientDirectionEvent.CONSENT_RECORDED,
        ClientDirectionEvent.CONSENT_WITHDRAWN,
    } <= actions


def test_restriction_text_never_reaches_the_audit_log(region: None) -> None:
    client = _client()
    services.record_restriction(
        actor=None,
        client=client,
        category="physical",
        description="Mag niet tillen boven 5 kilo",
        source="bedrijfsarts",
        valid_from=date(2024, 3, 1),
    )
    event = AuditEvent.objects.get(action=ClientDirectionEvent.RESTRICTION_RECORDED)
    assert event.person_id == client.person_id
    assert "tillen" not in str(event.changes) and event.changes["category"]["new"] == "physical"


def test_klantregisseur_registers_a_client_and_records_consent_and_restriction_in_the_ui(
    cast: dict[str, User],
) -> None:
    person = make_person(residence="GM0141")
    browser = login_client(cast["client_director_almelo"])
    card = browser.get(reverse("people:detail", args=[person.pk])).content.decode()
    register = reverse("client_direction:client_register", args=[person.pk])
    assert register in card
    response = browser.post(register, {"kind": "participatiewet", "registered_on": "2024-03-01"})
    client = Client.objects.get(person=person)
    assert response.status_code == 302 and response["Location"].endswith(f"/{client.pk}/")

    nuo = Organisation.objects.get(code="nuo")
    browser.post(
        reverse("client_direction:consent_add", args=[client.pk]),
        {"subject": "progress", "shared_with": nuo.pk, "given_on": "2024-03-02"},
    )
    bad = browser.post(
        reverse("client_direction:restriction_add", args=[client.pk]),
        {"category": "physical", "description": "", "source": "UWV", "valid_from": "2024-03-02"},
        follow=True,
    )
    assert "Omschrijving: Dit veld is vereist." in bad.content.decode()
    browser.post(
        reverse("client_direction:restriction_add", args=[client.pk]),
        {
            "category": "hours",
            "description": "Maximaal 20 uur per week",
            "source": "UWV-advies",
            "valid_from": "2024-03-02",
        },
    )
    page = browser.get(reverse("client_direction:client", args=[client.pk])).content.decode()
    assert "Voortgang en resultaten" in page and "Maximaal 20 uur per week" in page
    consent = client.consents.get()
    browser.post(
        reverse("client_direction:consent_withdraw", args=[client.pk, consent.pk]),
        {"withdrawn_on": "2024-05-01"},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2024, 5, 1)
    assert AuditEvent.objects.filter(
        action=ClientDirectionEvent.CLIENT_VIEWED, person_id=person.pk
    ).exists()
    listing = browser.get(reverse("client_direction:clients")).content.decode()
    assert person.surname in listing


def test_client_api_life_cycle(cast: dict[str, User]) -> None:
    person = make_person(residence="GM0141")
    outside = make_person(residence="GM0189")
    api = api_client(cast["client_director_almelo"])
    refused = api.post("/api/v1/clients", {"person": outside.pk, "kind": "participatiewet"})
    assert refused.status_code == 400
    created = api.post(
        "/api/v1/clients",
        {"person": person.pk, "kind": "participatiewet", "registeredOn": "2024-03-01"},
    )
    assert created.status_code == 201 and created.json()["clientOwner"] == "gemeente-almelo"
    pk = created.json()["id"]
    consent = api.post(
        f"/api/v1/clients/{pk}/consents",
        {"subject": "restrictions", "sharedWith": "nuo", "givenOn": "2024-03-01"},
    )
    assert consent.status_code == 201
    withdrawn = api.post(
        f"/api/v1/clients/{pk}/withdraw-consent",
        {"consent": consent.json()["id"], "withdrawnOn": "2024-04-01"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawnOn"] == "2024-04-01"
    restriction = api.post(
        f"/api/v1/clients/{pk}/restrictions",
        {
            "category": "mental",
            "description": "Rustige werkplek",
            "source": "eigen opgave",
            "validFrom": "2024-03-01",
        },
    )
    assert restriction.status_code == 201
    reads = AuditEvent.objects.filter(action=ClientDirectionEvent.CLIENT_VIEWED).count()
    listed = api.get(f"/api/v1/clients/{pk}/restrictions").json()
    assert [r["description"] for r in listed] == ["Rustige werkplek"]
    assert AuditEvent.objects.filter(action=ClientDirectionEvent.CLIENT_VIEWED).count() == reads + 1
    detail = api.get(f"/api/v1/clients/{pk}").json()
    assert "restrictions" not in detail and detail["consents"][0]["subject"] == "restrictions"
