from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Person
from werkregie.testing import BSN_A, BSN_INVALID, make_employment, make_person

Login = Callable[[User], Client]


def test_detail_page_creates_exactly_one_audit_event(cast: dict[str, User], login: Login) -> None:
    person = make_person(bsn=BSN_A)
    make_employment(person)
    client = login(cast["hr_nuo"])
    before = AuditEvent.objects.count()
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    assert BSN_A in response.content.decode()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.person_id, event.actor) == (
        PeopleEvent.PERSON_VIEWED,
        person.pk,
        cast["hr_nuo"],
    )


def test_client_director_gets_404_for_resident_of_other_municipality(
    cast: dict[str, User], login: Login
) -> None:
    person = make_person(residence="GM0189")
    response = login(cast["client_director_almelo"]).get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=PeopleEvent.PERSON_VIEWED).exists()


def test_form_refuses_invalid_bsn_in_dutch_and_writes_nothing(
    cast: dict[str, User], login: Login
) -> None:
    response = login(cast["client_director_almelo"]).post(
        reverse("people:create"),
        {
            "bsn": BSN_INVALID,
            "surname": "Jansen",
            "birth_date": "1970-01-01",
            "sex": "M",
            "postcode": "7607AB",
        },
    )
    assert response.status_code == 200
    assert "elfproef" in response.content.decode()
    assert Person.objects.count() == 0


def test_form_registers_person_with_residence_from_postcode(
    cast: dict[str, User], login: Login
) -> None:
    response = login(cast["client_director_almelo"]).post(
        reverse("people:create"),
        {
            "bsn": BSN_A,
            "surname": "Jansen",
            "birth_date": "1970-01-01",
            "sex": "M",
            "postcode": "7607 AB",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert person.residence_municipality.cbs_code == "GM0141"


def test_search_by_bsn_is_a_post_and_stays_in_scope(cast: dict[str, User], login: Login) -> None:
    make_person(residence="GM0189", bsn=BSN_A, surname="Wierdenaar")
    client = login(cast["client_director_almelo"])
    response = client.post(reverse("people:search"), {"q": BSN_A}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Wierdenaar" not in response.content.decode()
    assert client.get(reverse("people:search")).status_code == 405


def test_search_finds_name_without_accents(cast: dict[str, User], login: Login) -> None:
    make_person(surname="Öztürk")
    make_person(surname="Aydın")
    client = login(cast["client_director_almelo"])
    assert "Öztürk" in client.post(reverse("people:search"), {"q": "ozt"}).content.decode()
    assert "Aydın" in client.post(reverse("people:search"), {"q": "aydin"}).content.decode()


def test_employment_change_form_keeps_history(cast: dict[str, User], login: Login) -> None:
    employment = make_employment(make_person())
    response = login(cast["hr_nuo"]).post(
        reverse("people:employment_change", args=[employment.pk]),
        {
            "effective_date": "2025-01-01",
            "employer": employment.employer_id,
            "work_form": employment.work_form,
            "indication": employment.indication,
            "scale": "4",
            "step": "0",
            "hours_per_week": "36.00",
            "gross_monthly_wage": "2700.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert employment.person.employments.count() == 2


def test_the_employment_form_records_that_the_wage_was_seen(
    cast: dict[str, User], login: Login
) -> None:
    employment = make_employment(make_person())
    page = login(cast["hr_nuo"]).get(reverse("people:employment_change", args=[employment.pk]))
    assert page.status_code == 200 and "2612" in page.content.decode()  # the wage, shown
    event = AuditEvent.objects.get(action="employment.viewed", object_id=str(employment.pk))
    assert event.actor == cast["hr_nuo"] and event.person_id == employment.person_id


def test_list_page_query_count_does_not_grow_with_rows(cast: dict[str, User], login: Login) -> None:
    client = login(cast["transition_manager"])
    make_person()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for _ in range(20):
        make_person()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:list"))
    assert len(many) == len(few)
