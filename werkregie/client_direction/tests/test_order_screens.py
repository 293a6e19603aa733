from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, Order, Product
from werkregie.client_direction.takeover import RunningTrajectory, take_over_trajectories
from werkregie.client_direction.tests.factories import make_client, make_order, product
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import Person
from werkregie.testing import api_client, login_client


def _messages(response: object) -> str:
    return " ".join(str(m) for m in response.context["messages"])  # type: ignore[attr-defined]


def test_order_life_cycle_through_the_screens(cast: dict[str, User]) -> None:
    client = make_client(actor=cast["client_director_almelo"])
    werkplein = login_client(cast["client_director_almelo"])
    coach = login_client(cast["jobcoach_nuo"])
    today = timezone.localdate()
    form = werkplein.get(f"/klantregie/clienten/{client.pk}/opdracht/")
    assert "Jobcoaching — NUO" in form.content.decode()
    refused_end = werkplein.post(
        f"/klantregie/clienten/{client.pk}/opdracht/",
        {"product": product().pk, "start_date": today, "end_date": today - timedelta(days=1)},
    )
    assert "De einddatum ligt vóór de startdatum" in refused_end.content.decode()
    assert not Order.objects.exists()
    placed = werkplein.post(
        f"/klantregie/clienten/{client.pk}/opdracht/",
        {"product": product().pk, "start_date": today, "end_date": today + timedelta(days=90)},
    )
    order = Order.objects.get()
    url = f"/klantregie/opdrachten/{order.pk}/"
    assert placed["Location"] == url

    # The klantregisseur cannot accept; the provider can.
    assert werkplein.post(f"{url}accepteren/").status_code == 403
    page = coach.get(url).content.decode()
    assert "Opdracht accepteren" in page and "Opdracht starten" not in page
    step = coach.post(f"{url}starten/", follow=True)
    assert "kan niet naar" in _messages(step)
    coach.post(f"{url}accepteren/", {"jobcoach": cast["jobcoach_nuo"].pk})
    coach.post(f"{url}starten/")
    no_hours = coach.post(f"{url}voortgang/", {"reported_on": today, "note": "x"}, follow=True)
    assert "Niet opgeslagen. Uren: " in _messages(no_hours)
    coach.post(
        f"{url}voortgang/",
        {"reported_on": today, "hours": "3,5", "attendance_percentage": 90, "note": "Goed bezig"},
    )
    seen = werkplein.get(url).content.decode()
    assert "Goed bezig" in seen and "3,50" in seen and "Lopend" in seen
    coach.post(f"{url}afronden/", {"ended_on": today, "note": "Klaar"})
    order.refresh_from_db()
    assert (order.status, order.result, order.last_reported_on) == (
        "completed",
        "as_planned",
        today,
    )
    assert set(
        AuditEvent.objects.filter(object_id=str(order.pk)).values_list("action", flat=True)
    ) >= {
        ClientDirectionEvent.ORDER_PLACED,
        ClientDirectionEvent.ORDER_CHANGED,
        ClientDirectionEvent.ORDER_VIEWED,
    }


def test_either_side_stops_and_the_provider_refuses_with_a_reason(cast: dict[str, User]) -> None:
    werkplein = login_client(cast["client_director_almelo"])
    coach = login_client(cast["jobcoach_nuo"])
    refused = make_order()
    empty = coach.post(f"/klantregie/opdrachten/{refused.pk}/weigeren/", {}, follow=True)
    assert "Reden van weigering: Dit veld is vereist" in _messages(empty)
    coach.post(f"/klantregie/opdrachten/{refused.pk}/weigeren/", {"reason": "Geen plek"})
    refused.refresh_from_db()
    assert (refused.status, refused.refusal_reason) == ("refused", "Geen plek")
    stopped = make_order()
    werkplein.post(
        f"/klantregie/opdrachten/{stopped.pk}/stoppen/",
        {"ended_on": "2025-01-20", "result": "moved", "note": "Verhuisd naar Enschede"},
    )
    stopped.refresh_from_db()
    assert (stopped.status, stopped.result) == ("stopped", "moved")
    assert coach.post(f"/klantregie/opdrachten/{stopped.pk}/onbekend/").status_code == 404


def test_provider_sees_restrictions_only_under_consent(cast: dict[str, User]) -> None:
    client = make_client()
    services.record_restriction(
        actor=None,
        client=client,
        category="physical",
        description="Niet tillen boven 10 kg",
        source="bedrijfsarts",
        valid_from=date(2024, 1, 1),
    )
    order = make_order(client)
    coach = login_client(cast["jobcoach_nuo"])
    coach_api = api_client(cast["jobcoach_nuo"])
    assert "Niet tillen" not in coach.get(f"/klantregie/opdrachten/{order.pk}/").content.decode()
    assert coach_api.get(f"/api/v1/orders/{order.pk}").json()["restrictions"] is None
    consent = services.record_consent(
        actor=None,
        client=client,
        subject="restrictions",
        shared_with=Organisation.objects.get(code="nuo"),
        given_on=date(2024, 1, 1),
    )
    assert "Niet tillen" in coach.get(f"/klantregie/opdrachten/{order.pk}/").content.decode()
    shown = coach_api.get(f"/api/v1/orders/{order.pk}").json()["restrictions"]
    assert [r["description"] for r in shown] == ["Niet tillen boven 10 kg"]
    services.withdraw_consent(actor=None, consent=consent, withdrawn_on=date(2024, 6, 1))
    assert coach_api.get(f"/api/v1/orders/{order.pk}").json()["restrictions"] is None
    # Consent with another organisation does not open it for the NUO.
    services.record_consent(
        actor=None,
        client=client,
        subject="restrictions",
        shared_with=Organisation.objects.get(code="de-sterkerij"),
        given_on=date(2024, 1, 1),
    )
    assert coach_api.get(f"/api/v1/orders/{order.pk}").json()["restrictions"] is None
    # The klantregisseur holds the regie and always sees them.
    almelo = api_client(cast["client_director_almelo"]).get(f"/api/v1/orders/{order.pk}")
    assert len(almelo.json()["restrictions"]) == 1


def _trajectory(number: str, **changes: object) -> RunningTrajectory:
    values: dict[str, object] = {
        "number": number,
        "bsn": "123456782",
        "surname": "Veldhuis",
        "initials": "A.",
        "birth_date": date(1990, 5, 1),
        "residence": Municipality.objects.get(cbs_code="GM0141"),
        "client_owner": "GM0141",
        "product": "re-integratie",
        "start_date": date(2020, 9, 1),
        "end_date": date(2021, 8, 31),
        "price": Decimal("3600.00"),
        "provider": Organisation.objects.get(code="nuo"),
    }
    values.update(changes)
    return RunningTrajectory(**values)  # type: ignore[arg-type]


def test_trajectories_become_running_orders_once(cast: dict[str, User]) -> None:
    trajectories = [
        _trajectory("T1"),
        _trajectory("T2", bsn="111222333", client_owner="UWV", product="diagnose"),
        _trajectory("T3", bsn="999999990", client_owner="GM0164"),  # Hengelo: outside the region
    ]
    result = take_over_trajectories(
        actor=None, effective_date=date(2021, 1, 1), trajectories=trajectories
    )
    assert (result.taken, result.outside) == (2, ["T3"])
    t1 = Order.objects.get(legacy_reference="T1")
    assert (t1.status, t1.product.kind, t1.client_owner.code, t1.agreed_price) == (
        "running",
        Product.Kind.JOB_COACHING,
        "gemeente-almelo",
        Decimal("3600.00"),
    )
    assert Order.objects.get(legacy_reference="T2").client.kind == "uwv"
    person = Person.objects.get(bsn="123456782")
    assert Client.objects.get(person=person).client_owner.code == "gemeente-almelo"
    again = take_over_trajectories(
        actor=None, effective_date=date(2021, 1, 1), trajectories=trajectories
    )
    assert (again.taken, Order.objects.count()) == (0, 2)
    # A product the provider does not have stops the take-over; nothing is written.
    with pytest.raises(DomainError, match="geen product voor 'schilderen'"):
        take_over_trajectories(
            actor=None,
            effective_date=date(2021, 1, 1),
            trajectories=[_trajectory("T4", bsn="100000009", product="schilderen")],
        )
    assert not Order.objects.filter(legacy_reference="T4").exists()
    assert not Person.objects.filter(bsn="100000009").exists()
    # On its end date the trajectory ends, as planned.
    assert services.close_ended_orders(actor=None, today=date(2021, 9, 1)) == 2
    t1.refresh_from_db()
    assert (t1.status, t1.ended_on, t1.result) == ("completed", date(2021, 8, 31), "as_planned")
    assert services.close_ended_orders(actor=None, today=date(2021, 9, 1)) == 0


def test_a_resident_of_another_municipality_stays_invisible(cast: dict[str, User]) -> None:
    """Wierden's klantregisseur and an Almelo resident: not seen, listed, searched, exported,
    ordered for or billed (404 or simply absent)."""
    resident = make_client(surname="Zwartjes")
    order = make_order(resident)
    services.accept_order(actor=cast["jobcoach_nuo"], order=order)
    services.start_order(actor=cast["jobcoach_nuo"], order=order)
    wierden = login_client(cast["client_director_wierden"])
    wierden_api = api_client(cast["client_director_wierden"])
    assert wierden.get(f"/klantregie/clienten/{resident.pk}/").status_code == 404
    assert wierden.get(f"/klantregie/clienten/{resident.pk}/opdracht/").status_code == 404
    assert wierden.get(f"/klantregie/opdrachten/{order.pk}/").status_code == 404
    assert "Zwartjes" not in wierden.get("/klantregie/clienten/").content.decode()
    assert (
        "Zwartjes" not in wierden.get("/klantregie/opdrachten/?werkvoorraad=alle").content.decode()
    )
    found = wierden.post("/personen/zoeken/", {"q": "Zwartjes"}).content.decode()
    assert f"/personen/{resident.person_id}/" not in found
    assert (
        "Zwartjes" not in wierden.get("/klantregie/maandoverzicht/?maand=2025-03").content.decode()
    )
    assert wierden_api.get(f"/api/v1/clients/{resident.pk}").status_code == 404
    assert wierden_api.get(f"/api/v1/orders/{order.pk}").status_code == 404
    assert resident.pk not in [
        c["id"] for c in wierden_api.get("/api/v1/clients").json()["results"]
    ]
    assert order.pk not in [o["id"] for o in wierden_api.get("/api/v1/orders").json()["results"]]
    searched = wierden_api.post("/api/v1/persons/search", {"query": "Zwartjes"})
    assert searched.status_code == 200 and searched.json()["results"] == []
    assert (
        wierden_api.post(
            "/api/v1/orders",
            {
                "client": resident.pk,
                "product": product().pk,
                "startDate": "2026-01-01",
                "endDate": "2026-02-01",
            },
        ).status_code
        == 404
    )
    assert wierden_api.get("/api/v1/statements", {"month": "2025-03"}).json() == []
