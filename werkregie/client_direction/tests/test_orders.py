from datetime import date
from decimal import Decimal

import pytest

from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, Order, Product
from werkregie.client_direction.tests.factories import make_client, make_order, product
from werkregie.core.access import Role
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.testing import api_client, make_user

_client = make_client
_product = product


def _order(client: Client | None = None, product_: Product | None = None) -> Order:
    return make_order(client, product_)


def test_order_life_cycle_through_the_api(cast: dict[str, User]) -> None:
    client = _client()
    werkplein = api_client(cast["client_director_almelo"])
    coach = api_client(cast["jobcoach_nuo"])
    placed = werkplein.post(
        "/api/v1/orders",
        {
            "client": client.pk,
            "product": _product().pk,
            "startDate": "2025-02-01",
            "endDate": "2025-07-31",
            "requestedOn": "2025-01-15",
        },
    )
    assert placed.status_code == 201, placed.json()
    order = placed.json()
    assert (order["status"], order["provider"], order["clientOwner"]) == (
        "requested",
        "nuo",
        "gemeente-almelo",
    )
    url = f"/api/v1/orders/{order['id']}"
    # The werkplein cannot accept its own order; the provider can.
    assert werkplein.post(f"{url}/accept").status_code == 403
    accepted = coach.post(f"{url}/accept").json()
    assert accepted["status"] == "accepted" and accepted["jobcoach"] == "jobcoach_nuo"
    assert coach.post(f"{url}/start").json()["status"] == "running"
    report = coach.post(
        f"{url}/progress",
        {"reportedOn": "2025-03-31", "hours": "12.50", "attendancePercentage": 90, "note": "Goed"},
    )
    assert report.status_code == 201
    assert werkplein.post(f"{url}/progress", {}).status_code == 403
    seen = werkplein.get(f"{url}/progress").json()
    assert [(r["hours"], r["author"]) for r in seen] == [("12.50", "jobcoach_nuo")]
    wrong = coach.post(f"{url}/complete", {"endedOn": "2025-07-31", "result": "illness"})
    assert wrong.status_code == 400
    done = coach.post(f"{url}/complete", {"endedOn": "2025-07-31", "result": "as_planned"})
    assert done.json()["status"] == "completed"
    again = werkplein.post(f"{url}/stop", {"endedOn": "2025-08-01", "result": "moved"})
    assert again.status_code == 400 and "afgerond" in again.json()["nonFieldErrors"][0]
    actions = list(
        AuditEvent.objects.filter(object_id=str(order["id"]), object_type="client_direction.order")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert (
        actions[0] == ClientDirectionEvent.ORDER_PLACED
        and actions.count(ClientDirectionEvent.ORDER_CHANGED) == 3
    )


def test_refusal_needs_a_reason_and_ends_the_order(cast: dict[str, User]) -> None:
    order = _order()
    with pytest.raises(DomainError, match="reden"):
        services.refuse_order(actor=cast["jobcoach_nuo"], order=order, reason=" ")
    refused = services.refuse_order(actor=cast["jobcoach_nuo"], order=order, reason="Vol")
    assert refused.status == Order.Status.REFUSED and refused.refusal_reason == "Vol"
    with pytest.raises(DomainError, match="kan niet naar"):
        services.start_order(actor=cast["jobcoach_nuo"], order=refused)


def test_the_werkplein_can_stop_a_requested_order_before_it_starts(region: None) -> None:
    order = _order()
    stopped = services.end_order(
        actor=None, order=order, ended_on=date(2025, 1, 20), result=Order.Result.OTHER_PROVIDER
    )
    assert (stopped.status, stopped.ended_on) == (Order.Status.STOPPED, date(2025, 1, 20))
    with pytest.raises(DomainError, match="vóór de aanvraag"):
        services.end_order(
            actor=None, order=_order(), ended_on=date(2025, 1, 1), result=Order.Result.MOVED
        )


def test_an_order_needs_a_product_and_price_on_its_start_date(region: None) -> None:
    with pytest.raises(DomainError, match="niet leverbaar"):
        services.place_order(
            actor=None,
            client=_client(),
            product=_product(),
            start_date=date(2020, 6, 1),
            end_date=date(2020, 12, 31),
            requested_on=date(2020, 5, 1),
        )


def test_each_side_sees_only_its_own_orders(cast: dict[str, User]) -> None:
    almelo = _order(_client("GM0141"))
    wierden = _order(_client("GM0189"))
    local = _order(_client("GM0141"), _product("multipack-nijverdal", "jobcoaching"))
    assert set(Order.objects.visible_to(cast["client_director_almelo"])) == {almelo, local}
    assert set(Order.objects.visible_to(cast["client_director_wierden"])) == {wierden}
    assert set(Order.objects.visible_to(cast["jobcoach_nuo"])) == {almelo, wierden}
    multipack = make_user("coach_multipack", Role.JOB_COACH, "multipack-nijverdal")
    assert set(Order.objects.visible_to(multipack)) == {local}
    for role in ("hr_nuo", "transition_manager", "controller_wierden"):
        assert not Order.objects.visible_to(cast[role]).exists()
    outsider = api_client(multipack)
    assert outsider.get(f"/api/v1/orders/{almelo.pk}").status_code == 404
    assert outsider.post(f"/api/v1/orders/{almelo.pk}/accept").status_code == 404
    wierden_api = api_client(cast["client_director_wierden"])
    ordered = wierden_api.post(
        "/api/v1/orders",
        {
            "client": almelo.client_id,
            "product": _product().pk,
            "startDate": "2025-02-01",
            "endDate": "2025-03-01",
        },
    )
    # Ordering for another municipality's resident: as if the client did not exist.
    assert ordered.status_code == 404 and ordered.json()["detail"] == "Onbekende cliënt."
    assert not Order.objects.filter(client_id=almelo.client_id).exclude(pk=almelo.pk).exists()


def test_progress_only_on_an_accepted_or_running_order(cast: dict[str, User]) -> None:
    with pytest.raises(DomainError, match="geaccepteerde of lopende"):
        services.report_progress(
            actor=cast["jobcoach_nuo"],
            order=_order(),
            reported_on=date(2025, 2, 1),
            hours=Decimal(1),
            note="x",
        )
