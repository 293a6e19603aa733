"""Lists that show persons leave a trace (issue 15): every row shown, in the screens and the
API alike, is one `person.listed` event tied to its person, so "who saw person X" finds each
list that showed X. Compared with the rows the page or API actually answered."""

from datetime import date
from typing import Any

import pytest

from werkregie.accounts.models import User
from werkregie.client_direction.tests.factories import make_client
from werkregie.core.models import AuditEvent
from werkregie.employer_services import services as employer_services
from werkregie.employer_services.tests.factories import make_profile, make_vacancy
from werkregie.testing import api_client, login_client, make_person

pytestmark = pytest.mark.django_db


def _listed(user: User) -> list[tuple[str, int | None]]:
    events = AuditEvent.objects.filter(action="person.listed", actor=user)
    return sorted((e.object_type, e.person_id) for e in events)


def _ids(rows: list[dict[str, Any]], key: str = "id") -> list[int]:
    return sorted(row[key] for row in rows)


def test_the_person_list_records_each_person_shown_screen_and_api(cast: dict[str, User]) -> None:
    people = [make_person(surname=f"Lijst{n}") for n in range(3)]
    user = cast["client_director_almelo"]
    page = login_client(user).get("/personen/")
    assert page.status_code == 200 and "Lijst0" in page.content.decode()
    shown = {p.pk for p in people}
    assert {pid for kind, pid in _listed(user) if kind == "people.person"} >= shown
    before = AuditEvent.objects.filter(action="person.listed").count()
    answered = api_client(user).get("/api/v1/persons").json()["results"]
    new = AuditEvent.objects.filter(action="person.listed").order_by("-id")[: len(answered)]
    assert AuditEvent.objects.filter(action="person.listed").count() == before + len(answered)
    assert sorted(e.person_id or 0 for e in new) == _ids(answered)


def test_a_search_over_the_api_records_each_person_once(cast: dict[str, User]) -> None:
    found = [make_person(surname=f"Zoekeens{n}") for n in range(2)]
    user = cast["client_director_almelo"]
    answered = api_client(user).post("/api/v1/persons/search", {"query": "zoekeens"}, format="json")
    assert _ids(answered.json()["results"]) == sorted(p.pk for p in found)
    assert _listed(user) == sorted(("people.person", p.pk) for p in found)


def test_the_client_list_records_each_client_shown_screen_and_api(cast: dict[str, User]) -> None:
    clients = [make_client(surname=f"Regie{n}") for n in range(2)]
    user = cast["client_director_almelo"]
    page = login_client(user).get("/klantregie/clienten/")
    assert "Regie0" in page.content.decode()
    expected = sorted(("client_direction.client", c.person_id) for c in clients)
    assert _listed(user) == expected
    answered = api_client(user).get("/api/v1/clients").json()["results"]
    assert len(answered) == 2
    assert _listed(user) == sorted(expected * 2)


def test_the_match_list_records_each_candidate_shown(cast: dict[str, User]) -> None:
    adviser = cast["employer_adviser"]
    profile = make_profile(shareable=True)
    employer_services.record_match(
        actor=adviser,
        vacancy=make_vacancy(),
        profile=profile,
        status="proposed",
        recorded_on=date(2026, 12, 1),
    )
    answered = api_client(adviser).get("/api/v1/matches").json()["results"]
    assert len(answered) == 1
    assert _listed(adviser) == [("employer_services.match", profile.person_id)]
