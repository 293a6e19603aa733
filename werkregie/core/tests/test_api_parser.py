from werkregie.accounts.models import User
from werkregie.people.models import Person
from werkregie.testing import api_client


def test_a_nul_character_anywhere_in_a_body_is_a_400(cast: dict[str, User]) -> None:
    """Found by schemathesis on PostgreSQL: a NUL in a code looked up by slug was a 500."""
    api = api_client(cast["hr_nuo"])
    before = Person.objects.count()
    for body in (
        {
            "surname": "Jansen",
            "birthDate": "1980-01-01",
            "sex": "M",
            "residenceMunicipality": "GM\x000141",
        },
        {"surname": "Jansen", "nested": [{"deep": "a\x00b"}]},
        {"sur\x00name": "Jansen"},
    ):
        response = api.post("/api/v1/persons", body, format="json")
        assert response.status_code == 400, body
        assert "NUL-teken" in response.json()["nonFieldErrors"][0]
    assert Person.objects.count() == before
    ok = api.post(
        "/api/v1/persons",
        {
            "surname": "Jansen",
            "birthDate": "1980-01-01",
            "sex": "M",
            "residenceMunicipality": "GM0141",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
