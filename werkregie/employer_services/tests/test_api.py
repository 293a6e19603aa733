from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.employer_services.models import CandidateProfile, Employer, Match
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.employer_services.vocabulary import DEMANDS
from werkregie.testing import api_client, make_person

pytestmark = pytest.mark.django_db

NEW = {
    "kvkNumber": "12345678",
    "name": "Twentse Metaal BV",
    "postcode": "7601 AB",
    "city": "Almelo",
}


def test_adviser_creates_an_employer_and_a_second_for_the_kvk_is_refused(
    cast: dict[str, User],
) -> None:
    client = api_client(cast["employer_adviser"])
    response = client.post("/api/v1/employers", {**NEW, "sbiCode": "2562"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["sector"] == "C"
    assert response.json()["municipality"] == "GM0141"
    again = client.post("/api/v1/employers", {**NEW, "name": "Anders"}, format="json")
    assert again.status_code == 400
    assert "Twentse Metaal BV" in again.json()["kvkNumber"][0]


def test_second_account_holder_is_refused_with_the_current_name(cast: dict[str, User]) -> None:
    employer = make_employer()
    client = api_client(cast["employer_adviser"])
    url = f"/api/v1/employers/{employer.pk}/account-holder"
    first = client.post(url, {"user": "employer_adviser", "startedOn": "2026-01-01"}, format="json")
    assert first.status_code == 200
    assert first.json()["accountHolder"]["organisation"] == "werkplein-west-twente"
    second = client.post(url, {"user": "jobcoach_nuo", "startedOn": "2026-02-01"}, format="json")
    assert second.status_code == 400
    assert "employer_adviser" in second.json()["user"][0]


def test_contact_log_is_shared_across_organisations(cast: dict[str, User]) -> None:
    employer = make_employer()
    body = {"occurredOn": "2026-05-01", "channel": "visit", "subject": "Kennismaking"}
    for who in ("employer_adviser", "jobcoach_nuo", "client_director_almelo"):
        response = api_client(cast[who]).post(
            f"/api/v1/employers/{employer.pk}/moments", body, format="json"
        )
        assert response.status_code == 201, (who, response.json())
    log = api_client(cast["jobcoach_nuo"]).get(f"/api/v1/employers/{employer.pk}/moments").json()
    assert {m["organisation"] for m in log} == {"werkplein-west-twente", "nuo", "werkplein-almelo"}
    # Contact persons and agreements are the employer services' to keep.
    denied = api_client(cast["jobcoach_nuo"]).post(
        f"/api/v1/employers/{employer.pk}/contacts", {"name": "Piet"}, format="json"
    )
    assert denied.status_code == 403


def test_merge_through_the_api(cast: dict[str, User]) -> None:
    survivor = make_employer(kvk="12345678")
    duplicate = make_employer(kvk="11111111", name="Ander", postcode="7450AA")
    response = api_client(cast["employer_adviser"]).post(
        f"/api/v1/employers/{survivor.pk}/merge", {"duplicate": duplicate.pk}, format="json"
    )
    assert response.status_code == 200
    assert Employer.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    listed = api_client(cast["employer_adviser"]).get("/api/v1/employers").json()["results"]
    assert [e["id"] for e in listed] == [survivor.pk]


def test_import_through_the_api_names_row_and_column(cast: dict[str, User]) -> None:
    client = api_client(cast["employer_adviser"])
    good = b"kvk_nummer;naam;postcode;plaats\n12345678;Twentse Metaal BV;7601AB;Almelo\n"
    response = client.post(
        "/api/v1/employers/import",
        {"file": SimpleUploadedFile("w.csv", good)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 1
    again = client.post(
        "/api/v1/employers/import", {"file": SimpleUploadedFile("w.csv", good)}, format="multipart"
    )
    assert again.status_code == 200 and again.json()["unchanged"] == 1
    bad = b"kvk_nummer;naam;postcode;plaats\n123;X;7601AB;Almelo\n"
    refused = client.post(
        "/api/v1/employers/import", {"file": SimpleUploadedFile("w.csv", bad)}, format="multipart"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["row"] == 2
    assert refused.json()["errors"][0]["column"] == "kvk_nummer"


def test_adviser_sees_candidates_pseudonymised_until_both_consent(cast: dict[str, User]) -> None:
    vacancy = make_vacancy()
    hidden = make_profile(make_person(surname="Verborgen"))
    shared = make_profile(make_person(surname="Gedeeld"), shareable=True)
    make_profile(make_person(surname="Lawaai"), restrictions=DEMANDS.mask(["standing"]))
    response = api_client(cast["employer_adviser"]).get(
        f"/api/v1/vacancies/{vacancy.pk}/candidates"
    )
    assert response.status_code == 200
    rows = {row["profile"]: row for row in response.json()}
    assert set(rows) == {hidden.pk, shared.pk}  # the conflicting candidate never appears
    assert rows[hidden.pk]["candidateName"] is None
    assert rows[hidden.pk]["reference"] == hidden.reference
    assert rows[shared.pk]["candidateName"].startswith("Gedeeld")
    assert rows[shared.pk]["criteria"][0]["title"] == "Beroepsveld"
    assert AuditEvent.objects.filter(action="candidate.matched").count() == 2


def test_restrictions_are_for_the_guide_only(cast: dict[str, User]) -> None:
    profile = make_profile(restrictions=DEMANDS.mask(["noise"]))
    guide = api_client(cast["client_director_almelo"])
    adviser = api_client(cast["employer_adviser"])
    # The profile's person lives in Almelo but is no client: the werkplein keeps the profile.
    assert guide.get(f"/api/v1/candidate-profiles/{profile.pk}").json()["restrictions"] == ["noise"]
    seen = adviser.get(f"/api/v1/candidate-profiles/{profile.pk}").json()
    assert seen["restrictions"] is None and seen["name"] is None
    other = api_client(cast["client_director_wierden"])
    assert other.get(f"/api/v1/candidate-profiles/{profile.pk}").status_code == 404
    assert (
        AuditEvent.objects.filter(action="candidate.viewed", person_id=profile.person_id).count()
        == 2
    )


def test_guide_creates_a_profile_and_consents(cast: dict[str, User]) -> None:
    person = make_person(residence="GM0141")
    from werkregie.client_direction.services import register_client

    register_client(
        actor=None, person=person, kind="participatiewet", registered_on=date(2024, 1, 1)
    )
    client = api_client(cast["client_director_almelo"])
    body: dict[str, Any] = {
        "person": person.pk,
        "experience": [{"occupation": "cleaning", "years": 2}],
        "skills": ["accurate"],
        "hoursMin": "20",
        "hoursMax": "32",
        "maxTravelKm": 10,
        "availableFrom": "2026-12-01",
        "restrictions": ["heavy_lifting"],
    }
    created = client.post("/api/v1/candidate-profiles", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["owner"] == "werkplein-almelo"
    for party in ("candidate", "professional"):
        response = client.post(
            f"/api/v1/candidate-profiles/{pk}/consent",
            {"party": party, "givenOn": "2026-11-23"},
            format="json",
        )
        assert response.status_code == 200
    assert response.json()["shareable"] is True
    out_of_scope = api_client(cast["client_director_wierden"]).post(
        "/api/v1/candidate-profiles", {**body, "person": make_person().pk}, format="json"
    )
    assert out_of_scope.status_code == 404
    assert CandidateProfile.objects.count() == 1


def test_adviser_records_an_outcome(cast: dict[str, User]) -> None:
    vacancy = make_vacancy()
    profile = make_profile(shareable=True)
    client = api_client(cast["employer_adviser"])
    response = client.post(
        "/api/v1/matches",
        {"vacancy": vacancy.pk, "profile": profile.pk, "status": "proposed"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["score"] > 0
    rejected = client.post(
        "/api/v1/matches",
        {"vacancy": vacancy.pk, "profile": profile.pk, "status": "rejected"},
        format="json",
    )
    assert rejected.status_code == 400 and "reason" in rejected.json()
    assert Match.objects.get().status == "proposed"
    assert (
        client.post(
            "/api/v1/matches",
            {"vacancy": vacancy.pk, "profile": 999999, "status": "proposed"},
            format="json",
        ).status_code
        == 404
    )
