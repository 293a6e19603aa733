from collections.abc import Callable

from django.test import Client
from rest_framework.test import APIClient

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Employment, Person
from werkregie.testing import BSN_A, BSN_INVALID, api_client, make_employment, make_person

Login = Callable[[User], Client]


def test_lists_persons_in_camel_case_without_bsn(cast: dict[str, User]) -> None:
    make_person(bsn=BSN_A, surname_prefix="van")
    body = api_client(cast["client_director_almelo"]).get("/api/v1/persons").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["surnamePrefix"] == "van"
    assert row["residenceMunicipality"] == "GM0141"
    assert "bsn" not in row


def test_retrieve_shows_bsn_and_records_one_read(cast: dict[str, User]) -> None:
    person = make_person(bsn=BSN_A)
    response = api_client(cast["client_director_almelo"]).get(f"/api/v1/persons/{person.pk}")
    assert response.json()["bsn"] == BSN_A
    assert (
        AuditEvent.objects.filter(action=PeopleEvent.PERSON_VIEWED, person_id=person.pk).count()
        == 1
    )


def test_out_of_scope_person_is_404(cast: dict[str, User]) -> None:
    person = make_person(residence="GM0189")
    assert (
        api_client(cast["client_director_almelo"]).get(f"/api/v1/persons/{person.pk}").status_code
        == 404
    )


def test_create_refuses_invalid_bsn_in_dutch(cast: dict[str, User]) -> None:
    response = api_client(cast["client_director_almelo"]).post(
        "/api/v1/persons",
        {
            "bsn": BSN_INVALID,
            "surname": "Jansen",
            "birthDate": "1970-01-01",
            "sex": "M",
            "postcode": "7607AB",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "elfproef" in response.json()["bsn"][0]
    assert Person.objects.count() == 0


def test_create_derives_residence(cast: dict[str, User]) -> None:
    response = api_client(cast["client_director_almelo"]).post(
        "/api/v1/persons",
        {
            "bsn": BSN_A,
            "surname": "Jansen",
            "birthDate": "1970-01-01",
            "sex": "M",
            "postcode": "7607AB",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["residenceMunicipality"] == "GM0141"


def test_search_is_post_and_scoped(cast: dict[str, User]) -> None:
    make_person(bsn=BSN_A, residence="GM0189")
    api = api_client(cast["client_director_almelo"])
    assert api.post("/api/v1/persons/search", {"query": BSN_A}, format="json").json()["count"] == 0
    api = api_client(cast["client_director_wierden"])
    assert api.post("/api/v1/persons/search", {"query": BSN_A}, format="json").json()["count"] == 1


def test_employment_change_through_api_keeps_history(cast: dict[str, User]) -> None:
    employment = make_employment(make_person())
    response = api_client(cast["hr_nuo"]).post(
        f"/api/v1/employments/{employment.pk}/change",
        {"effectiveDate": "2025-03-01", "hoursPerWeek": "30.00"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["hoursPerWeek"] == "30.00"
    assert Employment.objects.filter(person=employment.person).count() == 2


def test_employment_change_refused_for_job_coach(cast: dict[str, User]) -> None:
    employment = make_employment(make_person())
    response = api_client(cast["jobcoach_nuo"]).post(
        f"/api/v1/employments/{employment.pk}/change",
        {"effectiveDate": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 403


def test_session_without_second_factor_is_not_an_api_login(cast: dict[str, User]) -> None:
    client = APIClient()
    client.force_login(cast["hr_nuo"])
    assert client.get("/api/v1/persons").status_code in (401, 403)


def test_verified_session_works_for_theapi_client(cast: dict[str, User], login: Login) -> None:
    assert login(cast["hr_nuo"]).get("/api/v1/organisations").status_code == 200


def test_schema_is_served_as_openapi_3_to_logged_in_users_only(
    cast: dict[str, User], login: Login
) -> None:
    accept = {"Accept": "application/vnd.oai.openapi+json"}
    assert Client().get("/api/v1/schema/", headers=accept).status_code == 401
    response = login(cast["board_nuo"]).get("/api/v1/schema/", headers=accept)
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_each_role_gets_the_schema_of_the_fields_it_may_see(cast: dict[str, User]) -> None:
    """The schema is built once per role (core.schema_view): HR asking first must not hand its
    wage fields to the transitiemanager, nor the other way round."""

    def employment_fields(role: str) -> set[str]:
        response = api_client(cast[role]).get(
            "/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}
        )
        assert response.status_code == 200
        return set(response.json()["components"]["schemas"]["Employment"]["properties"])

    for _ in range(2):  # the second round is answered from the cache
        assert {"grossMonthlyWage", "scale", "step"} <= employment_fields("hr_nuo")
        assert not {"grossMonthlyWage", "scale", "step"} & employment_fields("transition_manager")
