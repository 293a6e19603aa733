from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.employer_services import services
from werkregie.employer_services.models import CandidateProfile, Employer, Match
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.employer_services.vocabulary import DEMANDS
from werkregie.testing import login_client, make_person

pytestmark = pytest.mark.django_db

FORM = {
    "kvk_number": "12345678",
    "name": "Twentse Metaal BV",
    "postcode": "7601 AB",
    "city": "Almelo",
    "sbi_code": "2562",
}


def test_adviser_creates_an_employer_on_screen(cast: dict[str, User]) -> None:
    client = login_client(cast["employer_adviser"])
    response = client.post("/werkgevers/nieuw/", FORM)
    employer = Employer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/werkgevers/{employer.pk}/"
    again = client.post("/werkgevers/nieuw/", {**FORM, "name": "Anders"})
    assert again.status_code == 200
    assert "Er is al een werkgever met KvK-nummer 12345678" in again.content.decode()
    assert Employer.objects.count() == 1


def test_similar_employer_needs_confirmation_on_screen(cast: dict[str, User]) -> None:
    make_employer()
    client = login_client(cast["employer_adviser"])
    form = {**FORM, "kvk_number": "87654321", "name": "Twentse Metaal"}
    refused = client.post("/werkgevers/nieuw/", form)
    assert "Mogelijk dubbel" in refused.content.decode()
    assert client.post("/werkgevers/nieuw/", {**form, "confirmed": "on"}).status_code == 302


def test_second_account_holder_is_refused_on_screen_with_the_name(cast: dict[str, User]) -> None:
    employer = make_employer()
    adviser = cast["employer_adviser"]
    services.assign_account_holder(
        actor=None, employer=employer, user=adviser, started_on=date(2026, 1, 1)
    )
    client = login_client(adviser)
    response = client.post(
        f"/werkgevers/{employer.pk}/accounthouder/",
        {"user": cast["jobcoach_nuo"].pk, "started_on": "2026-02-01"},
        follow=True,
    )
    assert "heeft al een accounthouder: employer_adviser (Werkplein West-Twente)" in (
        response.content.decode()
    )
    assert employer.accounts.count() == 1


def test_jobcoach_logs_a_contact_everyone_sees(cast: dict[str, User]) -> None:
    employer = make_employer()
    login_client(cast["jobcoach_nuo"]).post(
        f"/werkgevers/{employer.pk}/contactmoment/",
        {"occurred_on": "2026-11-02", "channel": "visit", "subject": "Rondleiding werkvloer"},
    )
    page = login_client(cast["client_director_wierden"]).get(f"/werkgevers/{employer.pk}/")
    assert "Rondleiding werkvloer" in page.content.decode()
    assert "(NUO (nieuwe uitvoeringsorganisatie))" in page.content.decode()


def test_merge_on_screen_by_kvk_number(cast: dict[str, User]) -> None:
    survivor = make_employer()
    duplicate = make_employer(kvk="11111111", name="Metaal Twente", postcode="7450AA")
    response = login_client(cast["employer_adviser"]).post(
        f"/werkgevers/{survivor.pk}/samenvoegen/", {"duplicate": "11111111"}, follow=True
    )
    assert "is samengevoegd met dit record" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor


def test_import_screen_lists_every_error_and_writes_nothing(cast: dict[str, User]) -> None:
    client = login_client(cast["employer_adviser"])
    bad = "kvk_nummer;naam;postcode;plaats\n12345678;X;76AB;Almelo\n".encode("cp1252")
    response = client.post("/werkgevers/import/", {"file": SimpleUploadedFile("lijst.csv", bad)})
    text = response.content.decode()
    assert "1 fout gevonden — er is niets opgeslagen" in text
    assert "postcode" in text and "lijst.csv" in text
    assert not Employer.objects.exists()


def test_employer_list_queries_do_not_grow_with_the_page(cast: dict[str, User]) -> None:
    client = login_client(cast["employer_adviser"])
    for n in range(3):
        make_employer(kvk=f"1000000{n}", name=f"Werkgever {n}", postcode=f"760{n}AB")
    with CaptureQueriesContext(connection) as few:
        client.get("/werkgevers/")
    for n in range(3, 9):
        make_employer(kvk=f"1000000{n}", name=f"Werkgever {n}", postcode=f"760{n}AB")
    with CaptureQueriesContext(connection) as more:
        assert "Werkgever 8" in client.get("/werkgevers/").content.decode()
    assert len(more) == len(few)


def test_vacancy_page_ranks_candidates_pseudonymised_for_the_adviser(
    cast: dict[str, User],
) -> None:
    vacancy = make_vacancy()
    hidden = make_profile(make_person(surname="Verborgen"))
    make_profile(make_person(surname="Gedeeld"), shareable=True)
    make_profile(make_person(surname="Botsing"), restrictions=DEMANDS.mask(["standing"]))
    text = login_client(cast["employer_adviser"]).get(f"/vacatures/{vacancy.pk}/").content.decode()
    assert hidden.reference in text and "Verborgen" not in text
    assert "Gedeeld" in text and "Botsing" not in text
    assert "Werkervaring in productie en assemblage" in text
    assert AuditEvent.objects.filter(action="candidate.matched").count() == 2


def test_adviser_records_an_outcome_on_screen(cast: dict[str, User]) -> None:
    vacancy, profile = make_vacancy(), make_profile(shareable=True)
    response = login_client(cast["employer_adviser"]).post(
        f"/vacatures/{vacancy.pk}/kandidaat/{profile.pk}/uitkomst/",
        {"status": "proposed"},
        follow=True,
    )
    assert f"{profile.reference}: voorgesteld aan werkgever." in response.content.decode()
    assert Match.objects.get().status == "proposed"


def test_guide_keeps_a_profile_and_both_consent(cast: dict[str, Any]) -> None:
    person = make_person(residence="GM0141")
    client = login_client(cast["client_director_almelo"])
    form = {
        "occupation_1": "cleaning",
        "description_1": "Kantoren",
        "years_1": "3",
        "years_2": "0",
        "skills": ["accurate", "teamwork"],
        "hours_min": "20",
        "hours_max": "32,5",
        "max_travel_km": "15",
        "available_from": "2026-12-01",
        "status": "active",
        "restrictions": ["heavy_lifting"],
    }
    response = client.post(f"/kandidaten/nieuw/{person.pk}/", form)
    profile = CandidateProfile.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert profile.hours_max == 32.5 and profile.experience[0]["occupation"] == "cleaning"
    assert profile.restrictions == DEMANDS.mask(["heavy_lifting"])
    for party in ("candidate", "professional"):
        client.post(
            f"/kandidaten/{profile.pk}/toestemming/", {"party": party, "given_on": "2026-11-23"}
        )
    profile.refresh_from_db()
    assert profile.shareable
    page = client.get(f"/kandidaten/{profile.pk}/").content.decode()
    assert "Zwaar tillen" in page
    adviser_page = login_client(cast["employer_adviser"]).get(f"/kandidaten/{profile.pk}/")
    assert "Zwaar tillen" not in adviser_page.content.decode()


def test_profile_form_refuses_hours_out_of_order(cast: dict[str, Any]) -> None:
    person = make_person(residence="GM0141")
    response = login_client(cast["client_director_almelo"]).post(
        f"/kandidaten/nieuw/{person.pk}/",
        {
            "years_1": "0",
            "years_2": "0",
            "hours_min": "30",
            "hours_max": "20",
            "max_travel_km": "15",
            "available_from": "2026-12-01",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "Het maximum is kleiner dan het minimum." in response.content.decode()
    assert not CandidateProfile.objects.exists()


def test_match_overview_shows_what_outcomes_teach(cast: dict[str, Any]) -> None:
    vacancy, profile = make_vacancy(), make_profile(shareable=True)
    services.record_match(
        actor=None, vacancy=vacancy, profile=profile, status="placed", recorded_on=date(2026, 11, 1)
    )
    text = login_client(cast["employer_adviser"]).get("/matches/").content.decode()
    assert "Geplaatst: 1" in text and "Beroepsveld" in text
