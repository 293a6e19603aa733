"""Optimistic locking (core.locking): an edit made after someone else's change is refused in
the screen and the API, never applied over it."""

from decimal import Decimal
from typing import Any

from django.urls import reverse

from werkregie.accounts.models import User
from werkregie.employer_services.tests.factories import make_employer
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people import services as people_services
from werkregie.people.forms import PersonForm
from werkregie.people.models import Person
from werkregie.testing import api_client, fingerprint_in, login_client, make_person


def _form_data(person: Person) -> dict[str, Any]:
    form = PersonForm(instance=person)
    return {name: form[name].value() or "" for name in form.fields}


def test_a_stale_person_edit_in_the_screen_is_refused_then_saved_knowingly(
    cast: dict[str, User],
) -> None:
    person = make_person(surname="Jansen")
    editor = login_client(cast["client_director_almelo"])
    url = reverse("people:edit", args=[person.pk])
    token = fingerprint_in(editor.get(url).content.decode())
    # Meanwhile HR changes the same person.
    people_services.update_person(
        actor=cast["hr_nuo"], person=person, changes={"given_name": "Johanna"}
    )
    data = {**_form_data(person), "surname": "Janssen", "fingerprint": token}
    refused = editor.post(url, data)
    html = refused.content.decode()
    assert refused.status_code == 200 and "Iemand anders heeft deze gegevens gewijzigd" in html
    assert "hr_nuo" in html  # who changed it, from the audit log
    person.refresh_from_db()
    assert (person.surname, person.given_name) == ("Jansen", "Johanna")
    # The form now carries the current fingerprint: saving again is a deliberate choice.
    again = editor.post(url, {**data, "fingerprint": fingerprint_in(html)})
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.surname == "Janssen"


def test_a_person_edit_over_the_api_needs_the_current_etag(cast: dict[str, User]) -> None:
    person = make_person(surname="Jansen")
    client = api_client(cast["client_director_almelo"])
    url = f"/api/v1/persons/{person.pk}"
    etag = client.get(url)["ETag"]
    missing = client.patch(url, {"surname": "Janssen"}, format="json")
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    saved = client.patch(url, {"surname": "Janssen"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved["ETag"] != etag
    # The old ETag is stale now: a second client that read before the change is refused.
    stale = client.patch(url, {"surname": "Jansma"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and "Iemand anders" in stale.json()["detail"]
    person.refresh_from_db()
    assert person.surname == "Janssen"
    fresh = client.patch(url, {"surname": "Jansma"}, format="json", HTTP_IF_MATCH=saved["ETag"])
    assert fresh.status_code == 200


def test_a_stale_employer_edit_over_the_api_is_refused(cast: dict[str, User]) -> None:
    employer = make_employer()
    client = api_client(cast["employer_adviser"])
    url = f"/api/v1/employers/{employer.pk}"
    etag = client.get(url)["ETag"]
    first = client.patch(url, {"name": "Eerste naam BV"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    second = client.patch(url, {"name": "Tweede naam BV"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    employer.refresh_from_db()
    assert employer.name == "Eerste naam BV"


def test_a_stale_employer_edit_in_the_screen_is_refused(cast: dict[str, User]) -> None:
    from werkregie.employer_services.forms import EmployerForm

    employer = make_employer()
    editor = login_client(cast["employer_adviser"])
    url = reverse("employer_services:employer_edit", args=[employer.pk])
    token = fingerprint_in(editor.get(url).content.decode())
    api = api_client(cast["employer_adviser"])
    etag = api.get(f"/api/v1/employers/{employer.pk}")["ETag"]
    changed = api.patch(
        f"/api/v1/employers/{employer.pk}", {"name": "Andere BV"}, format="json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200
    form = EmployerForm(initial=EmployerForm.initial_for(employer))
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="Mijn BV", fingerprint=token)
    refused = editor.post(url, data)
    assert refused.status_code == 200
    assert "Iemand anders heeft deze gegevens gewijzigd" in refused.content.decode()
    employer.refresh_from_db()
    assert employer.name == "Andere BV"


def test_hours_registered_meanwhile_are_not_overwritten_from_the_screen(
    cast: dict[str, User],
) -> None:
    from werkregie.secondments.models import HoursRegistration
    from werkregie.secondments.tests.factories import employee, make_contract, second

    contract = make_contract()
    secondment = second(contract, employee("60010", surname="Uren"))
    editor = login_client(cast["hr_nuo"])
    url = f"/detacheringen/{contract.pk}/?maand=2026-10"
    token = fingerprint_in(editor.get(url).content.decode())
    # Meanwhile a colleague registers the month over the API.
    api = api_client(cast["hr_nuo"])
    etag = api.get(f"/api/v1/secondment-contracts/{contract.pk}")["ETag"]
    body = {"secondment": secondment.pk, "month": "2026-10", "hours": "80"}
    first = api.post(
        f"/api/v1/secondment-contracts/{contract.pk}/hours", body, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200 and first["ETag"] != etag
    refused = editor.post(
        f"/detacheringen/{contract.pk}/uren/",
        {"month": "2026-10", f"uren_{secondment.pk}": "120", "fingerprint": token},
        follow=True,
    )
    assert "Iemand anders heeft deze gegevens gewijzigd" in refused.content.decode()
    assert HoursRegistration.objects.get().hours == 80
    # The API client that read before its own change is stale too; with the new ETag it goes.
    stale = api.post(
        f"/api/v1/secondment-contracts/{contract.pk}/hours",
        {**body, "hours": "90"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412 and HoursRegistration.objects.get().hours == 80
    missing = api.post(f"/api/v1/secondment-contracts/{contract.pk}/hours", body, format="json")
    assert missing.status_code == 428
    fresh = api.post(
        f"/api/v1/secondment-contracts/{contract.pk}/hours",
        {**body, "hours": "90"},
        format="json",
        HTTP_IF_MATCH=first["ETag"],
    )
    assert fresh.status_code == 200 and HoursRegistration.objects.get().hours == 90


def test_an_agreement_is_not_adopted_over_a_target_changed_meanwhile(
    cast: dict[str, User],
) -> None:
    from werkregie.planning import services as planning
    from werkregie.planning.models import AgreementTarget, PerformanceAgreement

    controller = cast["controller_wierden"]
    agreement = planning.save_agreement(
        actor=controller,
        municipality=Municipality.objects.get(cbs_code="GM0189"),
        provider=Organisation.objects.get(code="nuo"),
        year=2026,
        budget=Decimal("1000"),
        status=PerformanceAgreement.Status.DRAFT,
    )
    screen = login_client(controller)
    url = f"/prestatieafspraken/{agreement.pk}/"
    token = fingerprint_in(screen.get(url).content.decode())
    api = api_client(controller)
    etag = api.get(f"/api/v1/performance-agreements/{agreement.pk}")["ETag"]
    target = {"indicator": "sheltered_places", "target": "12"}
    changed = api.post(
        f"/api/v1/performance-agreements/{agreement.pk}/targets",
        target,
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 201, changed.json()
    # The screen still shows no target: adopting now would adopt what nobody there saw.
    refused = screen.post(f"{url}vaststellen/", {"fingerprint": token}, follow=True)
    assert "Iemand anders heeft deze gegevens gewijzigd" in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == PerformanceAgreement.Status.DRAFT
    # A target typed on the stale page is refused as well, and so is the API's old ETag.
    stale_form = screen.post(url, {**target, "target": "15", "fingerprint": token})
    assert "Iemand anders heeft deze gegevens gewijzigd" in stale_form.content.decode()
    assert AgreementTarget.objects.get(agreement=agreement).target == 12
    stale = api.post(
        f"/api/v1/performance-agreements/{agreement.pk}/agree", format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    adopted = api.post(
        f"/api/v1/performance-agreements/{agreement.pk}/agree",
        format="json",
        HTTP_IF_MATCH=changed["ETag"],
    )
    assert adopted.status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == PerformanceAgreement.Status.AGREED
